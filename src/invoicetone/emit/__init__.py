"""Output emitters: small functions from a :class:`RunResult` to text. One per ``--format``."""

from __future__ import annotations

from collections.abc import Callable

from ._model import (
    CLI_SCHEMA_VERSION,
    FILE_ERROR,
    MISSING_PREFIX,
    UNKNOWN_SUPPRESSION,
    UNUSED_SUPPRESSION,
    Diagnostic,
    FileResult,
    RuleInfo,
    RunResult,
    UnitResult,
)
from .github import emit_github
from .gitlab import emit_gitlab
from .json import emit_json
from .sarif import emit_sarif
from .text import emit_text

__all__ = [
    "CLI_SCHEMA_VERSION",
    "EMITTERS",
    "FILE_ERROR",
    "MISSING_PREFIX",
    "UNKNOWN_SUPPRESSION",
    "UNUSED_SUPPRESSION",
    "Diagnostic",
    "FileResult",
    "RuleInfo",
    "RunResult",
    "UnitResult",
    "emit_github",
    "emit_gitlab",
    "emit_json",
    "emit_sarif",
    "emit_text",
]

EMITTERS: dict[str, Callable[[RunResult], str]] = {
    "text": emit_text,
    "json": emit_json,
    "sarif": emit_sarif,
    "github": emit_github,
    "gitlab": emit_gitlab,
}
