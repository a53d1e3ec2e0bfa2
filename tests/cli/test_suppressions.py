"""Suppressions given by the sources: applied, unknown ids reported, --report-unused-suppressions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from invoicetone import cli
from invoicetone._document import plain_document
from invoicetone._files import HAVE_SOURCES

TEXT = (
    "Hi Dana,\n"
    "That's not our fault!!!\n"          # line 2: suppressed for denial only
    "invoicetone: ignore\n"
    "Again, that is not our fault.\n"   # line 4: not suppressed
)


@dataclass(frozen=True)
class FakeSuppression:
    rules: tuple[str, ...]
    start: int
    end: int
    line: int
    kind: str


@dataclass(frozen=True)
class FakeUnit:
    document: Any
    label: str
    client_message: str | None
    suppressions: tuple[FakeSuppression, ...]


def _units(suppressions: tuple[FakeSuppression, ...]) -> Any:
    def parse(text: str, fmt: str, **_: Any) -> list[FakeUnit]:
        return [FakeUnit(plain_document(text), "", None, suppressions)]

    return parse


def _line_span(line: int) -> tuple[int, int]:
    lines = TEXT.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1])
    return start, start + len(lines[line - 1])


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = cli.main(["check", "a.txt", "--lang", "en", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, [d for f in json.loads(out)["files"] for d in f["diagnostics"]]


def test_suppression_silences_only_its_rules_in_its_range(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "a.txt").write_text(TEXT, encoding="utf-8")
    _code, before = run_json(capsys)
    assert ("denial.not-our-fault", 2) in {(d["rule_id"], d["line"]) for d in before}
    start, end = _line_span(2)
    monkeypatch.setattr(cli, "parse_units", _units((FakeSuppression(("denial.not-our-fault",), start, end, 1, "ignore"),)))
    _code, after = run_json(capsys)
    found = {(d["rule_id"], d["line"]) for d in after}
    assert ("denial.not-our-fault", 2) not in found
    assert ("denial.not-our-fault", 4) in found  # outside the range
    assert ("shouting.punctuation", 2) in found  # another rule


def test_category_and_all_rules(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(cli, "parse_units", _units((FakeSuppression((), 0, len(TEXT), 1, "disable"),)))
    _, after = run_json(capsys)
    assert [d for d in after if not d["file_level"]] == []
    monkeypatch.setattr(cli, "parse_units", _units((FakeSuppression(("shouting", "missing"), 0, len(TEXT), 1, "disable"),)))
    _, after = run_json(capsys)
    ids = {d["rule_id"] for d in after}
    assert "denial.not-our-fault" in ids and not any(i.startswith(("shouting.", "missing.")) for i in ids)


def test_unknown_rule_in_a_suppression_is_reported(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "a.txt").write_text(TEXT, encoding="utf-8")
    start, end = _line_span(4)
    monkeypatch.setattr(cli, "parse_units", _units((FakeSuppression(("denial.not-our-faultt",), start, end, 3, "ignore"),)))
    _code, after = run_json(capsys)
    unknown = [d for d in after if d["rule_id"] == "suppression.unknown-rule"]
    assert len(unknown) == 1 and unknown[0]["line"] == 3 and "denial.not-our-faultt" in unknown[0]["message"]


def test_report_unused_suppressions(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "a.txt").write_text(TEXT, encoding="utf-8")
    start, end = _line_span(1)  # nothing flagged on the greeting line
    used_start, used_end = _line_span(2)
    monkeypatch.setattr(cli, "parse_units", _units((
        FakeSuppression(("denial.not-our-fault",), start, end, 1, "ignore"),
        FakeSuppression(("shouting.punctuation",), used_start, used_end, 1, "ignore"),
    )))
    _, plain = run_json(capsys)
    assert not any(d["rule_id"] == "suppression.unused" for d in plain)
    _, reported = run_json(capsys, "--report-unused-suppressions")
    unused = [d for d in reported if d["rule_id"] == "suppression.unused"]
    assert len(unused) == 1 and "denial.not-our-fault" in unused[0]["message"]


@pytest.mark.skipif(not HAVE_SOURCES, reason="invoicetone.sources (suppression comments) is not installed yet")
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.md", "Hi,\n\n<!-- invoicetone-ignore denial.not-our-fault -->\nThat's not our fault.\n"),
        ("a.html", "<p>Hi,</p>\n<!-- invoicetone-disable denial.not-our-fault -->\n<p>That's not our fault.</p>\n<!-- invoicetone-enable -->\n"),
        ("a.j2", "Hi {{ name }},\n{# invoicetone: ignore denial.not-our-fault #}\nThat's not our fault.\n"),
        ("a.txt", "Hi,\n\nThat's not our fault. invoicetone: ignore denial.not-our-fault\n"),
    ],
)
def test_suppression_comments_in_real_files(in_tmp: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> None:
    (in_tmp / name).write_text(text, encoding="utf-8")
    code = cli.main(["check", name, "--lang", "en", "--format", "json", "--select", "denial"])
    data = json.loads(capsys.readouterr().out)
    assert [d["rule_id"] for f in data["files"] for d in f["diagnostics"]] == []
    assert code == 0
