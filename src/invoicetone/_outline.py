"""``invoicetone.outline``: a reply skeleton for a client's message, in the order the guidance
recommends — thanks, paraphrase, evidence and terms, options, next steps, invitation — filled with
the facts known (contract terms, invoice number, amounts) and visible placeholders for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._coaching import coaching
from ._contract import coerce_contract
from ._dispute import analyse_client
from ._structure import facts_for
from .errors import InputError

# (section id, the elements whose suggestions make it up)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("thanks", ("acknowledgement",)),
    ("paraphrase", ("paraphrase",)),
    ("evidence_and_terms", ("evidence", "contract_reference")),
    ("options", ("solution",)),
    ("next_steps", ("next_steps",)),
    ("invitation", ("invitation",)),
)
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")


@dataclass(frozen=True)
class OutlineSection:
    """One part of the outline: ``id`` (thanks, paraphrase, …), the elements it covers, its text."""

    id: str
    elements: tuple[str, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "elements": list(self.elements), "text": self.text}


@dataclass(frozen=True)
class Outline:
    """A suggested reply. ``text`` is ready to edit; ``placeholders`` lists what is left to fill."""

    lang: str
    dispute_types: tuple[str, ...]
    client_heated: bool
    sections: tuple[OutlineSection, ...]
    text: str
    placeholders: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "dispute_types": list(self.dispute_types),
            "client_heated": self.client_heated,
            "sections": [s.to_dict() for s in self.sections],
            "text": self.text,
            "placeholders": list(self.placeholders),
        }


def outline(client_message: str, contract: Any = None, lang: str | None = None) -> Outline:
    """A reply skeleton for ``client_message`` (English or Slovak; detected when ``lang`` is None)."""
    if not isinstance(client_message, str):
        raise TypeError(f"outline() needs the client's message as str, not {type(client_message).__name__}")
    if lang is None:
        from ._langdetect import detect_language

        code = detect_language(client_message)[0]
    else:
        if not isinstance(lang, str) or lang.split("-")[0].lower() not in ("en", "sk"):
            raise InputError(f"unsupported language {lang!r}; use 'en', 'sk' or None to detect")
        code = lang.split("-")[0].lower()
    terms = coerce_contract(contract)
    client = analyse_client(client_message, code) if client_message.strip() else None
    text = coaching(code)
    dispute_ids = tuple(d.id for d in client.dispute_types) if client else ()
    heated = bool(client and client.heated)
    facts = facts_for(terms, client)
    sections = []
    for section_id, element_ids in SECTIONS:
        sentences = [text.suggestion(e, dispute_ids, facts, heated=heated) for e in element_ids]
        body = " ".join(s for s in sentences if s)
        sections.append(OutlineSection(section_id, element_ids, body))
    greeting = text.fill(text.greeting, facts) if text.greeting else ""
    closing = text.fill([text.closing], facts) if text.closing else ""
    parts = [greeting, f"{sections[0].text} {sections[1].text}", sections[2].text, sections[3].text,
             f"{sections[4].text} {sections[5].text}", closing]
    full = "\n\n".join(p for p in parts if p.strip())
    placeholders = tuple(dict.fromkeys(_PLACEHOLDER.findall(full)))
    return Outline(code, dispute_ids, heated, tuple(sections), full, placeholders)
