"""The client's message as context: dispute types with cue spans, heat, and the facts it names.

Cue data lives in ``data/disputes/<lang>.yaml`` (regexes over the lower-cased message; for Slovak
with diacritics removed, so cues match either way) and ``data/disputes/types.yaml`` says which
reply elements each dispute type needs. The analysis of one message is cached, so checking many
drafts against the same client message classifies it once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

from ._document import Document, plain_document
from ._engine import fold_same_length
from ._model import DisputeType, ElementSpan
from ._nlp import FOLDING_LANGS, SUPPORTED_LANGS, Annotation, annotate, get_pipeline
from .errors import PackError

if TYPE_CHECKING:
    from spacy.tokens import Doc

DISPUTE_TYPES = (
    "amount", "hours", "scope", "due_date", "late_fee", "duplicate", "wrong_rate", "tax",
    "already_paid", "cancelled", "missing_po", "discount",
)
ELEMENT_IDS = ("acknowledgement", "paraphrase", "contract_reference", "evidence", "solution", "next_steps", "invitation", "summary")

_CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{3,}(?![\p{L}\p{N}])")
_INVOICE_NUMBER = regex.compile(
    r"\b(?:invoice|inv\.?|bill|faktúr\w*|faktur\w*)\s*(?:#|no\.?|nr\.?|number|num\.?|č\.|c\.|číslo|cislo)?\s*#?\s*"
    r"(?P<number>[A-Za-z]{0,5}[\-/#]?\d(?:[\w\-/]*\d)?)\b",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class DisputeCues:
    lang: str
    types: tuple[tuple[str, tuple[Any, ...]], ...]
    heated: tuple[Any, ...]
    generic: frozenset[str]
    frame: tuple[Any, ...]
    not_frame: tuple[Any, ...]
    examples: tuple[tuple[str, str, tuple[int, int] | None], ...]  # (type or "heated", text, span)


@dataclass(frozen=True)
class ClientAnalysis:
    """What the client's message says: dispute types, heat, content words and facts."""

    lang: str
    dispute_types: tuple[DisputeType, ...]
    heated: bool
    heated_cues: tuple[ElementSpan, ...]
    content: frozenset[str]
    numbers: frozenset[str]
    facts: Mapping[str, str]


def _data_dir() -> Any:
    from ._packs import builtin_data_dir

    return builtin_data_dir() / "disputes"


def _load_yaml(path: Any) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise PackError(f"cannot load dispute data: {exc}", path=str(path)) from exc


