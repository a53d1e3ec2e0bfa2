"""The ``invoicetone`` command: check, fix, rules, explain, packs test, config.

Thin: parse arguments, load the configuration, hand files to workers that call the Checker, filter
(suppressions, baseline, changed lines), emit. Exit codes: 0 nothing at or above ``fail_on``,
1 findings (or a file could not be checked, or a score is below ``fail_under``), 2 usage or
configuration error. Nothing here prints a traceback: every failure becomes a message.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import difflib
import html
import io
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from ._baseline import (
    baseline_entries,
    baseline_key_path,
    load_baseline,
    with_fingerprints,
    write_baseline,
)
from ._checker import Checker
from ._config import Config, Settings, find_config, load_config, settings_toml
from ._files import (
    FORMATS,
    Decoded,
    SourceError,
    changed_lines,
    decode,
    detect_format,
    discover,
    encode,
    parse_units,
    read_file,
)
from ._fix import apply_edits
from ._model import Report, Severity
from ._packs import Rule, load_rules
from ._sentence_model import fill_facts
from .emit import (
    EMITTERS,
    MISSING_PREFIX,
    UNKNOWN_SUPPRESSION,
    UNUSED_SUPPRESSION,
    Diagnostic,
    FileResult,
    RuleInfo,
    RunResult,
    UnitResult,
)
from .emit.text import emit_text
from .errors import ConfigError, InputError, InvoiceToneError, PackError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
STDIN = "-"
MISSING_PATH = "no such file or directory"
# below this many files the work stays in this process: starting workers costs more than it saves
POOL_THRESHOLD = 32


# ============================================================================ check specification


@dataclass(frozen=True)
class CheckSpec:
    """What a worker needs to check one file; hashable so each worker builds one Checker per spec."""

    lang: str | None
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    categories: tuple[str, ...] | None
    severity: tuple[tuple[str, str], ...]
    packs: tuple[str, ...]
    required: tuple[str, ...] | None
    placeholders: tuple[str, ...] | None
    key_paths: tuple[str, ...]
    input_format: str | None
    report_unused: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, *, report_unused: bool = False) -> CheckSpec:
        return cls(
            lang=settings.lang,
            select=settings.select,
            ignore=settings.ignore,
            categories=settings.categories,
            severity=settings.severity,
            packs=settings.packs,
            required=settings.required,
            placeholders=settings.placeholders,
            key_paths=settings.key_paths,
            input_format=settings.input_format,
            report_unused=report_unused,
        )

    def checker(self) -> Checker:
        return Checker(
            lang=self.lang,
            packs=self.packs,
            select=self.select,
            ignore=self.ignore,
            categories=self.categories,
            severity_overrides=dict(self.severity),
            required_elements=self.required,
        )


@dataclass(frozen=True)
class Task:
    path: str | None  # absolute path, or None for text given directly (stdin)
    display: str
    spec: CheckSpec
    text: str | None = None
    client_message: str | None = None
    mode: str = "check"  # "check", "fix" or "diff"


@dataclass(frozen=True)
class FixOutcome:
    display: str
    fixes: int = 0
    diff: str = ""
    error: str | None = None


_checkers: dict[CheckSpec, Checker] = {}
_known: dict[tuple[str, ...], frozenset[str]] = {}


def _checker_for(spec: CheckSpec) -> Checker:
    checker = _checkers.get(spec)
    if checker is None:
        checker = _checkers[spec] = spec.checker()
    return checker


def _init_worker(known: dict[tuple[str, ...], frozenset[str]]) -> None:
    """Worker start: the selectors the main process already computed (loading packs is slow)."""
    _known.update(known)


def _known_selectors(spec: CheckSpec, checker: Checker) -> frozenset[str]:
    known = _known.get(spec.packs)
    if known is None:
        known = _known[spec.packs] = known_selectors(checker.load_rules())
    return known


def known_selectors(rules: Iterable[Rule]) -> frozenset[str]:
    """Every id, id prefix and category a selector (select / ignore / suppression) may name."""
    names: set[str] = {"all", UNKNOWN_SUPPRESSION, UNUSED_SUPPRESSION}
    for rule in rules:
        rule_id = MISSING_PREFIX + rule.id if rule.kind == "element" else rule.id
        parts = rule_id.split(".")
        names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        if rule.kind == "rule":
            names.add(rule.category.value)
    return frozenset(names)


# ============================================================================ positions


class LineIndex:
    """Offsets to 1-based line and column (columns in code points)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        position = text.find("\n")
        while position != -1:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")


def _selector_matches(selector: str, rule_id: str, category: str) -> bool:
    return selector in ("all", rule_id, category) or rule_id.startswith(selector + ".")


# ============================================================================ worker


def _unit_start(unit: Any) -> int:
    document = unit.document
    return int(document.starts[0]) if document.starts else 0


