"""Human-readable output: ``file:line:col: severity rule-id message``, a caret line, a summary."""

from __future__ import annotations

import unicodedata

from .._model import Severity
from ._model import Diagnostic, RunResult

_COLOURS = {
    Severity.ERROR: "\x1b[31;1m",
    Severity.WARNING: "\x1b[33;1m",
    Severity.INFO: "\x1b[36m",
}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display(line: str) -> str:
    return line.replace("\t", " ").rstrip("\r\n")


def caret_line(source_line: str, column: int, end_column: int) -> str:
    """Spaces up to ``column`` and carets under ``[column, end_column)`` (1-based, code points)."""
    shown = _display(source_line)
    before = shown[: column - 1]
    under = shown[column - 1 : max(end_column - 1, column)]
    pad = sum(_width(c) for c in before)
    width = max(1, sum(_width(c) for c in under))
    return " " * pad + "^" * width


def format_diagnostic(diag: Diagnostic, *, colour: bool = False) -> str:
    sev = diag.severity.value
    where = f"{diag.path}:{diag.line}:{diag.column}"
    if colour:
        sev = f"{_COLOURS[diag.severity]}{sev}{_RESET}"
        where = f"{_BOLD}{where}{_RESET}"
    unit = f" [{diag.unit}]" if diag.unit else ""
    lines = [f"{where}: {sev} {diag.rule_id}{unit}: {diag.message}"]
    if diag.source_line and not diag.file_level:
        gutter = f"{diag.line:>5} | "
        end_column = diag.end_column if diag.end_line == diag.line else len(_display(diag.source_line)) + 1
        lines.append(gutter + _display(diag.source_line))
        carets = caret_line(diag.source_line, diag.column, end_column)
        if colour:
            carets = f"{_COLOURS[diag.severity]}{carets}{_RESET}"
        lines.append(" " * (len(gutter) - 2) + "| " + carets)
    if diag.suggestions:
        best = diag.suggestions[0]
        shown = repr(best) if best.strip() != best or not best else best
        label = "fix" if diag.autofix else "suggestion"
        lines.append(f"      {_DIM if colour else ''}{label}: {shown}{_RESET if colour else ''}")
    return "\n".join(lines)


def emit_text(result: RunResult, *, colour: bool = False, show_scores: bool = True) -> str:
    out: list[str] = []
    for diag in result.diagnostics:
        out.append(format_diagnostic(diag, colour=colour))
    for file in result.files:
        if file.error:
            msg = f"{file.path}: error {file.error}"
            out.append(f"{_COLOURS[Severity.ERROR]}{msg}{_RESET}" if colour else msg)
    out.append(summary(result, show_scores=show_scores))
    return "\n".join(out) + "\n"


def summary(result: RunResult, *, show_scores: bool = True) -> str:
    counts = result.counts()
    total = sum(counts.values())
    with_findings = sum(1 for f in result.files if f.diagnostics)
    checked = sum(1 for f in result.files if not f.error)
    errors = sum(1 for f in result.files if f.error)
    parts = [
        f"{total} finding{'s' if total != 1 else ''} "
        f"({counts['error']} error, {counts['warning']} warning, {counts['info']} info) "
        f"in {with_findings} of {checked} file{'s' if checked != 1 else ''}"
    ]
    if errors:
        parts.append(f"{errors} file{'s' if errors != 1 else ''} could not be checked")
    if result.baseline_hidden:
        parts.append(f"{result.baseline_hidden} known in the baseline")
    if show_scores:
        scored = [(f.min_score, f.path) for f in result.files if f.min_score is not None]
        if scored:
            low, path = min(scored)
            parts.append(f"lowest score {low:.0f}/100 ({path})")
    return "; ".join(parts) + "."
