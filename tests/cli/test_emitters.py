"""Snapshot tests of every emitter over one hand-built run (independent of the packs' wording)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from invoicetone import Severity
from invoicetone.emit import (
    EMITTERS,
    Diagnostic,
    FileResult,
    RuleInfo,
    RunResult,
    UnitResult,
    emit_github,
    emit_gitlab,
    emit_json,
    emit_sarif,
    emit_text,
)
from invoicetone.emit.github import escape_data, escape_property
from invoicetone.emit.text import caret_line

from .conftest import assert_snapshot

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

SOURCE = "Hi {{ name }},\r\nThat's not our fault, 50% of it: you MUST pay!!!\r\n"


def _diag(rule: str, sev: Severity, start: int, end: int, *, line: int = 2, file_level: bool = False, **kw: object) -> Diagnostic:
    line_start = SOURCE.index("That")
    values: dict[str, object] = dict(
        path="templates/a,b: reply.txt", rule_id=rule, severity=sev, category=rule.split(".")[0], message=f"Message of {rule}.",
        start=start, end=end, line=line, column=start - line_start + 1 if not file_level else 1, end_line=line,
        end_column=end - line_start + 1 if not file_level else 1, text=SOURCE[start:end],
        source_line="That's not our fault, 50% of it: you MUST pay!!!", file_level=file_level,
    )
    values.update(kw)
    return Diagnostic(**values)  # type: ignore[arg-type]


def _run() -> RunResult:
    s = SOURCE.index("That")
    diags = (
        _diag("denial.not-our-fault", Severity.WARNING, s, s + 20, suggestions=("Let me look into what happened",), fingerprint="f1"),
        _diag("shouting.caps", Severity.ERROR, s + 37, s + 41, suggestions=("must",), autofix=True, fingerprint="f2"),
        _diag("heated.sentence", Severity.INFO, s, s + 49, fingerprint="f3", unit="macros[0].body"),
        _diag("missing.contract_reference", Severity.WARNING, 0, 0, line=1, file_level=True,
              suggestions=("Under our agreement, payment is due within 30 days.",), fingerprint="f4", category="structure"),
    )
    unit = UnitResult(label="", report={"schema_version": "1.0", "score": 41.5, "findings": [], "missing": []}, score=41.5, lang="en")
    files = (
        FileResult("templates/a,b: reply.txt", "plain", (unit,), diags),
        FileResult("templates/broken.json", "json", error="not valid JSON: line 3, column 5: Expecting ','"),
        FileResult("templates/clean.md", "markdown", (UnitResult("", {"score": 100.0}, 100.0, "en"),)),
    )
    rules = {
        "denial.not-our-fault": RuleInfo("denial.not-our-fault", "denial", Severity.WARNING, "Denying fault sounds defensive.",
                                         "It tells the client they are wrong.", ("Let me look into what happened",), ("en", "sk")),
        "shouting.caps": RuleInfo("shouting.caps", "shouting", Severity.WARNING, "Capitals read as shouting.", autofix=True, langs=("en",)),
        "heated.sentence": RuleInfo("heated.sentence", "heated", Severity.INFO, "Heated sentence.", langs=("en",)),
        "missing.contract_reference": RuleInfo("missing.contract_reference", "structure", Severity.WARNING, "No contract reference.",
                                               suggestions=("Under our agreement, ...",), langs=("en",)),
        "blame.unused": RuleInfo("blame.unused", "blame", Severity.WARNING, "Not referenced: not in the SARIF rules."),
    }
    return RunResult(files=files, rules=rules, version="9.9.9")


def test_text_snapshot() -> None:
    assert_snapshot("emit_text.txt", emit_text(_run()))


def test_text_colour_snapshot() -> None:
    out = emit_text(_run(), colour=True)
    assert "\x1b[" in out
    assert_snapshot("emit_text_colour.txt", out)


def test_text_has_caret_under_span_and_summary() -> None:
    out = emit_text(_run()).splitlines()
    index = out.index("    2 | That's not our fault, 50% of it: you MUST pay!!!")
    assert out[index + 1] == "      | ^^^^^^^^^^^^^^^^^^^^"
    assert out[-1].startswith("4 findings (1 error, 2 warning, 1 info) in 1 of 2 files; 1 file could not be checked")
    assert "\x1b[" not in "\n".join(out)


def test_caret_line_handles_wide_and_tab_characters() -> None:
    assert caret_line("\tab", 2, 4) == " ^^"
    assert caret_line("日本 ok", 4, 6) == "     ^^"


def test_json_snapshot_and_shape() -> None:
    out = emit_json(_run())
    data = json.loads(out)
    assert data["cli_schema_version"] == "1.0"
    assert data["summary"]["by_severity"] == {"info": 1, "warning": 2, "error": 1}
    assert data["files"][1]["error"].startswith("not valid JSON")
    assert len(out.splitlines()) == 1  # compact: the C encoder, fast on big libraries
    assert json.loads(emit_json(_run(), indent=2)) == data
    assert_snapshot("emit_json.json", out)


def test_sarif_snapshot_validates_against_the_official_schema() -> None:
    out = emit_sarif(_run())
    data = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(data)
    run = data["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(ids) and "blame.unused" not in ids
    assert all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("not valid JSON")
    caps = next(r for r in run["results"] if r["ruleId"] == "shouting.caps")
    assert caps["level"] == "error"
    assert caps["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "templates/a,b:%20reply.txt"
    assert caps["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "MUST"
    assert_snapshot("emit_sarif.json", out)


def test_github_snapshot_and_escaping() -> None:
    out = emit_github(_run())
    assert "file=templates/a%2Cb%3A reply.txt" in out
    assert "::error file=templates/broken.json" in out
    assert "50%25" not in out  # percent only in the message data, and escaped there
    assert all(line.startswith("::") for line in out.splitlines())
    assert_snapshot("emit_github.txt", out)


def test_github_escape_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_gitlab_snapshot() -> None:
    out = emit_gitlab(_run())
    issues = json.loads(out)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} == {"major", "minor", "info", "blocker"}
    assert all(set(i) >= {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)
    assert_snapshot("emit_gitlab.json", out)


@pytest.mark.parametrize("name", sorted(EMITTERS))
def test_output_order_is_deterministic(name: str) -> None:
    run = _run()
    shuffled = RunResult(files=tuple(reversed(run.files)), rules=run.rules, version=run.version)
    reordered = RunResult(
        files=tuple(FileResult(f.path, f.input_format, f.units, tuple(reversed(f.diagnostics)), f.error) for f in run.files),
        rules=run.rules, version=run.version,
    )
    assert EMITTERS[name](reordered) == EMITTERS[name](run)
    assert [d.sort_key for d in shuffled.diagnostics] == [d.sort_key for d in run.diagnostics]
