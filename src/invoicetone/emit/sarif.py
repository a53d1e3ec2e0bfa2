"""``--format sarif``: SARIF 2.1.0 for code-scanning upload, ``tool.driver.rules`` from rule metadata."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .._model import Severity
from ._model import Diagnostic, RuleInfo, RunResult

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/invoicetone/"
FINGERPRINT_KEY = "invoicetone/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:@-._~!$&'()*+,;=")


def _descriptor(rule_id: str, info: RuleInfo | None) -> dict[str, Any]:
    if info is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("-", ".").replace("_", ".").split(".")),
        "shortDescription": {"text": info.message},
        "fullDescription": {"text": info.rationale or info.message},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {
            "category": info.category,
            "tags": ["tone", info.category],
            "languages": list(info.langs),
            "autofix": info.autofix,
        },
    }
    help_text = info.rationale or info.message
    if info.suggestions:
        help_text += "\n\nWrite instead: " + " / ".join(repr(s) if not s.strip() else s for s in info.suggestions)
    descriptor["help"] = {"text": help_text}
    if info.link:
        descriptor["helpUri"] = info.link
    return descriptor


def _region(diag: Diagnostic) -> dict[str, Any]:
    if diag.file_level:
        return {"startLine": diag.line}
    region: dict[str, Any] = {
        "startLine": diag.line,
        "startColumn": diag.column,
        "endLine": diag.end_line,
        "endColumn": diag.end_column,
        "charOffset": diag.start,
        "charLength": diag.end - diag.start,
    }
    if diag.text:
        region["snippet"] = {"text": diag.text}
    return region


def to_sarif(result: RunResult) -> dict[str, Any]:
    diagnostics = result.diagnostics
    rule_ids = sorted({d.rule_id for d in diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = []
    for diag in diagnostics:
        location = {"physicalLocation": {"artifactLocation": {"uri": _uri(diag.path)}, "region": _region(diag)}}
        item: dict[str, Any] = {
            "ruleId": diag.rule_id,
            "ruleIndex": index[diag.rule_id],
            "level": _LEVEL[diag.severity],
            "message": {"text": diag.message + (f" Suggestion: {diag.suggestions[0]}" if diag.suggestions else "")},
            "locations": [location],
        }
        if diag.fingerprint:
            item["partialFingerprints"] = {FINGERPRINT_KEY: diag.fingerprint}
        if diag.unit:
            item["properties"] = {"unit": diag.unit}
        if diag.suggestions and not diag.file_level:
            region = {k: v for k, v in _region(diag).items() if k not in ("snippet",)}
            item["fixes"] = [
                {
                    "description": {"text": f"Replace with {diag.suggestions[0]!r}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(diag.path)},
                            "replacements": [{"deletedRegion": region, "insertedContent": {"text": diag.suggestions[0]}}],
                        }
                    ],
                }
            ]
        results.append(item)
    notifications = [
        {
            "level": "error",
            "message": {"text": file.error},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(file.path)}}}],
        }
        for file in result.files
        if file.error
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "invoicetone",
                "version": result.version,
                "semanticVersion": result.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule_id, result.rules.get(rule_id)) for rule_id in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def emit_sarif(result: RunResult) -> str:
    return json.dumps(to_sarif(result), ensure_ascii=False, indent=2) + "\n"
