"""What the emitters consume: positioned diagnostics per file, in a deterministic order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .._model import Severity

# Diagnostics that do not come from a phrase rule or an element.
FILE_ERROR = "file-error"
UNKNOWN_SUPPRESSION = "suppression.unknown-rule"
UNUSED_SUPPRESSION = "suppression.unused"
MISSING_PREFIX = "missing."

CLI_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Diagnostic:
    """One finding, missing element or file problem, positioned in the original file.

    ``line``/``column`` are 1-based; columns count Unicode code points. ``end_column`` is exclusive
    (the column just after the span). File-level diagnostics (missing elements) carry the position
    of the start of their unit and ``file_level=True``.
    """

    path: str
    rule_id: str
    severity: Severity
    category: str
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str = ""
    suggestions: tuple[str, ...] = ()
    unit: str = ""
    file_level: bool = False
    source_line: str = ""
    autofix: bool = False
    fingerprint: str = ""

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.end_line, self.end_column, self.rule_id, self.unit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "category": self.category,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "unit": self.unit,
            "file_level": self.file_level,
            "autofix": self.autofix,
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class UnitResult:
    """One checked text inside a file (a whole file, or one template of a JSON/YAML library)."""

    label: str
    report: dict[str, Any]  # the wire schema, findings filtered and positioned
    score: float
    lang: str


@dataclass(frozen=True)
class FileResult:
    path: str
    input_format: str = ""
    units: tuple[UnitResult, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str | None = None

    @property
    def min_score(self) -> float | None:
        return min((u.score for u in self.units), default=None)


@dataclass(frozen=True)
class RuleInfo:
    """Rule metadata for SARIF ``tool.driver.rules`` (and ``invoicetone rules``)."""

    id: str
    category: str
    severity: Severity
    message: str
    rationale: str = ""
    suggestions: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    link: str = ""
    autofix: bool = False


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    version: str = ""
    fail_on: Severity = Severity.WARNING
    fail_under: float | None = None
    baseline_hidden: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        out = [d for f in self.files for d in f.diagnostics]
        out.sort(key=lambda d: d.sort_key)
        return out

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            counts[d.severity.value] += 1
        return counts


def sorted_files(files: Sequence[FileResult]) -> tuple[FileResult, ...]:
    return tuple(sorted(files, key=lambda f: f.path))