def _check_unit(unit: Any, spec: CheckSpec, checker: Checker, lines: LineIndex, display: str, client: str | None) -> tuple[UnitResult, list[Diagnostic]]:
    report: Report = checker.check_document(unit.document, client_message=unit.client_message or client)
    suppressions = tuple(unit.suppressions)
    used = [False] * len(suppressions)
    label = unit.label or ""
    kept_findings: list[dict[str, Any]] = []
    kept_missing: list[dict[str, Any]] = []
    diagnostics: list[Diagnostic] = []

    def suppressed(rule_id: str, category: str, start: int | None) -> bool:
        hit = False
        for index, supp in enumerate(suppressions):
            rules = tuple(supp.rules) or ("all",)
            if not any(_selector_matches(sel, rule_id, category) for sel in rules):
                continue
            if start is None or supp.start <= start < supp.end:
                used[index] = True
                hit = True
        return hit

    for finding in report.findings:
        if suppressed(finding.rule_id, finding.category.value, finding.start):
            continue
        line, column = lines.position(finding.start)
        end_line, end_column = lines.position(finding.end)
        item = finding.to_dict()
        item.update(line=line, column=column, end_line=end_line, end_column=end_column)
        kept_findings.append(item)
        diagnostics.append(
            Diagnostic(
                path=display, rule_id=finding.rule_id, severity=finding.severity, category=finding.category.value,
                message=finding.message, start=finding.start, end=finding.end, line=line, column=column,
                end_line=end_line, end_column=end_column, text=finding.text,
                suggestions=tuple(s.replacement for s in finding.suggestions), unit=label,
                source_line=lines.line_text(line), autofix=finding.autofix,
            )
        )
    start = _unit_start(unit)
    line, column = lines.position(start)
    for missing in report.missing:
        rule_id = MISSING_PREFIX + missing.id
        if spec.select is not None and not any(_selector_matches(sel, rule_id, "structure") for sel in spec.select):
            continue
        if any(_selector_matches(sel, rule_id, "structure") for sel in spec.ignore):
            continue
        if suppressed(rule_id, "structure", None):
            continue
        item = missing.to_dict()
        item.update(line=line, column=column)
        kept_missing.append(item)
        diagnostics.append(
            Diagnostic(
                path=display, rule_id=rule_id, severity=missing.severity, category="structure",
                message=missing.message, start=start, end=start, line=line, column=column, end_line=line,
                end_column=column, suggestions=(missing.suggestion,) if missing.suggestion else (), unit=label,
                file_level=True,
            )
        )
    known = _known_selectors(spec, checker)
    for index, supp in enumerate(suppressions):
        supp_line = int(supp.line)
        for selector in supp.rules:
            if selector not in known:
                diagnostics.append(
                    Diagnostic(
                        path=display, rule_id=UNKNOWN_SUPPRESSION, severity=Severity.WARNING, category="suppression",
                        message=f"Suppression names an unknown rule {selector!r}; check the id with `invoicetone rules`.",
                        start=supp.start, end=supp.start, line=supp_line, column=1, end_line=supp_line, end_column=1,
                        text=selector, unit=label, source_line=lines.line_text(supp_line),
                    )
                )
        if spec.report_unused and not used[index] and all(s in known for s in supp.rules):
            names = ", ".join(supp.rules) or "all rules"
            diagnostics.append(
                Diagnostic(
                    path=display, rule_id=UNUSED_SUPPRESSION, severity=Severity.WARNING, category="suppression",
                    message=f"Unused suppression ({supp.kind}: {names}): nothing here is flagged any more; remove it.",
                    start=supp.start, end=supp.start, line=supp_line, column=1, end_line=supp_line, end_column=1,
                    text=names, unit=label, source_line=lines.line_text(supp_line),
                )
            )
    wire = report.to_dict()
    wire["findings"] = kept_findings
    wire["missing"] = kept_missing
    return UnitResult(label=label, report=wire, score=report.score, lang=report.lang), diagnostics


def _load(task: Task) -> tuple[Decoded, str]:
    if task.text is not None:
        decoded = Decoded(task.text, "utf-8")
    else:
        assert task.path is not None
        decoded = read_file(Path(task.path))
    fmt = task.spec.input_format or detect_format(task.path or task.display)
    return decoded, fmt


_BRANCH = re.compile(r"\s*branch \d+/\d+$")


def base_label(label: str) -> str:
    """A unit label without its template-branch suffix (``macros[0].body branch 2/3`` → ``macros[0].body``)."""
    return _BRANCH.sub("", label)


