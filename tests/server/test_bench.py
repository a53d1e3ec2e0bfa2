"""bench/load.py stays runnable: a two-second run against the test server, closed and open loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import LiveServer

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.mark.parametrize("extra", [[], ["--rate", "20"]])
def test_load_script_reports_figures(server: LiveServer, extra: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--url", server.url, "--clients", "3", "--duration", "2", "--json", *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["errors"] == 0 and figures["checks"] > 0
    assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    if extra:
        assert figures["checks"] <= 20 * 2 + 3  # the schedule holds the rate


def test_load_script_refuses_other_hosts() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--url", "http://192.0.2.1:8081", "--duration", "1"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0 and "loopback" in result.stderr
