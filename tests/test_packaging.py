"""The wheel carries the packs and schema and works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr}")
    return next(out.glob("invoicetone-*.whl"))


def test_wheel_contains_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "invoicetone/py.typed" in names
    assert "invoicetone/schema/report.schema.json" in names
    for lang in ("en", "sk"):
        packs = [n for n in names if n.startswith(f"invoicetone/data/phrases/{lang}/") and n.endswith(".yaml")]
        assert len(packs) >= 10, (lang, packs)
        assert any(n.startswith(f"invoicetone/data/elements/{lang}/") for n in names)


def test_installed_wheel_checks_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    draft = elsewhere / "draft.txt"
    draft.write_text("That's not our fault. You should have read the contract.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import invoicetone, sys; "
        "assert invoicetone.__file__.startswith(sys.argv[1]), invoicetone.__file__; "
        "r = invoicetone.check(open('draft.txt').read()); "
        "print(sorted({f.rule_id for f in r.findings}))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(target)], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "denial.not-our-fault" in result.stdout and "blame.should-have" in result.stdout
    cli = subprocess.run(
        [sys.executable, "-m", "invoicetone", "check", "draft.txt"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert cli.returncode == 1, cli.stderr
    assert "denial.not-our-fault" in cli.stdout
