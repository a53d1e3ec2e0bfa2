"""Input adapters: turn a file's text into the :class:`Unit` s to check.

Every Unit's ``document.original`` is the whole file text, so a finding's ``start``/``end`` are
file offsets (line and column follow directly). Template placeholders are masked in every format;
suppression comments are parsed into :class:`Suppression` ranges (see :mod:`.suppressions`).

    >>> units = parse_units("Hi {{ name }}, that's not our fault.", "jinja")
    >>> units[0].document.text
    "Hi Placeholder, that's not our fault."
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import regex

from .._document import Document
from .._model import Finding
from ..errors import InputError
from ._common import (
    DEFAULT_PLACEHOLDERS,
    PLACEHOLDER_SYNTAXES,
    Mapped,
    SourceError,
    Suppression,
    Unit,
    is_verbatim,
    line_col,
    placeholder_regex,
    with_sentinels,
)
from .email import parse_email, split_plain_reply
from .html import html_mapped_document, looks_like_html
from .markdown import markdown_mapped_document
from .plain import plain_mapped_document
from .structured import fields
from .suppressions import STYLES, apply_suppressions, parse_suppressions
from .templates import MAX_VARIANTS, template_variants

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "FORMATS",
    "MAX_VARIANTS",
    "PLACEHOLDER_SYNTAXES",
    "SourceError",
    "Suppression",
    "Unit",
    "apply_suppressions",
    "dedupe_findings",
    "detect_format",
    "is_verbatim",
    "line_col",
    "parse_units",
]

FORMATS = ("plain", "markdown", "html", "email", "jinja", "liquid", "handlebars", "json", "yaml")
TEMPLATE_FORMATS = frozenset({"jinja", "liquid", "handlebars"})

_EXTENSIONS = {
    ".txt": "plain", ".text": "plain",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".eml": "email",
    ".j2": "jinja", ".jinja": "jinja", ".jinja2": "jinja", ".django": "jinja",
    ".liquid": "liquid",
    ".hbs": "handlebars", ".handlebars": "handlebars", ".mustache": "handlebars",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
}
_JINJA_SYNTAX = regex.compile(r"\{%.*?%\}", regex.DOTALL)
_HANDLEBARS_SYNTAX = regex.compile(r"\{\{~?[#^/]")


def detect_format(path: str | Path) -> str:
    """The input format of a file, from its extension (``reply.html.j2`` → ``jinja``); default ``plain``."""
    return _EXTENSIONS.get(Path(path).suffix.lower(), "plain")


def _sniff(text: str) -> str:
    """The format of a string field of a JSON / YAML file, from its content."""
    if _HANDLEBARS_SYNTAX.search(text):
        return "handlebars"
    if _JINJA_SYNTAX.search(text):
        return "jinja"
    if looks_like_html(text):
        return "html"
    return "plain"


def _units(mapped: Mapped, original: str, fmt: str, pattern: regex.Pattern[str] | None, label: str) -> list[Unit]:
    suppressions = parse_suppressions(mapped, original, STYLES[fmt])
    if fmt in TEMPLATE_FORMATS:
        variants = template_variants(mapped, original, fmt, pattern)
        html = looks_like_html(mapped.text)
        documents: list[Document] = []
        for variant in variants:
            if html:
                documents.append(html_mapped_document(variant, original)[0])
            else:
                documents.append(plain_mapped_document(variant, original, markers=False))
        units = []
        for index, document in enumerate(documents, 1):
            branch = f"branch {index}/{len(documents)}" if len(documents) > 1 else ""
            name = " ".join(p for p in (label, branch) if p)
            units.append(Unit(document, name, None, suppressions, fmt))
        return units
    prepared = with_sentinels(mapped, pattern)
    if fmt == "markdown":
        document = markdown_mapped_document(prepared, original)
    elif fmt == "html":
        document = html_mapped_document(prepared, original)[0]
    else:
        document = plain_mapped_document(prepared, original)
    return [Unit(document, label, None, suppressions, fmt)]


def parse_units(
    text: str,
    fmt: str,
    *,
    key_paths: Sequence[str] = ("**",),
    placeholders: Sequence[str] | None = None,
) -> list[Unit]:
    """The units to check in a file's text.

    ``fmt`` is one of :data:`FORMATS`; ``key_paths`` select the string fields of JSON / YAML files;
    ``placeholders`` names the placeholder syntaxes to mask (default: all of
    :data:`PLACEHOLDER_SYNTAXES`). Raises :class:`SourceError` for a malformed file.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_units() needs the file text as str, not {type(text).__name__}")
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if isinstance(key_paths, str):
        key_paths = (key_paths,)
    if isinstance(placeholders, str):
        placeholders = (placeholders,)
    pattern = placeholder_regex(placeholders)
    if fmt == "email":
        body, subtype = parse_email(text)
        if subtype == "html":
            document, quoted = html_mapped_document(with_sentinels(body, pattern), text, email=True)
            suppressions = parse_suppressions(body, text, ("html",))
            return [Unit(document, "", quoted or None, suppressions, "email")]
        draft, client = split_plain_reply(body)
        document = plain_mapped_document(with_sentinels(draft, pattern), text)
        suppressions = parse_suppressions(draft, text, STYLES["email"])
        return [Unit(document, "", client, suppressions, "email")]
    if fmt in ("json", "yaml"):
        units: list[Unit] = []
        for label, mapped in fields(text, fmt, key_paths):
            nested = _sniff(mapped.text)
            try:
                units.extend(_units(mapped, text, nested, pattern, label))
            except SourceError as exc:
                raise SourceError(f"field {label} ({nested} content): {exc.reason}", line=exc.line, fmt=fmt) from None
        return units
    return _units(Mapped.identity(text), text, fmt, pattern, "")


_F = TypeVar("_F", bound=Finding)


def dedupe_findings(findings_per_unit: Iterable[Iterable[_F]]) -> list[_F]:
    """Findings of several units of one file (template branches): each rule and file span once, in order."""
    seen: set[tuple[str, int, int]] = set()
    out: list[_F] = []
    for findings in findings_per_unit:
        for finding in findings:
            key = (finding.rule_id, finding.start, finding.end)
            if key not in seen:
                seen.add(key)
                out.append(finding)
    return out
