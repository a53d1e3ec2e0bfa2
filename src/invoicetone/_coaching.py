"""Coaching text per language (``data/coaching/<lang>.yaml``): suggestion templates and messages.

A template names the facts it needs as ``{slots}``. The first template whose slots are all known
is used; otherwise the last one, with each unknown slot shown as a visible placeholder such as
``[date]`` — a suggestion never invents a fact it does not have.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import PackError

SLOTS = (
    "client_name", "invoice_number", "amount", "payment_days", "payment_clause", "late_fee",
    "late_fee_clause", "rate", "due_date", "date", "your_name",
)
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Coaching:
    lang: str
    placeholders: Mapping[str, str]
    always_placeholder: frozenset[str]
    clause_word: str
    greeting: tuple[str, ...]
    closing: str
    notes: Mapping[str, str]
    dispute_names: Mapping[str, str]
    contradiction: Mapping[str, Any]
    messages: Mapping[str, Mapping[str, str]]
    suggestions: Mapping[str, Mapping[str, tuple[str, ...]]]

    def slots_of(self, template: str) -> list[str]:
        return [name for _, name, _, _ in _FORMATTER.parse(template) if name]

    def fill(self, templates: Sequence[str], facts: Mapping[str, str]) -> str:
        """The first template whose facts are known, else the last with placeholders."""
        chosen = templates[-1]
        for template in templates:
            needed = [s for s in self.slots_of(template) if s not in self.always_placeholder]
            if all(facts.get(s) for s in needed):
                chosen = template
                break
        values = {
            slot: (facts[slot] if facts.get(slot) and slot not in self.always_placeholder else self.placeholders.get(slot, f"[{slot}]"))
            for slot in self.slots_of(chosen)
        }
        return chosen.format(**values)

    def suggestion(self, element: str, dispute_types: Sequence[str], facts: Mapping[str, str], *, heated: bool = False) -> str | None:
        """The ready-to-paste sentence for ``element`` (fitted to the first dispute type that has one)."""
        by_kind = self.suggestions.get(element)
        if not by_kind:
            return None
        if heated and "heated" in by_kind:
            return self.fill(by_kind["heated"], facts)
        for dispute in dispute_types:
            if dispute in by_kind:
                return self.fill(by_kind[dispute], facts)
        return self.fill(by_kind["default"], facts)

    def message(self, element: str, dispute_types: Sequence[str]) -> str | None:
        for dispute in dispute_types:
            text = self.messages.get(dispute, {}).get(element)
            if text:
                return text
        return None


def _data_dir() -> Any:
    from ._packs import builtin_data_dir

    return builtin_data_dir() / "coaching"


@lru_cache(maxsize=4)
def coaching(lang: str) -> Coaching:
    """The coaching text of ``lang``, validated on first use."""
    import yaml

    path = _data_dir() / f"{lang}.yaml"
    spath = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise PackError(f"cannot load coaching text: {exc}", path=spath) from exc
    if not isinstance(data, dict):
        raise PackError("a coaching file is a mapping", path=spath)
    suggestions: dict[str, dict[str, tuple[str, ...]]] = {}
    for element, by_kind in (data.get("suggestions") or {}).items():
        if not isinstance(by_kind, dict) or "default" not in by_kind:
            raise PackError("needs a 'default' list of templates", path=spath, rule_id=str(element), field="suggestions")
        suggestions[element] = {}
        for kind, templates in by_kind.items():
            if not isinstance(templates, list) or not templates or not all(isinstance(t, str) for t in templates):
                raise PackError("templates are a non-empty list of strings", path=spath, rule_id=f"{element}.{kind}", field="suggestions")
            for template in templates:
                try:
                    slots = [name for _, name, _, _ in _FORMATTER.parse(template) if name]
                except ValueError as exc:
                    raise PackError(f"bad template {template!r}: {exc}", path=spath, rule_id=f"{element}.{kind}") from exc
                unknown = set(slots) - set(SLOTS)
                if unknown:
                    raise PackError(f"unknown slot(s) {sorted(unknown)} in {template!r}; known: {list(SLOTS)}", path=spath, rule_id=f"{element}.{kind}")
            suggestions[element][kind] = tuple(templates)
    return Coaching(
        lang=lang,
        placeholders=dict(data.get("placeholders") or {}),
        always_placeholder=frozenset(data.get("always_placeholder") or ()),
        clause_word=str(data.get("clause_word", "")),
        greeting=tuple(data.get("greeting") or ()),
        closing=str(data.get("closing", "")),
        notes=dict(data.get("notes") or {}),
        dispute_names=dict(data.get("dispute_names") or {}),
        contradiction=dict(data.get("contradiction") or {}),
        messages={k: dict(v) for k, v in (data.get("messages") or {}).items()},
        suggestions=suggestions,
    )