def _compile(values: Any, path: str, where: str) -> tuple[Any, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PackError("regex must be a list of strings", path=path, rule_id=where, field="regex")
    out = []
    for value in values:
        try:
            out.append(regex.compile(value, regex.IGNORECASE))
        except regex.error as exc:
            raise PackError(f"bad regular expression {value!r}: {exc}", path=path, rule_id=where, field="regex") from exc
    return tuple(out)


def _examples(raw: Any, name: str, path: str) -> list[tuple[str, str, tuple[int, int] | None]]:
    from ._packs import parse_example

    if not isinstance(raw, dict) or not raw.get("flag") or not raw.get("pass"):
        raise PackError("needs 'flag' and 'pass' examples", path=path, rule_id=name, field="examples")
    out: list[tuple[str, str, tuple[int, int] | None]] = []
    for text in raw["flag"]:
        example = parse_example(text, flagged=True, path=path, rule_id=name)
        out.append((name, example.text, example.span))
    for text in raw["pass"]:
        example = parse_example(text, flagged=False, path=path, rule_id=name)
        out.append((name, example.text, None))
    return out


_lock = threading.Lock()


@lru_cache(maxsize=4)
def dispute_cues(lang: str) -> DisputeCues:
    """The cue data of ``lang`` (validated on first use)."""
    with _lock:
        path = _data_dir() / f"{lang}.yaml"
        spath = str(path)
        data = _load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
            raise PackError("a dispute cue file is a mapping with 'types'", path=spath)
        types: list[tuple[str, tuple[Any, ...]]] = []
        examples: list[tuple[str, str, tuple[int, int] | None]] = []
        for name, entry in data["types"].items():
            if name not in DISPUTE_TYPES:
                raise PackError(f"unknown dispute type; known: {list(DISPUTE_TYPES)}", path=spath, rule_id=str(name))
            if not isinstance(entry, dict):
                raise PackError("a dispute type is a mapping with 'regex' and 'examples'", path=spath, rule_id=name)
            types.append((name, _compile(entry.get("regex"), spath, name)))
            examples += _examples(entry.get("examples"), name, spath)
        heated = data.get("heated") or {}
        generic = data.get("generic") or []
        return DisputeCues(
            lang=lang,
            types=tuple(types),
            heated=_compile(heated.get("regex", []), spath, "heated"),
            generic=frozenset(str(w) for w in generic),
            frame=_compile(data.get("paraphrase_frame") or [], spath, "paraphrase_frame"),
            not_frame=_compile(data.get("paraphrase_not") or [], spath, "paraphrase_not"),
            examples=tuple(examples + _examples(heated.get("examples"), "heated", spath)),
        )


@lru_cache(maxsize=1)
def requirements() -> tuple[tuple[str, ...], tuple[str, ...], Mapping[str, tuple[str, ...]]]:
    """(default, unclassified, per-type) required elements from ``data/disputes/types.yaml``."""
    path = _data_dir() / "types.yaml"
    data = _load_yaml(path)
    spath = str(path)

    def elements(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(v in ELEMENT_IDS for v in value):
            raise PackError(f"must be a list of elements from {list(ELEMENT_IDS)}", path=spath, field=where)
        return tuple(value)

    per_type = {name: elements(value, f"types.{name}") for name, value in (data.get("types") or {}).items()}
    missing = set(DISPUTE_TYPES) - set(per_type)
    if missing:
        raise PackError(f"no requirements for {sorted(missing)}", path=spath, field="types")
    return elements(data.get("default"), "default"), elements(data.get("unclassified"), "unclassified"), per_type


def required_elements(dispute_types: Sequence[DisputeType] | None) -> tuple[str, ...]:
    """The elements a reply needs: per dispute type (union), or the defaults without a message."""
    default, unclassified, per_type = requirements()
    if dispute_types is None:
        return default
    if not dispute_types:
        return unclassified
    wanted: set[str] = set()
    for dispute in dispute_types:
        wanted.update(per_type[dispute.id])
    return tuple(e for e in ELEMENT_IDS if e in wanted)


def _spans(document: Document, folded: str, patterns: Sequence[Any]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged


def _element_spans(document: Document, spans: Sequence[tuple[int, int]]) -> tuple[ElementSpan, ...]:
    out = []
    for start, end in spans:
        a, b = document.to_original(start, end)
        out.append(ElementSpan(a, b, document.original[a:b]))
    return tuple(out)


# (language, token text) -> ("num", digits) | ("skip", "") | ("word", lower case): lexical facts of a
# word, the same wherever it occurs, so worked out once instead of asking spaCy's Token each time
_token_kinds: dict[tuple[str, str], tuple[str, str]] = {}
_TOKEN_KINDS_MAX = 200_000


def _token_kind(doc: Doc, index: int, text: str) -> tuple[str, str]:
    key = (doc.lang_, text)
    kind = _token_kinds.get(key)
    if kind is None:
        token = doc[index]
        if token.like_num or any(c.isdigit() for c in text):
            digits = "".join(c for c in text if c.isdigit())
            kind = ("num", (digits.lstrip("0") or "0") if digits else "")
        elif not token.is_alpha or len(text) < 3 or token.is_stop:
            kind = ("skip", "")
        else:
            kind = ("word", token.lower_)
        if len(_token_kinds) >= _TOKEN_KINDS_MAX:
            _token_kinds.clear()
        _token_kinds[key] = kind
    return kind


def content_words(
    doc: Doc, annotation: Annotation, start: int, end: int, generic: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Content lemmas and numbers of tokens ``[start, end)`` (stop words and generic words left out)."""
    words: set[str] = set()
    numbers: set[str] = set()
    texts, lemmas, norms = annotation.texts, annotation.lemmas, annotation.norms
    for i in range(start, end):
        kind, value = _token_kind(doc, i, texts[i])
        if kind == "num":
            if value:
                numbers.add(value)
            continue
        if kind == "skip":
            continue
        lemma = lemmas[i] or value
        if lemma in generic or norms[i] in generic:
            continue
        words.add(lemma)
    return frozenset(words), frozenset(numbers)


def classify(document: Document, lang: str) -> tuple[tuple[DisputeType, ...], tuple[ElementSpan, ...]]:
    """Dispute types (with cue spans) and heated cues of an analysed text."""
    cues = dispute_cues(lang)
    folded = fold_same_length(document.text, lang in FOLDING_LANGS)
    types = []
    for name, patterns in cues.types:
        spans = _spans(document, folded, patterns)
        if spans:
            types.append((spans[0][0], DisputeType(name, _element_spans(document, spans))))
    types.sort(key=lambda item: item[0])
    heated_spans = _spans(document, folded, cues.heated)
    return tuple(t for _, t in types), _element_spans(document, heated_spans)


def _caps_words(text: str) -> list[tuple[int, int]]:
    from ._style import acronyms

    known = acronyms()
    return [m.span() for m in _CAPS_WORD.finditer(text) if m.group().upper() not in known]


@lru_cache(maxsize=256)
def analyse_client(message: str, lang: str) -> ClientAnalysis:
    """Classify a client's message (cached: the same message is analysed once)."""
    if lang not in SUPPORTED_LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    document = plain_document(message)
    types, heated_cues = classify(document, lang)
    caps = _caps_words(message)
    exclamations = message.count("!")
    heated = bool(heated_cues) or len(caps) >= 2 or exclamations >= 3
    if len(caps) >= 2:
        heated_cues = tuple(sorted(heated_cues + tuple(ElementSpan(a, b, message[a:b]) for a, b in caps), key=lambda s: s.start))
    doc = get_pipeline(lang).make_doc(document.text)
    annotation = annotate(doc, document, lang)
    content, numbers = content_words(doc, annotation, 0, len(doc), dispute_cues(lang).generic)
    facts: dict[str, str] = {}
    invoice = _INVOICE_NUMBER.search(message)
    if invoice:
        facts["invoice_number"] = invoice.group("number")
    from ._contract import _AMOUNT

    amount = _AMOUNT.search(message)
    if amount:
        facts["amount"] = amount.group().strip()
    return ClientAnalysis(lang, types, heated, heated_cues, content, numbers, facts)


def dispute_type_ids(analysis: ClientAnalysis | None) -> tuple[str, ...]:
    return tuple(d.id for d in analysis.dispute_types) if analysis else ()
