from __future__ import annotations

import pytest

import invoicetone


@pytest.fixture(scope="session")
def checker() -> invoicetone.Checker:
    return invoicetone.Checker()
