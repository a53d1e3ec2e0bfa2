"""Adoption on legacy libraries: baselines that survive line shifts, and --changed-since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invoicetone import cli

from .conftest import git, needs_git

BAD = "Hi Dana,\n\nThat's not our fault, you should have read the contract!!!\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_baseline_hides_known_findings_and_survives_line_shifts(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    code, _, err = run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "base.json", "--write-baseline")
    assert code == 0 and "wrote" in err
    entries = json.loads((in_tmp / "base.json").read_text(encoding="utf-8"))["findings"]
    assert entries and all(e["path"] == "a.txt" for e in entries)
    assert run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "base.json")[0] == 0
    # lines added above: still known
    (in_tmp / "a.txt").write_text("Subject: your invoice\n\n\n" + BAD, encoding="utf-8")
    code, out, _ = run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "base.json")
    assert code == 0, out
    assert "known in the baseline" in out
    # a second, identical offending sentence is new
    (in_tmp / "a.txt").write_text(BAD + "\nAgain: that's not our fault.\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "base.json", "--format", "json")
    assert code == 1
    new = [d for f in json.loads(out)["files"] for d in f["diagnostics"]]
    assert [d["rule_id"] for d in new] == ["denial.not-our-fault"] and new[0]["line"] == 5


def test_baseline_is_independent_of_the_working_directory(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "lib").mkdir()
    (in_tmp / "lib" / "a.txt").write_text(BAD, encoding="utf-8")
    assert run(capsys, "check", "lib", "--lang", "en", "--baseline", "base.json", "--write-baseline")[0] == 0
    monkeypatch.chdir(in_tmp / "lib")
    assert run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "../base.json")[0] == 0


def test_update_baseline_drops_fixed_findings(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "b.json", "--write-baseline")
    before = len(json.loads((in_tmp / "b.json").read_text(encoding="utf-8"))["findings"])
    (in_tmp / "a.txt").write_text(BAD.replace("!!!", "."), encoding="utf-8")
    run(capsys, "check", "a.txt", "--lang", "en", "--baseline", "b.json", "--update-baseline")
    after = json.loads((in_tmp / "b.json").read_text(encoding="utf-8"))["findings"]
    assert len(after) == before - 1
    assert "shouting.punctuation" not in {e["rule_id"] for e in after}


def test_bad_baseline_file_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "b.json").write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "check", "a.txt", "--baseline", "b.json")
    assert code == 2 and "b.json" in err and "not an invoicetone baseline" in err
    assert run(capsys, "check", "a.txt", "--write-baseline")[0] == 2


@needs_git
def test_changed_since_reports_only_changed_lines(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(in_tmp, "init", "-q")
    (in_tmp / "old.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "edited.txt").write_text(BAD, encoding="utf-8")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "start")
    (in_tmp / "edited.txt").write_text(BAD + "\nAgain, that is not our fault.\n", encoding="utf-8")
    (in_tmp / "new.txt").write_text("Hi,\n\nThat's not our fault.\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", ".", "--lang", "en", "--changed-since", "HEAD", "--format", "json", "--select", "denial")
    assert code == 1
    found = {(d["path"], d["line"]) for f in json.loads(out)["files"] for d in f["diagnostics"]}
    assert found == {("edited.txt", 5), ("new.txt", 3)}
    code, _, err = run(capsys, "check", ".", "--changed-since", "no-such-ref")
    assert code == 2 and "unknown git revision" in err
