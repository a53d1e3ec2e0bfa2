"""The LanguageTool-compatible surface: request parameters in, LanguageTool JSON out.

LanguageTool clients (browser and mail add-ons, LibreOffice, LTeX, ``language_tool_python``) send
form-encoded parameters to ``/v2/check`` and read ``matches`` whose ``offset``/``length`` count UTF-16
code units, the way JavaScript indexes strings. Everything here is a pure function of a request's
parameters and a :class:`~invoicetone.Report`, so it is tested without a server.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._document import Document, DocumentBuilder, plain_document
from .._model import Finding, Missing, Report, Severity
from .._packs import selects

SOFTWARE_NAME = "invoicetone"

# The languages /v2/languages lists: (name, code, longCode). Variants map to the base language.
LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("English", "en", "en"),
    ("English (US)", "en", "en-US"),
    ("English (GB)", "en", "en-GB"),
    ("English (Australian)", "en", "en-AU"),
    ("English (Canadian)", "en", "en-CA"),
    ("English (New Zealand)", "en", "en-NZ"),
    ("English (South African)", "en", "en-ZA"),
    ("Slovak", "sk", "sk"),
    ("Slovak", "sk", "sk-SK"),
)
_NAMES = {"en": "English", "sk": "Slovak"}
_DEFAULT_LONG = {"en": "en-US", "sk": "sk-SK"}
_LONG_NAMES = {long: name for name, _code, long in LANGUAGES}

# How our severities look in LanguageTool clients: issueType decides the underline colour.
_ISSUE_TYPE = {Severity.ERROR: "grammar", Severity.WARNING: "style", Severity.INFO: "style"}
_TYPE_NAME = {Severity.ERROR: "Other", Severity.WARNING: "Other", Severity.INFO: "Hint"}
CONTEXT_CHARS = 40


class LTRequestError(ValueError):
    """A /v2/check request that cannot be answered; the message names the parameter."""


@dataclass(frozen=True)
class LTParams:
    """The parameters of one /v2/check request that change the answer."""

    document: Document
    language: str  # "auto" or the requested tag, e.g. "en-US"
    base_lang: str | None  # "en" / "sk", or None to detect
    enabled_rules: frozenset[str]
    disabled_rules: frozenset[str]
    enabled_categories: frozenset[str]
    disabled_categories: frozenset[str]
    enabled_only: bool
    picky: bool
    preferred_variants: tuple[str, ...]


def _csv(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(item.strip() for item in value.split(",") if item.strip())


def base_language(tag: str) -> str | None:
    """``en-US`` → ``en``; ``auto`` → None. Raises :class:`LTRequestError` for other languages."""
    cleaned = tag.strip()
    if cleaned.lower() == "auto":
        return None
    base = cleaned.replace("_", "-").split("-")[0].lower()
    if base not in _NAMES:
        supported = ", ".join(["auto"] + [long for _n, _c, long in LANGUAGES])
        raise LTRequestError(f"language {tag!r} is not supported; use one of: {supported}")
    return base


def annotation_document(data: str) -> Document:
    """The Document of LanguageTool's ``data`` parameter.

    ``{"annotation": [{"text": "Hi "}, {"markup": "<b>"}, {"markup": "<p>", "interpretAs": "\\n\\n"}]}``:
    the original string is every part joined, so offsets count markup too (as LanguageTool's do);
    markup is skipped, or read as its ``interpretAs`` text.
    """
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise LTRequestError(f"parameter 'data' is not valid JSON: {exc.msg} at character {exc.pos}") from exc
    if not isinstance(parsed, dict) or not isinstance(parsed.get("annotation"), list):
        raise LTRequestError("parameter 'data' must be a JSON object with an 'annotation' list")
    parts: list[tuple[str, str, str | None]] = []
    for index, item in enumerate(parsed["annotation"]):
        if not isinstance(item, dict):
            raise LTRequestError(f"data.annotation[{index}] must be an object with 'text' or 'markup'")
        text, markup = item.get("text"), item.get("markup")
        interpret = item.get("interpretAs")
        if (text is None) == (markup is None):
            raise LTRequestError(f"data.annotation[{index}] needs exactly one of 'text' and 'markup'")
        value = text if text is not None else markup
        if not isinstance(value, str) or (interpret is not None and not isinstance(interpret, str)):
            raise LTRequestError(f"data.annotation[{index}]: 'text', 'markup' and 'interpretAs' must be strings")
        parts.append(("text" if text is not None else "markup", value, interpret))
    original = "".join(value for _kind, value, _i in parts)
    builder = DocumentBuilder(original)
    position = 0
    for kind, value, interpret in parts:
        end = position + len(value)
        if kind == "text":
            builder.add_text(position, end)
        elif interpret:
            if interpret.count("\n") >= 2:
                builder.add_break(position, end)
            else:
                builder.add_decoded(interpret, position, end)
        position = end
    return builder.build()


def parse_params(params: Mapping[str, str]) -> LTParams:
    """Read /v2/check parameters (query string and form merged); unknown parameters are ignored."""
    text, data = params.get("text"), params.get("data")
    if text is None and data is None:
        raise LTRequestError("missing parameter: send the draft as 'text' (plain) or 'data' (annotation JSON)")
    if text is not None and data is not None:
        raise LTRequestError("send either 'text' or 'data', not both")
    language = params.get("language")
    if not language:
        raise LTRequestError("missing parameter 'language': use 'auto', 'en-US', 'sk-SK', …")
    base = base_language(language)
    document = plain_document(text) if text is not None else annotation_document(data or "")
    return LTParams(
        document=document,
        language=language.strip(),
        base_lang=base,
        enabled_rules=_csv(params.get("enabledRules")),
        disabled_rules=_csv(params.get("disabledRules")),
        enabled_categories=frozenset(c.lower() for c in _csv(params.get("enabledCategories"))),
        disabled_categories=frozenset(c.lower() for c in _csv(params.get("disabledCategories"))),
        enabled_only=params.get("enabledOnly", "false").strip().lower() == "true",
        picky=params.get("level", "default").strip().lower() == "picky",
        preferred_variants=tuple(sorted(_csv(params.get("preferredVariants")))),
    )


def keeps(params: LTParams, rule_id: str, category: str) -> bool:
    """Whether a finding of ``rule_id`` in ``category`` survives the request's rule filters."""
    category = category.lower()
    if params.enabled_only:
        return any(selects(s, rule_id) for s in params.enabled_rules) or category in params.enabled_categories
    if any(selects(s, rule_id) for s in params.disabled_rules):
        return False
    return category not in params.disabled_categories


class Utf16Offsets:
    """Converts code-point offsets of one string to UTF-16 code units (astral characters count 2)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []

    def __call__(self, offset: int) -> int:
        if not self._astral:
            return offset
        return offset + bisect.bisect_left(self._astral, offset)


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•])")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A plain-text sentence around ``text[start:end]``, for LanguageTool's ``sentence`` field."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = len(text)
    following = _SENTENCE_END.search(text, end)
    if following is not None:
        stop = following.end() if not following.group().isspace() else following.start()
    return begin, stop


def _context(text: str, start: int, end: int) -> dict[str, int | str]:
    """Up to 40 characters either side of the match, with ellipses where cut (as LanguageTool does)."""
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(text) else ""
    snippet = text[left:right].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return {
        "text": prefix + snippet + suffix,
        "offset": utf16_len(prefix + text[left:start]),
        "length": utf16_len(text[start:end]),
    }


def category_name(category: str) -> str:
    return category.replace("_", " ").capitalize()


def finding_match(finding: Finding, original: str, to16: Utf16Offsets) -> dict[str, Any]:
    begin, stop = _sentence_bounds(original, finding.start, finding.end)
    category = finding.category.value
    offset = to16(finding.start)
    return {
        "message": finding.message,
        "shortMessage": _short_message(finding),
        "replacements": [{"value": s.replacement} for s in finding.suggestions],
        "offset": offset,
        "length": to16(finding.end) - offset,
        "context": _context(original, finding.start, finding.end),
        "sentence": original[begin:stop].strip(),
        "type": {"typeName": _TYPE_NAME[finding.severity]},
        "rule": {
            "id": finding.rule_id,
            "description": finding.rationale or finding.message,
            "issueType": _ISSUE_TYPE[finding.severity],
            "category": {"id": category.upper(), "name": category_name(category)},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
        # Not part of LanguageTool's schema; clients ignore it, our own tools read the severity.
        "invoicetone": {"severity": finding.severity.value, "category": category},
    }


def _short_message(finding: Finding) -> str:
    words = category_name(finding.category.value)
    return f"{words} ({finding.severity.value})"


def missing_match(missing: Missing, original: str, to16: Utf16Offsets) -> dict[str, Any]:
    """A missing element as a match on the draft's first line (``level=picky`` only)."""
    stripped = original.lstrip()
    start = len(original) - len(stripped)
    line_end = original.find("\n", start)
    end = len(original) if line_end < 0 else line_end
    end = max(start, len(original[:end].rstrip()))
    offset = to16(start)
    return {
        "message": f"{missing.message} Try: {missing.suggestion}",
        "shortMessage": "Missing element",
        "replacements": [],
        "offset": offset,
        "length": to16(end) - offset,
        "context": _context(original, start, end),
        "sentence": original[start:end],
        "type": {"typeName": "Hint"},
        "rule": {
            "id": f"missing.{missing.id}",
            "description": missing.message,
            "issueType": "style",
            "category": {"id": "MISSING", "name": "Missing element"},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
        "invoicetone": {"severity": missing.severity.value, "category": "missing"},
    }


def _long_code(base: str, params: LTParams) -> str:
    for variant in params.preferred_variants:
        if variant.lower().startswith(base + "-") and variant in _LONG_NAMES:
            return variant
    return _DEFAULT_LONG[base]


def lt_response(report: Report, params: LTParams, version: str) -> dict[str, Any]:
    """The LanguageTool JSON answer for ``report`` (offsets in UTF-16 code units of the original)."""
    original = params.document.original
    to16 = Utf16Offsets(original)
    matches = [
        finding_match(f, original, to16)
        for f in report.findings
        if keeps(params, f.rule_id, f.category.value)
    ]
    if params.picky:
        matches.extend(
            missing_match(m, original, to16) for m in report.missing if keeps(params, f"missing.{m.id}", "missing")
        )
        matches.sort(key=lambda m: (m["offset"], m["length"]))
    detected_code = _long_code(report.lang, params)
    if params.base_lang is None:
        language_code = detected_code
    else:
        language_code = params.language if params.language in _LONG_NAMES else _DEFAULT_LONG[params.base_lang]
    return {
        "software": {
            "name": SOFTWARE_NAME,
            "version": version,
            "buildDate": None,
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": _LONG_NAMES.get(language_code, _NAMES[report.lang]),
            "code": language_code,
            "detectedLanguage": {
                "name": _LONG_NAMES.get(detected_code, _NAMES[report.lang]),
                "code": detected_code,
                "confidence": round(report.lang_confidence, 4),
            },
        },
        "matches": matches,
    }


def languages_response() -> list[dict[str, str]]:
    return [{"name": name, "code": code, "longCode": long} for name, code, long in LANGUAGES]
