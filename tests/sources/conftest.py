from __future__ import annotations

from pathlib import Path

import pytest

import invoicetone

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def pack_checker() -> invoicetone.Checker:
    """A checker with a frozen test pack only, so these tests do not move when the real packs are tuned."""
    return invoicetone.Checker(builtin_packs=False, plugin_packs=False, packs=[FIXTURES / "pack"])
