"""``invoicetone rules``, ``explain`` and ``packs test``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invoicetone import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_table_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert out.splitlines()[0].split()[:5] == ["ID", "LANG", "CATEGORY", "SEVERITY", "FIX"]
    assert "denial.not-our-fault" in out
    code, out, _ = run(capsys, "rules", "--category", "shouting", "--format", "json")
    rows = json.loads(out)
    assert rows and {r["category"] for r in rows} == {"shouting"}
    assert any(r["autofix"] for r in rows)
    assert run(capsys, "rules", "--category", "nonsense")[0] == 2


def test_explain_in_each_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "denial.not-our-fault")
    assert code == 0
    for heading in ("What it catches", "Why it hurts", "Example", "What to write instead", "Fine (not flagged)"):
        assert heading in out
    assert "[[" in out and "denial.not-our-fault [en]" in out
    langs = {r.lang for r in cli.Checker().load_rules() if r.id == "denial.not-our-fault"}
    for lang in langs:
        assert f"denial.not-our-fault [{lang}]" in out


def test_explain_fills_facts_slots_in_the_example_fix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "model.sentence")
    assert code == 0 and "{facts|" in out  # the suggestion as written
    example_fix = out.split("e.g.", 1)[1].split("Fine (not flagged)", 1)[0]
    assert "{facts" not in example_fix and "let me go through the details" in example_fix


def test_explain_missing_element_and_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "missing.contract_reference")
    assert code == 0 and "What to write" in out
    code, _, err = run(capsys, "explain", "denial.not-our-faul")
    assert code == 2 and "Did you mean: denial.not-our-fault" in err


PACK = """category: custom
lang: en
rules:
  - id: acme.blue-book
    severity: warning
    message: Clients do not know our internal "blue book"; cite the contract.
    patterns: ["[ blue book ]"]
    suggestions: ["contract"]
    examples:
      flag: ["That is in the [[blue book]]."]
      pass: ["{pass_example}"]
"""


def test_packs_test_runs_a_custom_packs_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "acme.yaml").write_text(PACK.format(pass_example="The book cover is blue."), encoding="utf-8")
    code, out, _ = run(capsys, "packs", "test", str(tmp_path / "good"))
    assert code == 0, out
    assert "1 rule(s), 2 example(s), 0 failure(s)" in out
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "acme.yaml").write_text(PACK.format(pass_example="It is in the blue book."), encoding="utf-8")
    code, out, _ = run(capsys, "packs", "test", str(tmp_path / "bad"))
    assert code == 1 and "FAIL" in out and "acme.blue-book" in out
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "acme.yaml").write_text("rules: 3\n", encoding="utf-8")
    code, _, err = run(capsys, "packs", "test", str(tmp_path / "broken"))
    assert code == 2 and "acme.yaml" in err


def test_custom_pack_from_config_is_used_by_check(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "packs").mkdir()
    (in_tmp / "packs" / "acme.yaml").write_text(PACK.format(pass_example="The book cover is blue."), encoding="utf-8")
    (in_tmp / "invoicetone.toml").write_text('packs = ["packs"]\nlang = "en"\nselect = ["acme"]\n', encoding="utf-8")
    (in_tmp / "a.txt").write_text("Hi,\n\nThat is in the blue book.\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "a.txt")
    assert code == 1 and "a.txt:3:16: warning acme.blue-book" in out