def _merge_branches(diagnostics: list[Diagnostic], labels: Sequence[str]) -> list[Diagnostic]:
    """One diagnostic per file span and rule, whichever template branch found it.

    A missing element is reported once for the template when every branch lacks it, else for each
    branch that lacks it.
    """
    branches: dict[str, int] = {}
    for label in labels:
        branches[base_label(label)] = branches.get(base_label(label), 0) + 1
    seen: set[tuple[str, int, int, str]] = set()
    lacking: dict[tuple[str, str], list[Diagnostic]] = {}
    out: list[Diagnostic] = []
    for diag in diagnostics:
        if diag.file_level and diag.rule_id.startswith(MISSING_PREFIX):
            lacking.setdefault((diag.rule_id, base_label(diag.unit)), []).append(diag)
            continue
        key = (diag.rule_id, diag.start, diag.end, base_label(diag.unit))
        if key in seen:
            continue
        seen.add(key)
        out.append(replace(diag, unit=base_label(diag.unit)) if diag.unit != base_label(diag.unit) else diag)
    for (_rule_id, label), group in lacking.items():
        if len(group) == branches.get(label, 1) and len(group) > 1:
            out.append(replace(group[0], unit=label))
        else:
            out.extend(group)
    return out


def check_task(task: Task) -> FileResult:
    """Read, parse and check one file. Never raises: a problem becomes the file's ``error``."""
    fmt = ""
    try:
        decoded, fmt = _load(task)
        units = parse_units(decoded.text, fmt, key_paths=task.spec.key_paths, placeholders=task.spec.placeholders)
        checker = _checker_for(task.spec)
        lines = LineIndex(decoded.text)
        unit_results = []
        diagnostics: list[Diagnostic] = []
        for unit in units:
            unit_result, unit_diagnostics = _check_unit(unit, task.spec, checker, lines, task.display, task.client_message)
            unit_results.append(unit_result)
            diagnostics.extend(unit_diagnostics)
        diagnostics = _merge_branches(diagnostics, [u.label for u in unit_results])
        diagnostics.sort(key=lambda d: d.sort_key)
        return FileResult(task.display, fmt, tuple(unit_results), tuple(diagnostics))
    except (InputError, SourceError) as exc:
        return FileResult(task.display, fmt, error=str(exc) or type(exc).__name__)
    except PackError:
        raise
    except InvoiceToneError as exc:
        return FileResult(task.display, fmt, error=str(exc))
    except RecursionError:
        return FileResult(task.display, fmt, error="the file is nested too deeply to parse")
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError) as exc:
        # a bug of ours on this input: report it for this file and go on with the rest
        return FileResult(task.display, fmt, error=f"internal error while checking ({type(exc).__name__}: {exc}); please report it")


def _escape_for(fmt: str, replacement: str) -> str | None:
    """The replacement as it must be written in a file of format ``fmt`` (None: unsafe, skip)."""
    if fmt == "json":
        return json.dumps(replacement, ensure_ascii=False)[1:-1]
    if fmt in ("html", "email"):
        return html.escape(replacement, quote=False)
    if fmt == "yaml" and any(c in replacement for c in "\"'\\:#\n{}[]"):
        return None
    return replacement


MAX_FIX_PASSES = 4


def fix_task(task: Task) -> FixOutcome:
    """Apply the first suggestion of every auto-fixable finding; write atomically or return a diff."""
    try:
        decoded, fmt = _load(task)
        checker = _checker_for(task.spec)
        text = decoded.text
        total = 0
        for _ in range(MAX_FIX_PASSES):
            edits: list[tuple[int, int, str]] = []
            units = parse_units(text, fmt, key_paths=task.spec.key_paths, placeholders=task.spec.placeholders)
            for unit in units:
                document = unit.document
                placeholders = [document.to_original(s, e) for s, e in document.masked]
                report = checker.check_document(document, client_message=unit.client_message or task.client_message)
                for finding in report.findings:
                    if not finding.autofix or not finding.suggestions:
                        continue
                    if any(ps < finding.end and finding.start < pe for ps, pe in placeholders):
                        continue
                    if any(
                        s.start <= finding.start < s.end and any(_selector_matches(r, finding.rule_id, finding.category.value) for r in (tuple(s.rules) or ("all",)))
                        for s in unit.suppressions
                    ):
                        continue
                    replacement = _escape_for(fmt, finding.suggestions[0].replacement)
                    if replacement is None or text[finding.start:finding.end] == replacement:
                        continue
                    edits.append((finding.start, finding.end, replacement))
            if not edits:
                break
            new_text = apply_edits(text, edits)
            if new_text == text:
                break
            parse_units(new_text, fmt, key_paths=task.spec.key_paths, placeholders=task.spec.placeholders)
            total += len(edits)
            text = new_text
        if text == decoded.text:
            return FixOutcome(task.display)
        if task.mode == "diff":
            diff = "".join(
                difflib.unified_diff(
                    decoded.text.splitlines(keepends=True), text.splitlines(keepends=True),
                    fromfile=f"a/{task.display}", tofile=f"b/{task.display}",
                )
            )
            if diff and not diff.endswith("\n"):
                diff += "\n\\ No newline at end of file\n"
            return FixOutcome(task.display, total, diff)
        if task.path is None:
            return FixOutcome(task.display, total, text)
        from ._baseline import atomic_write

        atomic_write(Path(task.path), encode(decoded, text))
        return FixOutcome(task.display, total)
    except (InvoiceToneError, OSError) as exc:
        return FixOutcome(task.display, error=str(exc) or type(exc).__name__)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, RecursionError) as exc:
        return FixOutcome(task.display, error=f"internal error while fixing ({type(exc).__name__}: {exc}); please report it")


