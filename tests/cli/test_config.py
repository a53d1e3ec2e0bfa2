"""Configuration: discovery, validation (exit 2 naming file and key), overrides, ``invoicetone config``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invoicetone import ConfigError, cli
from invoicetone._config import find_config, load_config

BAD = "Hi Dana,\n\nThat's not our fault, you should have read the contract!!!\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_found_upward_from_the_checked_path(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.invoicetone]\nlang = "en"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "invoicetone.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert find_config(deep) == tmp_path / "a" / "invoicetone.toml"


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None or find_config(tmp_path) != tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ('lang = "fr"', "tool.invoicetone.lang", "must be one of"),
        ("fail_on = \"fatal\"", "tool.invoicetone.fail_on", "info, warning, error"),
        ("fail_under = 140", "tool.invoicetone.fail_under", "0 to 100"),
        ("selct = [\"blame\"]", "tool.invoicetone.selct", "did you mean 'select'"),
        ("categories = [\"rudeness\"]", "tool.invoicetone.categories", "unknown category"),
        ("packs = [\"no/such/dir\"]", "tool.invoicetone.packs", "not found"),
        ("[tool.invoicetone.severity]\n\"denial.not-our-fault\" = \"loud\"", "tool.invoicetone.severity.denial.not-our-fault", "info, warning or error"),
        ("[[tool.invoicetone.overrides]]\nlang = \"en\"", "tool.invoicetone.overrides[0].paths", "needs 'paths'"),
        ("[[tool.invoicetone.overrides]]\npaths = [\"x/**\"]\nfail_on = \"error\"", "tool.invoicetone.overrides[0].fail_on", "unknown key"),
    ],
)
def test_mistakes_name_file_and_key(tmp_path: Path, toml: str, key: str, words: str) -> None:
    path = tmp_path / "pyproject.toml"
    body = toml if toml.startswith("[") else f"[tool.invoicetone]\n{toml}"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and f"key {key!r}" in message and words in message


def test_broken_toml_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "invoicetone.toml").write_text("lang = \n", encoding="utf-8")
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    code, _, err = run(capsys, "check", "a.txt")
    assert code == 2
    assert "invoicetone.toml" in err and "not valid TOML" in err and "Traceback" not in err


def test_unknown_rule_in_config_exits_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "invoicetone.toml").write_text('ignore = ["denial.not-our-faults"]\n', encoding="utf-8")
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    code, _, err = run(capsys, "check", "a.txt")
    assert code == 2 and "invoicetone.toml" in err and "key 'ignore'" in err


def test_settings_apply_ignore_severity_and_overrides(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "invoicetone.toml").write_text(
        'lang = "en"\nignore = ["shouting"]\nrequired = []\n'
        '[severity]\n"denial.not-our-fault" = "error"\n'
        '[[overrides]]\npaths = ["disputes/**"]\nrequired = ["contract_reference"]\n',
        encoding="utf-8",
    )
    (in_tmp / "disputes").mkdir()
    text = "Hi Dana,\n\nThank you. That's not our fault, we will look at invoice 7 today!!!\n"
    (in_tmp / "disputes" / "a.txt").write_text(text, encoding="utf-8")
    (in_tmp / "b.txt").write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert code == 1
    files = {f["path"]: f for f in json.loads(out)["files"]}
    ids_a = [d["rule_id"] for d in files["disputes/a.txt"]["diagnostics"]]
    ids_b = [d["rule_id"] for d in files["b.txt"]["diagnostics"]]
    assert "missing.contract_reference" in ids_a and "missing.contract_reference" not in ids_b
    assert not any(i.startswith("shouting.") for i in ids_a + ids_b)
    sev = {d["rule_id"]: d["severity"] for d in files["b.txt"]["diagnostics"]}
    assert sev["denial.not-our-fault"] == "error"


def test_config_command_prints_effective_settings(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.invoicetone]\nlang = "en"\nfail_on = "error"\n[[tool.invoicetone.overrides]]\npaths = ["*.md"]\nselect = ["denial"]\n',
        encoding="utf-8",
    )
    (in_tmp / "x.md").write_text("hi", encoding="utf-8")
    code, out, _ = run(capsys, "config", "x.md")
    assert code == 0
    assert 'fail_on = "error"' in out and 'select = ["denial"]' in out and "overrides applied: [0]" in out
    code, out, _ = run(capsys, "config", ".", "--format", "json")
    data = json.loads(out)
    assert data["settings"]["select"] is None and data["config_file"].endswith("pyproject.toml")


def test_explicit_config_flag_wins(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "invoicetone.toml").write_text('fail_on = "error"\n', encoding="utf-8")
    (in_tmp / "strict.toml").write_text('fail_on = "info"\n', encoding="utf-8")
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    assert run(capsys, "check", "a.txt")[0] == 0
    assert run(capsys, "check", "a.txt", "--config", "strict.toml")[0] == 1
    assert run(capsys, "check", "a.txt", "--config", "missing.toml")[0] == 2
