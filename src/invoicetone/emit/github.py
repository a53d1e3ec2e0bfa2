"""``--format github``: GitHub Actions workflow commands, one annotation per diagnostic."""

from __future__ import annotations

from .._model import Severity
from ._model import RunResult

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow-command message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=`` …)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def emit_github(result: RunResult) -> str:
    lines = []
    for diag in result.diagnostics:
        props = [f"file={escape_property(diag.path)}", f"line={diag.line}"]
        if not diag.file_level:
            props += [f"col={diag.column}", f"endLine={diag.end_line}", f"endColumn={diag.end_column}"]
        props.append(f"title={escape_property(f'invoicetone {diag.rule_id}')}")
        message = diag.message
        if diag.suggestions:
            message += f"\nSuggestion: {diag.suggestions[0]}"
        lines.append(f"::{_LEVEL[diag.severity]} {','.join(props)}::{escape_data(message)}")
    for file in result.files:
        if file.error:
            where = f"file={escape_property(file.path)},title={escape_property('invoicetone file-error')}"
            lines.append(f"::error {where}::{escape_data(file.error)}")
    return "".join(line + "\n" for line in lines)