def _run_task(task: Task) -> FileResult | FixOutcome:
    return check_task(task) if task.mode == "check" else fix_task(task)


# ============================================================================ running many


class Progress:
    """A one-line progress bar on standard error, drawn only on a terminal."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 1
        self.done = 0
        self._last = 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def run_tasks(tasks: Sequence[Task], jobs: int, progress: Progress, known: Mapping[tuple[str, ...], frozenset[str]] | None = None) -> list[Any]:
    if known:
        _known.update(known)
    if jobs <= 1 or len(tasks) < POOL_THRESHOLD:
        results = []
        for task in tasks:
            results.append(_run_task(task))
            progress.step()
        return results
    workers = min(jobs, len(tasks))
    chunksize = max(1, min(50, len(tasks) // (workers * 8)))
    results = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(dict(known or {}),)
    ) as pool:
        for result in pool.map(_run_task, tasks, chunksize=chunksize):
            results.append(result)
            progress.step()
    return results


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# ============================================================================ rule metadata


def rule_infos(rules: Iterable[Rule]) -> dict[str, RuleInfo]:
    infos: dict[str, RuleInfo] = {}
    for rule in rules:
        rule_id = MISSING_PREFIX + rule.id if rule.kind == "element" else rule.id
        known = infos.get(rule_id)
        if known is not None:
            infos[rule_id] = replace(known, langs=tuple(sorted({*known.langs, rule.lang})))
            continue
        if rule.kind == "element":
            infos[rule_id] = RuleInfo(
                rule_id, "structure", Severity.WARNING, rule.message, rule.rationale,
                (rule.element_suggestion,) if rule.element_suggestion else (), (rule.lang,),
            )
        else:
            infos[rule_id] = RuleInfo(
                rule_id, rule.category.value, rule.severity, rule.message, rule.rationale, rule.suggestions,
                (rule.lang,), rule.link, rule.autofix,
            )
    infos[UNKNOWN_SUPPRESSION] = RuleInfo(
        UNKNOWN_SUPPRESSION, "suppression", Severity.WARNING,
        "A suppression comment names a rule id that does not exist.",
        "A misspelt id suppresses nothing; the finding it was meant to silence is still reported.",
    )
    infos[UNUSED_SUPPRESSION] = RuleInfo(
        UNUSED_SUPPRESSION, "suppression", Severity.WARNING,
        "A suppression comment silences nothing.",
        "Stale suppressions hide future findings; remove them once the text is fixed.",
    )
    return infos


# ============================================================================ argument parsing


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # never exit from inside the library
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (recursive), or - for standard input")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: invoicetone.toml or pyproject.toml found upward)")
    p.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    p.add_argument("--lang", choices=["en", "sk", "auto"], help="language of the templates (default: detect)")
    p.add_argument("--input-format", choices=list(FORMATS), help="format of every input (default: by file ending)")
    p.add_argument("--include", action="append", default=None, metavar="GLOB", help="only files matching (gitignore syntax; repeatable)")
    p.add_argument("--exclude", action="append", default=None, metavar="GLOB", help="skip files matching (repeatable)")
    p.add_argument("--select", action="append", default=None, metavar="RULE", help="only these rule ids, prefixes or categories")
    p.add_argument("--ignore", action="append", default=None, metavar="RULE", help="skip these rule ids, prefixes or categories")
    p.add_argument("--stdin-filename", metavar="NAME", help="name (and format) of the text read from -")
    p.add_argument("--client-message", metavar="FILE", help="the client's message, used as context for every file")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--no-progress", action="store_true", help="never draw the progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="invoicetone", description="Coach replies to clients who dispute an invoice.")
    parser.add_argument("--version", action="version", version=f"invoicetone {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check templates and drafts")
    _add_input_options(check)
    check.add_argument("--format", "-f", choices=sorted(EMITTERS), default="text", dest="output_format")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of standard output")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    check.add_argument("--fail-on", choices=["info", "warning", "error"], help="lowest severity that fails the run (default: warning)")
    check.add_argument("--fail-under", type=float, metavar="SCORE", help="fail when a text scores below this (0-100)")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    group = check.add_mutually_exclusive_group()
    group.add_argument("--write-baseline", action="store_true", help="record every current finding in --baseline FILE")
    group.add_argument("--update-baseline", action="store_true", help="drop fixed findings from --baseline FILE")
    check.add_argument("--changed-since", metavar="REF", help="report only findings on lines changed since this git revision")
    check.add_argument("--report-unused-suppressions", action="store_true", help="report suppressions that silence nothing")

    fix = sub.add_parser("fix", help="apply the suggestions of auto-fixable rules")
    _add_input_options(fix)
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--lang", choices=["en", "sk"])
    rules.add_argument("--category")
    rules.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
    rules.add_argument("--packs", action="append", default=[], metavar="DIR", help="extra pack directory")

    explain = sub.add_parser("explain", help="explain a rule: what it catches, why, what to write instead")
    explain.add_argument("rule_id")
    explain.add_argument("--lang", choices=["en", "sk"])
    explain.add_argument("--packs", action="append", default=[], metavar="DIR", help="extra pack directory")

    packs = sub.add_parser("packs", help="work with phrase packs")
    packs_sub = packs.add_subparsers(dest="packs_command", required=True, parser_class=_Parser)
    ptest = packs_sub.add_parser("test", help="run a pack's own examples")
    ptest.add_argument("directory")
    ptest.add_argument("--no-builtin", action="store_true", help="check without the built-in packs loaded beside it")
    ptest.add_argument("--min-examples", type=int, default=1, metavar="N", help="flag and pass examples each rule needs (default 1)")

    config = sub.add_parser("config", help="print the effective settings for a path")
    config.add_argument("path", nargs="?", default=".")
    config.add_argument("--config", metavar="FILE")
    config.add_argument("--format", choices=["toml", "json"], default="toml", dest="output_format")

    from .server.cli import add_serve_parser  # argparse only; the server extra is imported when serving

    add_serve_parser(sub)
    return parser


# ============================================================================ commands


def _config_for(args: argparse.Namespace, start: Path) -> Config:
    if getattr(args, "isolated", False):
        return load_config(None)
    if args.config:
        return load_config(Path(args.config))
    return load_config(find_config(start)) if find_config(start) else load_config(None)


def _cli_overrides(args: argparse.Namespace, base: Settings) -> dict[str, Any]:
    cli: dict[str, Any] = {}
    if args.lang:
        cli["lang"] = None if args.lang == "auto" else args.lang
        if args.lang == "auto":
            cli.pop("lang")
    if args.input_format:
        cli["input_format"] = args.input_format
    if args.select:
        cli["select"] = tuple(args.select)
    if args.ignore:
        cli["ignore"] = tuple(base.ignore) + tuple(args.ignore)
    if args.include:
        cli["include"] = tuple(args.include)
    if args.exclude:
        cli["exclude"] = tuple(base.exclude) + tuple(args.exclude)
    for name in ("fail_on", "fail_under"):
        value = getattr(args, name, None)
        if value is not None:
            cli[name] = value
    return cli


def _validate_selectors(config: Config, settings_list: Iterable[Settings], rules: Sequence[Rule]) -> None:
    known = known_selectors(rules)
    source = str(config.path) if config.path else "command line"
    for settings in settings_list:
        for key, values in (("select", settings.select or ()), ("ignore", settings.ignore), ("severity", [k for k, _ in settings.severity])):
            for value in values:
                if value not in known:
                    close = difflib.get_close_matches(value, sorted(known), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else "; see `invoicetone rules`"
                    raise ConfigError(f"unknown rule id or category {value!r}{hint}", path=source, key=key)
        elements = {r.id for r in rules if r.kind == "element"}
        for value in settings.required or ():
            if value not in elements:
                raise ConfigError(f"unknown element {value!r}; known: {', '.join(sorted(elements))}", path=source, key="required")


def _read_stdin() -> Decoded:
    return decode(sys.stdin.buffer.read())


def _prepare(args: argparse.Namespace, mode: str, stderr: TextIO) -> tuple[Config, dict[str, Any], list[Task], list[tuple[str, str]], list[Rule]]:
    paths = list(args.paths) or ["."]
    first = Path(paths[0]) if paths[0] != STDIN else Path.cwd()
    config = _config_for(args, first)
    cli = _cli_overrides(args, config.base)
    base = config.for_path(None, cli)
    targets, problems = discover(
        [p for p in paths if p != STDIN], root=config.root, include=base.include, exclude=base.exclude
    )
    client = None
    if args.client_message:
        try:
            client = read_file(Path(args.client_message)).text
        except InputError as exc:
            raise _UsageError(f"invoicetone: error: --client-message {args.client_message}: {exc}") from None
    report_unused = bool(getattr(args, "report_unused_suppressions", False))
    tasks: list[Task] = []
    settings_seen: dict[Settings, None] = {base: None}
    for target in targets:
        settings = config.for_path(target.path, cli)
        settings_seen[settings] = None
        tasks.append(Task(str(target.path), target.display, CheckSpec.from_settings(settings, report_unused=report_unused), client_message=client, mode=mode))
    if STDIN in paths:
        name = args.stdin_filename or "<stdin>"
        settings = config.for_path(Path(args.stdin_filename).resolve(), cli) if args.stdin_filename else base
        settings_seen[settings] = None
        try:
            text = _read_stdin().text
        except InputError as exc:
            text = None
            problems.append((name, str(exc)))
        if text is not None:
            tasks.append(Task(None, name, CheckSpec.from_settings(settings, report_unused=report_unused), text=text, client_message=client, mode=mode))
    all_packs = sorted({p for s in settings_seen for p in s.packs})
    rules = Checker(packs=all_packs).load_rules()
    _validate_selectors(config, settings_seen, rules)
    return config, cli, tasks, problems, rules


def _known_for(tasks: Sequence[Task], rules: Sequence[Rule]) -> dict[tuple[str, ...], frozenset[str]]:
    """Known selectors per pack set, from the rules already loaded here (the union of every pack set)."""
    known = known_selectors(rules)
    return {task.spec.packs: known for task in tasks}


def cmd_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if (args.write_baseline or args.update_baseline) and not args.baseline:
        raise _UsageError("invoicetone check: error: --write-baseline and --update-baseline need --baseline FILE")
    config, cli, tasks, problems, rules = _prepare(args, "check", stderr)
    base = config.for_path(None, cli)
    changed: dict[Path, set[int] | None] | None = None
    if args.changed_since:
        changed = changed_lines(args.changed_since, config.root if config.path else Path.cwd())
        tasks = [t for t in tasks if t.path is None or Path(t.path) in changed]
    progress = Progress(len(tasks), stderr, enabled=stderr.isatty() and not args.no_progress)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise _UsageError("invoicetone check: error: --jobs must be at least 1")
    try:
        outcomes = run_tasks(tasks, jobs, progress, _known_for(tasks, rules))
    finally:
        progress.close()
    baseline_path = Path(args.baseline) if args.baseline else None
    files: list[FileResult] = []
    current: list[tuple[str, Diagnostic]] = []
    for task, outcome in zip(tasks, outcomes, strict=True):
        assert isinstance(outcome, FileResult)
        source = Path(task.path) if task.path else Path(task.display)
        key = baseline_key_path(source, baseline_path) if baseline_path else task.display
        diagnostics = with_fingerprints(outcome.diagnostics, key)
        if changed is not None and task.path is not None:
            lines = changed.get(Path(task.path))
            if lines is not None:
                diagnostics = [d for d in diagnostics if d.file_level or any(n in lines for n in range(d.line, d.end_line + 1))]
        current.extend((key, d) for d in diagnostics)
        files.append(replace(outcome, diagnostics=tuple(diagnostics)))
    for path, reason in problems:
        files.append(FileResult(path, error=reason))
    hidden = 0
    if baseline_path is not None:
        if args.write_baseline:
            write_baseline(baseline_path, baseline_entries(current))
            stderr.write(f"invoicetone: wrote {len(current)} finding(s) to the baseline {baseline_path}\n")
            return EXIT_USAGE if problems else EXIT_OK
        known = load_baseline(baseline_path)
        if args.update_baseline:
            kept = [(k, d) for k, d in current if d.fingerprint in known]
            write_baseline(baseline_path, baseline_entries(kept))
            stderr.write(f"invoicetone: baseline {baseline_path} now holds {len(kept)} finding(s) (was {len(known)})\n")
        new_files = []
        for file in files:
            remaining = tuple(d for d in file.diagnostics if d.fingerprint not in known)
            hidden += len(file.diagnostics) - len(remaining)
            new_files.append(replace(file, diagnostics=remaining))
        files = new_files
    files.sort(key=lambda f: f.path)
    fail_on = Severity(base.fail_on)
    result = RunResult(
        files=tuple(files), rules=rule_infos(rules), version=__version__, fail_on=fail_on,
        fail_under=base.fail_under, baseline_hidden=hidden,
    )
    out = stdout
    handle = None
    if args.output:
        handle = open(args.output, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
        out = handle
    try:
        if args.output_format == "text":
            out.write(emit_text(result, colour=_colour(args.color, out)))
        else:
            out.write(EMITTERS[args.output_format](result))
    finally:
        if handle is not None:
            handle.close()
    if any(reason == MISSING_PATH for _, reason in problems):
        return EXIT_USAGE
    failed = any(d.severity.rank >= fail_on.rank for d in result.diagnostics)
    failed = failed or any(f.error for f in files)
    if base.fail_under is not None:
        failed = failed or any(u.score < base.fail_under for f in files for u in f.units)
    return EXIT_FINDINGS if failed else EXIT_OK


def _colour(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def cmd_fix(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    mode = "diff" if args.diff else "fix"
    _config, _cli, tasks, problems, rules = _prepare(args, mode, stderr)
    progress = Progress(len(tasks), stderr, enabled=stderr.isatty() and not args.no_progress)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    try:
        outcomes = run_tasks(tasks, max(1, jobs), progress, _known_for(tasks, rules))
    finally:
        progress.close()
    fixes = files_changed = 0
    errors = 0
    for task, outcome in sorted(zip(tasks, outcomes, strict=True), key=lambda pair: pair[0].display):
        assert isinstance(outcome, FixOutcome)
        if outcome.error:
            errors += 1
            stderr.write(f"{outcome.display}: error {outcome.error}\n")
            continue
        if outcome.fixes:
            fixes += outcome.fixes
            files_changed += 1
            if task.path is None and mode == "fix":
                stdout.write(outcome.diff)  # stdin: the fixed text goes to standard output
            elif mode == "diff":
                stdout.write(outcome.diff)
        elif task.path is None and mode == "fix":
            stdout.write(task.text or "")
    for path, reason in problems:
        errors += 1
        stderr.write(f"{path}: error {reason}\n")
    verb = "would fix" if mode == "diff" else "fixed"
    stderr.write(f"invoicetone: {verb} {fixes} finding(s) in {files_changed} file(s)" + (f"; {errors} file(s) could not be fixed" if errors else "") + "\n")
    if any(reason == MISSING_PATH for _, reason in problems):
        return EXIT_USAGE
    if errors:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if mode == "diff" and fixes else EXIT_OK


def _load_rule_list(packs: Sequence[str]) -> list[Rule]:
    for directory in packs:
        if not Path(directory).is_dir():
            raise _UsageError(f"invoicetone: error: pack directory {directory!r} not found")
    return Checker(packs=[str(Path(p).resolve()) for p in packs]).load_rules()


def cmd_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rules = [r for r in _load_rule_list(args.packs) if r.kind == "rule"]
    if args.lang:
        rules = [r for r in rules if r.lang == args.lang]
    if args.category:
        categories = {r.category.value for r in rules}
        if args.category not in categories:
            raise _UsageError(f"invoicetone rules: error: unknown category {args.category!r}; known: {', '.join(sorted(categories))}")
        rules = [r for r in rules if r.category.value == args.category]
    infos = rule_infos(rules)
    rows = sorted((i for i in infos.values() if i.category != "suppression"), key=lambda i: i.id)
    if args.output_format == "json":
        stdout.write(json.dumps([
            {"id": i.id, "category": i.category, "severity": i.severity.value, "langs": list(i.langs), "autofix": i.autofix, "message": i.message}
            for i in rows
        ], ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    headers = ("ID", "LANG", "CATEGORY", "SEVERITY", "FIX", "MESSAGE")
    table = [(i.id, ",".join(i.langs), i.category, i.severity.value, "yes" if i.autofix else "", i.message) for i in rows]
    widths = [max([len(h)] + [len(row[n]) for row in table]) for n, h in enumerate(headers[:-1])]
    for row in [headers, *table]:
        stdout.write("  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row[:-1])) + "  " + row[-1] + "\n")
    stdout.write(f"\n{len(table)} rule(s)\n")
    return EXIT_OK


def _marked(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return text
    return text[: span[0]] + "[[" + text[span[0]:span[1]] + "]]" + text[span[1]:]


def cmd_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    all_rules = _load_rule_list(args.packs)
    wanted = args.rule_id
    if wanted.startswith(MISSING_PREFIX):
        matches = [r for r in all_rules if r.kind == "element" and r.id == wanted[len(MISSING_PREFIX):]]
    else:
        matches = [r for r in all_rules if r.kind == "rule" and r.id == wanted]
    if args.lang:
        matches = [r for r in matches if r.lang == args.lang]
    if not matches:
        ids = sorted(rule_infos(all_rules))
        close = difflib.get_close_matches(wanted, ids, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " List them with `invoicetone rules`."
        stderr.write(f"invoicetone explain: error: no rule {wanted!r}{' in ' + args.lang if args.lang else ''}.{hint}\n")
        return EXIT_USAGE
    out: list[str] = []
    for rule in sorted(matches, key=lambda r: r.lang):
        is_element = rule.kind == "element"
        title = MISSING_PREFIX + rule.id if is_element else rule.id
        out.append(f"{title} [{rule.lang}]")
        out.append("=" * len(out[-1]))
        if is_element:
            out.append("Category: structure (a missing element of a good reply)")
        else:
            out.append(f"Category: {rule.category.value}   Severity: {rule.severity.value}   Auto-fix: {'yes' if rule.autofix else 'no'}")
        out.append("")
        out.append("What it catches")
        out.append(f"  {rule.message}")
        if rule.rationale:
            out.append("")
            out.append("Why it hurts" if not is_element else "Why it matters")
            out.append(f"  {rule.rationale}")
        out.append("")
        if is_element:
            out.append("Found in (examples)")
            out.extend(f"  {_marked(e.text, e.span)}" for e in rule.flag_examples)
            out.append("")
            out.append("Not enough on its own")
            out.extend(f"  {e.text}" for e in rule.pass_examples)
            out.append("")
            out.append("What to write")
            out.append(f"  {rule.element_suggestion}")
        else:
            out.append("Example")
            out.extend(f"  {_marked(e.text, e.span)}" for e in rule.flag_examples)
            out.append("")
            out.append("What to write instead")
            for suggestion in rule.suggestions:
                out.append(f"  - {suggestion!r}" if not suggestion.strip() else f"  - {suggestion}")
            example = rule.flag_examples[0] if rule.flag_examples else None
            if example is not None and example.span is not None and rule.suggestions:
                start, end = example.span
                replacement = fill_facts(rule.suggestions[0], example.text[start:end])
                fixed = apply_edits(example.text, [(start, end, replacement)])
                out.append(f"  e.g. {fixed}")
            elif rule.detector:
                out.append("  (the replacement depends on the text; `invoicetone check` shows it for each finding)")
            out.append("")
            out.append("Fine (not flagged)")
            out.extend(f"  {e.text}" for e in rule.pass_examples)
        if rule.link:
            out.append("")
            out.append(f"More: {rule.link}")
        out.append(f"Defined in: {rule.path}")
        out.append("")
    stdout.write("\n".join(out))
    return EXIT_OK


def cmd_packs_test(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from ._selftest import run_examples

    directory = Path(args.directory)
    if not directory.is_dir():
        stderr.write(f"invoicetone packs test: error: {args.directory}: not a directory\n")
        return EXIT_USAGE
    rules = load_rules([directory.resolve()])
    packs = [str(directory.resolve())]
    failures = run_examples(rules, packs=packs, builtin=not args.no_builtin, min_examples=args.min_examples)
    examples = sum(len(r.flag_examples) + len(r.pass_examples) for r in rules)
    for failure in failures:
        stdout.write(f"FAIL {failure}\n")
    stdout.write(f"{len(rules)} rule(s), {examples} example(s), {len(failures)} failure(s)\n")
    return EXIT_FINDINGS if failures else EXIT_OK


def cmd_config(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path = Path(args.path)
    if not path.exists():
        stderr.write(f"invoicetone config: error: {args.path}: no such file or directory\n")
        return EXIT_USAGE
    config = load_config(Path(args.config)) if args.config else load_config(find_config(path), root=Path.cwd())
    settings = config.for_path(path.resolve() if path.is_file() else None)
    rules = Checker(packs=settings.packs).load_rules()
    _validate_selectors(config, [settings], rules)
    applied = [o.index for o in config.matching_overrides(path.resolve())] if path.is_file() else []
    if args.output_format == "json":
        stdout.write(json.dumps({"config_file": str(config.path) if config.path else None, "overrides_applied": applied, "settings": settings.to_dict()}, indent=2) + "\n")
    else:
        text = settings_toml(settings, source=config.path)
        if applied:
            text = text.replace("[tool.invoicetone]", f"# overrides applied: {applied}\n[tool.invoicetone]", 1)
        stdout.write(text)
    return EXIT_OK


COMMANDS: Mapping[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "check": cmd_check,
    "fix": cmd_fix,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "config": cmd_config,
}


def _tolerant(stream: TextIO) -> None:
    """Never fail on a file name or text the terminal's encoding cannot show."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    _tolerant(stdout)
    _tolerant(stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help, --version
        return int(exc.code) if isinstance(exc.code, int) else EXIT_OK
    try:
        if args.command == "packs":
            return cmd_packs_test(args, stdout, stderr)
        if args.command == "serve":
            from .server.cli import run_serve

            return run_serve(args)
        return COMMANDS[args.command](args, stdout, stderr)
    except _UsageError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except ConfigError as exc:
        stderr.write(f"invoicetone: configuration error: {exc}\n")
        return EXIT_USAGE
    except PackError as exc:
        stderr.write(f"invoicetone: pack error: {exc}\n")
        return EXIT_USAGE
    except InvoiceToneError as exc:
        stderr.write(f"invoicetone: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("invoicetone: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, and keep Python from complaining at exit
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
