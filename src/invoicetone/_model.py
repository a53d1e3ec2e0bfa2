"""The public data model: frozen dataclasses and string enums."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ._contract import ContractTerm

SCHEMA_VERSION = "1.0"


class Severity(str, Enum):
    """How much a finding matters. Ordered: ``info`` < ``warning`` < ``error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Category(str, Enum):
    """What kind of phrasing a rule catches."""

    DENIAL = "denial"
    BLAME = "blame"
    POLICY = "policy"
    CONDESCENSION = "condescension"
    PASSIVE_AGGRESSION = "passive_aggression"
    THREAT = "threat"
    ABSOLUTE = "absolute"
    SARCASM = "sarcasm"
    MINIMISING = "minimising"
    EMOTIONAL = "emotional"
    INSULT = "insult"
    SHOUTING = "shouting"
    HEATED = "heated"
    CONTRACT = "contract"
    CUSTOM = "custom"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Suggestion:
    """A replacement for a finding's span (``replacement`` may be empty: delete the span)."""

    replacement: str
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"replacement": self.replacement, "description": self.description}


@dataclass(frozen=True)
class Finding:
    """One flagged span. ``start``/``end`` index the caller's original string."""

    rule_id: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: tuple[Suggestion, ...] = ()
    rationale: str = ""
    autofix: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "autofix": self.autofix,
        }


@dataclass(frozen=True)
class ElementSpan:
    """Where a reply element (acknowledgement, contract reference, …) was found."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class DisputeType:
    """A kind of dispute found in the client's message; ``cues`` index that message."""

    id: str
    cues: tuple[ElementSpan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "cues": [c.to_dict() for c in self.cues]}


@dataclass(frozen=True)
class Missing:
    """An element a good reply has and this draft lacks, with a sentence to paste."""

    id: str
    message: str
    suggestion: str
    severity: Severity = Severity.WARNING

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "message": self.message,
            "suggestion": self.suggestion,
            "severity": self.severity.value,
        }


@dataclass(frozen=True)
class Penalty:
    """Points taken off the score, and why (a finding's rule id or a missing element's id)."""

    source: str
    subscore: str
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "subscore": self.subscore, "points": self.points}


@dataclass(frozen=True)
class Report:
    """The result of checking one draft. Immutable; serialises to the versioned wire schema."""

    score: float
    subscores: dict[str, float]
    findings: tuple[Finding, ...]
    missing: tuple[Missing, ...]
    lang: str
    lang_confidence: float = 1.0
    elements: dict[str, tuple[ElementSpan, ...]] = field(default_factory=dict)
    penalties: tuple[Penalty, ...] = ()
    notes: tuple[str, ...] = ()
    dispute_types: tuple[DisputeType, ...] = ()
    client_heated: bool | None = None  # None: no client message was given
    contract_terms: tuple[ContractTerm, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "lang": self.lang,
            "lang_confidence": round(self.lang_confidence, 4),
            "score": round(self.score, 2),
            "subscores": {k: round(v, 2) for k, v in self.subscores.items()},
            "findings": [f.to_dict() for f in self.findings],
            "missing": [m.to_dict() for m in self.missing],
            "elements": {
                name: [span.to_dict() for span in spans] for name, spans in self.elements.items()
            },
            "penalties": [p.to_dict() for p in self.penalties],
            "notes": list(self.notes),
            "dispute_types": [d.to_dict() for d in self.dispute_types],
            "client_heated": self.client_heated,
            "contract_terms": [t.to_dict() for t in self.contract_terms],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
