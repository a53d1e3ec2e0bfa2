"""Documentation that is generated from data must match it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rules_reference_matches_the_packs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_rules_md.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr + " (run: python tools/gen_rules_md.py)"


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pytest" in readme
    assert "invoicetone check examples/drafts" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci
