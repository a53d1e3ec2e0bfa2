"""Applying suggestions to text: one at a time, or every auto-fixable one."""

from __future__ import annotations

from collections.abc import Iterable

from ._model import Finding


def apply_suggestion(text: str, finding: Finding, index: int = 0) -> str:
    """``text`` with ``finding``'s suggestion number ``index`` put in place of its span."""
    if not 0 <= index < len(finding.suggestions):
        raise IndexError(f"{finding.rule_id} has {len(finding.suggestions)} suggestion(s), no #{index}")
    return apply_edits(text, [(finding.start, finding.end, finding.suggestions[index].replacement)])


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Replace non-overlapping spans (applied right to left); a deletion also drops one space."""
    result = text
    last_start = len(text) + 1
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        if end > last_start:
            continue  # overlapping edit: keep the later one
        if not replacement:
            # "a [mere] €12" → "a €12", "[Frankly,] we" → "we"
            if start > 0 and result[start - 1] == " " and (end >= len(result) or result[end] in " .,;:!?"):
                start -= 1
            elif end < len(result) and result[end] == " ":
                end += 1
            # "[Frankly,] the fee applies." → "The fee applies.": a deleted sentence opener
            # hands its capital to the next word
            before = result[:start].rstrip()
            first = end
            while first < len(result) and result[first] == " ":
                first += 1
            if (not before or before[-1] in ".!?") and first < len(result) and result[first].islower():
                result = result[:first] + result[first].upper() + result[first + 1 :]
        result = result[:start] + replacement + result[end:]
        last_start = start
    return result
