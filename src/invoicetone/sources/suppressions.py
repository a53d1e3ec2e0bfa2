"""Suppression comments: parse them, and drop the findings they silence.

Syntax (rule ids or categories, separated by spaces or commas; none = every rule):

* HTML, Markdown, HTML e-mail bodies, templates: ``<!-- invoicetone-disable RULE -->`` …
  ``<!-- invoicetone-enable -->`` (a region), ``<!-- invoicetone-ignore RULE -->`` (the next line).
* Jinja / Django / Liquid: ``{# invoicetone: ignore RULE #}`` (the next line); also
  ``{# invoicetone-disable RULE #}`` … ``{# invoicetone-enable #}``.
* Handlebars / Mustache: ``{{! invoicetone: ignore RULE }}`` or ``{{!-- … --}}`` (the next line).
* Plain text and plain e-mail bodies: ``invoicetone: ignore RULE`` at the end of a line (that line;
  the marker itself is not analysed).

Comments are never analysed: the adapters skip them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

import regex

from ._common import Lines, Mapped, Suppression, Unit, lines_of

_RULES = r"(?P<rules>[\w.\-,\s]*?)"
_HTML_COMMENT = regex.compile(r"<!--\s*invoicetone-(?P<verb>disable|enable|ignore)(?:\s+" + _RULES + r")?\s*-->", regex.IGNORECASE)
_JINJA_COMMENT = regex.compile(
    r"\{#-?\s*invoicetone(?::\s*|-)(?P<verb>ignore|disable|enable)(?:\s+" + _RULES + r")?\s*-?#\}", regex.IGNORECASE
)
_HBS_COMMENT = regex.compile(
    r"\{\{~?!(?:--)?\s*invoicetone(?::\s*|-)(?P<verb>ignore|disable|enable)(?:\s+" + _RULES + r")?\s*(?:--)?~?\}\}",
    regex.IGNORECASE,
)
# At the end of a line: optional rule list, then only spaces up to the line break.
PLAIN_MARKER = regex.compile(
    r"[ \t]*(?<![\w-])invoicetone:[ \t]*ignore(?:[ \t]+(?P<rules>_ID(?:[ \t]*,?[ \t]*_ID)*))?[ \t\r]*$".replace(
        "_ID", r"[A-Za-z_][\w\-]*(?:\.[\w\-]+)*"
    ),
    regex.MULTILINE | regex.IGNORECASE,
)

# which comment syntaxes each input format honours
STYLES: dict[str, tuple[str, ...]] = {
    "plain": ("plain",),
    "email": ("plain",),
    "markdown": ("html",),
    "html": ("html",),
    "jinja": ("jinja", "html"),
    "liquid": ("jinja", "html"),
    "handlebars": ("handlebars", "html"),
}


def _split_rules(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(r for r in regex.split(r"[\s,]+", raw.strip()) if r)


def parse_suppressions(mapped: Mapped, original: str, styles: Sequence[str], lines: Lines | None = None) -> tuple[Suppression, ...]:
    """Every suppression comment in ``mapped.text``, with ranges in ``original`` (the file)."""
    text = mapped.text
    if "invoicetone" not in text.lower():
        return ()
    file_lines = lines or lines_of(original)
    text_lines = Lines(text)
    found: list[tuple[int, int, str, tuple[str, ...]]] = []  # (start, end, verb, rules) in mapped coords
    patterns = []
    if "html" in styles:
        patterns.append(_HTML_COMMENT)
    if "jinja" in styles:
        patterns.append(_JINJA_COMMENT)
    if "handlebars" in styles:
        patterns.append(_HBS_COMMENT)
    for pattern in patterns:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), m.group("verb").lower(), _split_rules(m.group("rules"))))
    if "plain" in styles:
        for m in PLAIN_MARKER.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), "ignore-line", _split_rules(m.group("rules"))))
    found.sort()

    result: list[Suppression] = []
    open_disables: list[tuple[int, int, tuple[str, ...]]] = []  # (comment start, region start, rules)

    def close(index: int, region_end: int) -> None:
        comment_start, region_start, rules = open_disables.pop(index)
        a = mapped.point(region_start)
        b = mapped.point(region_end)
        result.append(Suppression(rules, a, max(a, b), file_lines.line(mapped.point(comment_start)), "disable"))

    for start, end, verb, rules in found:
        comment_line_in_text = text_lines.line(max(start, end - 1))
        if verb == "ignore":
            next_line = comment_line_in_text + 1
            while next_line < len(text_lines.starts) and not text[text_lines.offset(next_line) : text_lines.line_end(next_line)].strip():
                next_line += 1  # the next line with text
            a_text = text_lines.offset(next_line) if next_line <= len(text_lines.starts) else len(text)
            b_text = text_lines.line_end(next_line) if next_line <= len(text_lines.starts) else len(text)
            a, b = _range(mapped, a_text, b_text, original)
            result.append(Suppression(rules, a, b, file_lines.line(mapped.point(start)), "ignore-next-line"))
        elif verb == "ignore-line":
            line_no = text_lines.line(start)
            a, b = _range(mapped, text_lines.offset(line_no), text_lines.line_end(line_no), original)
            result.append(Suppression(rules, a, b, file_lines.line(mapped.point(start)), "ignore-line"))
        elif verb == "disable":
            open_disables.append((start, end, rules))
        elif verb == "enable":
            if not rules:
                while open_disables:
                    close(len(open_disables) - 1, start)
            else:
                for index in range(len(open_disables) - 1, -1, -1):
                    if not open_disables[index][2] or set(open_disables[index][2]) & set(rules):
                        close(index, start)
    while open_disables:
        close(len(open_disables) - 1, len(text))
    result.sort(key=lambda s: (s.start, s.line))
    return tuple(result)


def _range(mapped: Mapped, a_text: int, b_text: int, original: str) -> tuple[int, int]:
    if b_text <= a_text:
        point = mapped.point(a_text) if a_text < len(mapped.text) else (mapped.ends[-1] if mapped.ends else 0)
        return point, point
    return mapped.starts[a_text], mapped.ends[b_text - 1]


class _FindingLike(Protocol):
    @property
    def rule_id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def category(self) -> Any: ...


F = TypeVar("F", bound=_FindingLike)


def apply_suppressions(findings: Iterable[F], unit: Unit) -> tuple[list[F], list[Suppression]]:
    """Split off the findings that a suppression of ``unit`` silences.

    Returns the findings kept and the suppressions that silenced at least one finding (so the
    caller can report the unused ones). A finding is silenced when its start lies in the
    suppression's range and its rule id or category is named (or no rule is named).
    """
    kept: list[F] = []
    used: list[Suppression] = []
    for finding in findings:
        category = getattr(finding.category, "value", str(finding.category))
        hit = next((s for s in unit.suppressions if s.covers(finding.rule_id, category, finding.start)), None)
        if hit is None:
            kept.append(finding)
        elif hit not in used:
            used.append(hit)
    return kept, used
