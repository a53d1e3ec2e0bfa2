"""``--format gitlab``: a GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .._model import Severity
from ._model import FILE_ERROR, RunResult

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def to_issues(result: RunResult) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = []
    for diag in result.diagnostics:
        description = f"{diag.rule_id}: {diag.message}"
        if diag.suggestions:
            description += f" Suggestion: {diag.suggestions[0]}"
        fingerprint = diag.fingerprint or hashlib.sha256(
            f"{diag.path}\0{diag.rule_id}\0{diag.start}\0{diag.end}".encode()
        ).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": diag.rule_id,
                "description": description,
                "categories": ["Style"],
                "severity": _SEVERITY[diag.severity],
                "fingerprint": fingerprint,
                "location": {"path": diag.path, "lines": {"begin": diag.line, "end": diag.end_line}},
            }
        )
    for file in result.files:
        if file.error:
            issues.append(
                {
                    "type": "issue",
                    "check_name": FILE_ERROR,
                    "description": f"{FILE_ERROR}: {file.error}",
                    "categories": ["Bug Risk"],
                    "severity": "blocker",
                    "fingerprint": hashlib.sha256(f"{file.path}\0{FILE_ERROR}".encode()).hexdigest(),
                    "location": {"path": file.path, "lines": {"begin": 1, "end": 1}},
                }
            )
    return issues


def emit_gitlab(result: RunResult) -> str:
    return json.dumps(to_issues(result), ensure_ascii=False, indent=2) + "\n"
