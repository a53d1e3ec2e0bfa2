"""Integrations: the example library against its committed SARIF, pre-commit, the action file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from invoicetone import cli

from .conftest import REPO, git, needs_git

EXPECTED = REPO / "examples" / "templates.expected.sarif"
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _normalise(sarif: dict[str, object]) -> dict[str, object]:
    data = json.loads(json.dumps(sarif))
    driver = data["runs"][0]["tool"]["driver"]
    driver["version"] = driver["semanticVersion"] = "X"
    return data  # type: ignore[no-any-return]


def test_example_library_matches_the_committed_sarif(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Regenerate (from the repo root) with:
    invoicetone check examples/templates --format sarif -o examples/templates.expected.sarif
    """
    monkeypatch.chdir(REPO)
    code = cli.main(["check", "examples/templates", "--format", "sarif", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1  # the library holds bad templates on purpose
    actual = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(actual)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert _normalise(actual) == _normalise(expected), (
        "examples/templates changed its findings; review and regenerate with "
        "`invoicetone check examples/templates --format sarif -o examples/templates.expected.sarif`"
    )
    results = actual["runs"][0]["results"]
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "examples/templates/disputes/payment-plan.txt" not in files  # the good one stays clean
    assert len(files) >= 4


def test_pre_commit_hooks_file_is_valid() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"] for h in hooks}
    assert {"invoicetone", "invoicetone-system", "invoicetone-fix"} <= ids
    for hook in hooks:
        assert hook["entry"].startswith("invoicetone ")
        assert hook["language"] in ("python", "system")


def test_action_is_a_composite_action_with_sarif_example() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"paths", "format", "sarif-file"} <= set(action["inputs"])
    assert "upload-sarif" in (REPO / "action.yml").read_text(encoding="utf-8")


@needs_git
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    # a `language: system` hook needs only the hook definitions; invoicetone comes from this environment
    shutil.copy(REPO / ".pre-commit-hooks.yaml", hook_repo / ".pre-commit-hooks.yaml")
    git(hook_repo, "init", "-q")
    git(hook_repo, "add", "-A")
    git(hook_repo, "commit", "-q", "-m", "hooks")
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    (work / "good.txt").write_text(
        "Hi Dana,\n\nThank you for raising this. Under clause 4 of our agreement the hours are billed monthly; "
        "I will send the timesheet by Friday.\n", encoding="utf-8")
    (work / "bad.md").write_text("Hi,\n\nThat's not our fault!!!\n", encoding="utf-8")
    (work / "invoicetone.toml").write_text('lang = "en"\n', encoding="utf-8")
    git(work, "add", "-A")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [pre_commit, "try-repo", str(hook_repo), "invoicetone-system", "--all-files", "--color", "never"],
        cwd=work, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "bad.md:3:1: warning denial.not-our-fault" in output
    assert "Traceback" not in output
