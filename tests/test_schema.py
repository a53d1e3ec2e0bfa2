"""Report.to_dict() validates against the JSON Schema shipped in the package."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

import invoicetone

SCHEMA = json.loads(files("invoicetone").joinpath("schema/report.schema.json").read_text(encoding="utf-8"))

CASES = [
    ("", None, None),
    ("That's not our fault, you should have read the contract!!!", None, None),
    ("To nie je naša chyba. Mali ste si prečítať zmluvu.", None, None),
    (
        "Thank you for your message. Under clause 4.2 payment is due within 45 days. We can offer a payment plan.",
        "Why was I charged a late fee on invoice 2024-17? This is outrageous!",
        "4.2 Payment terms. Invoices are payable within 30 days of the invoice date. "
        "4.3 Late payment. A late fee of 2% per month applies.",
    ),
]


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(("text", "client", "contract"), CASES)
def test_reports_validate(text: str, client: str | None, contract: str | None) -> None:
    report = invoicetone.check(text, client_message=client, contract=contract)
    jsonschema.validate(report.to_dict(), SCHEMA, cls=jsonschema.Draft202012Validator)
    assert report.to_dict()["schema_version"] == SCHEMA["properties"]["schema_version"]["const"]
