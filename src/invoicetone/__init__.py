"""invoicetone: coaching for replies to clients who dispute an invoice.

    >>> import invoicetone
    >>> report = invoicetone.check("That's not our fault, you should have read the contract.")
    >>> [f.rule_id for f in report.findings]            # doctest: +SKIP

Nothing heavy happens at import time: pipelines and packs are built on the first check.
"""

from __future__ import annotations

import threading
from typing import Any

from ._checker import Checker
from ._contract import Contract, ContractTerm, Rate
from ._fix import apply_suggestion
from ._model import Category, DisputeType, ElementSpan, Finding, Missing, Penalty, Report, Severity, Suggestion
from ._outline import Outline, OutlineSection, outline
from ._packs import Rule
from .errors import ConfigError, InputError, InputTooLarge, InvoiceToneError, PackError

__version__ = "0.1.0"

__all__ = [
    "Category",
    "Checker",
    "ConfigError",
    "Contract",
    "ContractTerm",
    "DisputeType",
    "ElementSpan",
    "Finding",
    "InputError",
    "InputTooLarge",
    "InvoiceToneError",
    "Missing",
    "Outline",
    "OutlineSection",
    "PackError",
    "Penalty",
    "Rate",
    "Report",
    "Rule",
    "Severity",
    "Suggestion",
    "__version__",
    "apply_suggestion",
    "check",
    "outline",
]

_default: Checker | None = None
_default_lock = threading.Lock()


def _default_checker() -> Checker:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Checker()
    return _default


def check(
    text: str,
    *,
    lang: str | None = None,
    client_message: str | None = None,
    contract: Any = None,
    ui_lang: str | None = None,
) -> Report:
    """Check a draft reply with the default :class:`Checker` (messages in ``ui_lang`` when given)."""
    return _default_checker().check(
        text, lang=lang, client_message=client_message, contract=contract, ui_lang=ui_lang
    )
