"""Contract terms: mapping validation, extraction from English and Slovak text, contradictions."""

from __future__ import annotations

import datetime
import pickle
from dataclasses import FrozenInstanceError

import pytest

import invoicetone
from invoicetone import ConfigError, Contract

EN_CONTRACT = """SERVICES AGREEMENT

1. Services
The Supplier will provide web design services as described in the Statement of Work.

4. Fees and payment
4.1 Rates. The Client shall pay an hourly rate of €80 per hour for design work.
4.2 Payment terms. Invoices are payable within thirty (30) days of the invoice date.
4.3 All amounts are exclusive of VAT at 20%.

Clause 7 – Late payment
Overdue amounts bear interest of 1.5% per month. The first invoice of €1,250.00 is due on 15 April 2026.
"""

SK_CONTRACT = """ZMLUVA O DIELO

Článok 4
Cena diela
(1) Cena za hodinu práce je 45,00 € za hodinu.
(2) Celková cena diela je 1 250,00 € bez DPH.

Článok 5
Platobné podmienky
(1) Objednávateľ uhradí faktúru na základe výkazu prác.
(2) Splatnosť faktúry je 14 dní odo dňa jej doručenia.
(3) V prípade omeškania s úhradou je zhotoviteľ oprávnený účtovať úrok z omeškania 0,05 % denne z dlžnej sumy.
Faktúra č. 2026/015 je splatná 15. 4. 2026. Postupuje sa podľa čl. 5 ods. 2 zmluvy.
"""


def _terms(contract: Contract, kind: str) -> list[str]:
    return [t.text for t in contract.terms if t.kind == kind]


def test_english_text_extraction() -> None:
    contract = Contract.from_text(EN_CONTRACT, lang="en")
    assert contract.payment_days == 30
    assert contract.payment_clause == "4.2"
    assert contract.heading("4.2") == "Payment terms"
    assert contract.late_fee == "1.5% per month"
    assert contract.late_fee_percent == 1.5
    assert contract.late_fee_clause == "7"
    assert contract.due_date == "2026-04-15"
    assert [(r.amount, r.currency, r.unit) for r in contract.rates] == [(80.0, "EUR", "hour")]
    assert "€1,250.00" in _terms(contract, "amount")
    assert "20%" in _terms(contract, "percentage")
    assert contract.currency == "EUR"
    for term in contract.terms:
        assert EN_CONTRACT[term.start : term.end] == term.text


def test_slovak_text_extraction() -> None:
    contract = Contract.from_text(SK_CONTRACT)
    assert contract.lang == "sk"
    assert contract.payment_days == 14
    assert contract.payment_clause == "5 ods. 2"
    assert contract.heading("5") == "Platobné podmienky"
    assert contract.late_fee == "0,05 % denne"
    assert contract.late_fee_percent == pytest.approx(0.05)
    assert contract.due_date == "2026-04-15"
    assert "1 250,00 €" in _terms(contract, "amount")
    assert "čl. 5 ods. 2" in _terms(contract, "clause_ref")
    assert any(t.value == "1250.00 EUR" for t in contract.terms if t.kind == "amount")
    for term in contract.terms:
        assert SK_CONTRACT[term.start : term.end] == term.text


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Payment terms: Net 45.", 45),
        ("All invoices are payable net-15 from issue.", 15),
        ("The customer pays each invoice within 21 days of receipt.", 21),
        ("Faktúra je splatná do 30 dní od doručenia.", 30),
        ("Splatnost faktur je 10 dni.", 10),
    ],
)
def test_payment_days_variants(text: str, days: int) -> None:
    assert Contract.from_text(text).payment_days == days


def test_delivery_days_are_not_payment_terms() -> None:
    contract = Contract.from_text("The supplier delivers the goods within 10 days of the order.", lang="en")
    assert contract.payment_days is None


def test_nothing_extractable_is_fine_and_noted() -> None:
    contract = Contract.from_text("Hello, this is a note without terms.", lang="en")
    assert contract.terms == ()
    report = invoicetone.check("Thank you for your message.", lang="en", contract="Hello, this is a note without terms.")
    assert any("No contract terms" in note for note in report.notes)


def test_mapping_round_trip_and_types() -> None:
    contract = Contract.from_mapping(
        {
            "payment_days": 30,
            "due_date": datetime.date(2026, 5, 15),
            "late_fee": 1.5,
            "rates": {"hourly": 80, "design": "€90 per hour"},
            "invoice_number": 1042,
            "client_name": "Ms Novak",
            "clauses": {"4.2": "Payment terms", "7": "Late payment"},
            "currency": "EUR",
        }
    )
    assert contract.payment_clause == "4.2"  # found from the heading
    assert contract.late_fee_clause == "7"
    assert contract.due_date == "2026-05-15"
    assert contract.late_fee_percent == 1.5
    assert contract.invoice_number == "1042"
    assert [r.amount for r in contract.rates] == [80.0, 90.0]
    with pytest.raises(FrozenInstanceError):
        contract.payment_days = 10  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(contract)) == contract
    assert hash(contract) == hash(pickle.loads(pickle.dumps(contract)))  # usable as a cache key


@pytest.mark.parametrize(
    ("mapping", "key"),
    [
        ({"payment_day": 30}, "payment_day"),
        ({"payment_days": "30"}, "payment_days"),
        ({"payment_days": True}, "payment_days"),
        ({"payment_days": -1}, "payment_days"),
        ({"rates": [80]}, "rates"),
        ({"rates": {"hourly": "eighty"}}, "rates"),
        ({"clauses": {"4.2": 5}}, "clauses"),
        ({"clauses": "4.2 Payment"}, "clauses"),
        ({"due_date": 20260515}, "due_date"),
        ({"client_name": ""}, "client_name"),
        ({"late_fee": []}, "late_fee"),
        ({"lang": "de"}, "lang"),
    ],
)
def test_bad_mapping_names_the_key(mapping: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        invoicetone.check("Thank you for your message.", lang="en", contract=mapping)
    assert info.value.key == key
    assert repr(key) in str(info.value)


def test_bad_contract_type() -> None:
    with pytest.raises(ConfigError, match="contract"):
        invoicetone.check("Thanks.", lang="en", contract=42)


def test_contract_object_is_reused_and_text_is_cached() -> None:
    first = Contract.from_text(EN_CONTRACT)
    assert Contract.from_text(EN_CONTRACT) is first  # parsed once
    report = invoicetone.check("Thank you.", lang="en", contract=first)
    assert report.contract_terms == first.terms


def test_contradiction_wrong_days_is_error_with_span() -> None:
    contract = Contract.from_text(EN_CONTRACT, lang="en")
    draft = "Thank you for your note. Under our agreement, payment is due within 14 days of the invoice date."
    report = invoicetone.check(draft, lang="en", contract=contract)
    errors = [f for f in report.findings if f.rule_id == "contract.contradiction"]
    assert len(errors) == 1
    error = errors[0]
    assert error.severity is invoicetone.Severity.ERROR
    assert error.category is invoicetone.Category.CONTRACT
    assert draft[error.start : error.end] == "14"
    assert "30" in error.message and "4.2" in error.message
    assert error.suggestions[0].replacement == "30"
    fixed = invoicetone.apply_suggestion(draft, error, 0)
    again = invoicetone.check(fixed, lang="en", contract=contract)
    assert not [f for f in again.findings if f.rule_id == "contract.contradiction"]


def test_contradiction_wrong_rate_and_late_fee() -> None:
    contract = Contract.from_text(EN_CONTRACT, lang="en")
    draft = "Our agreement sets the rate at €95 per hour. The contract sets late interest at 2% per month."
    report = invoicetone.check(draft, lang="en", contract=contract)
    found = sorted(draft[f.start : f.end] for f in report.findings if f.rule_id == "contract.contradiction")
    assert found == ["2", "95"]


def test_slovak_contradiction() -> None:
    contract = Contract.from_text(SK_CONTRACT)
    draft = "Ďakujeme za správu. Podľa čl. 5 zmluvy je splatnosť faktúry 30 dní."
    report = invoicetone.check(draft, lang="sk", contract=contract)
    errors = [f for f in report.findings if f.rule_id == "contract.contradiction"]
    assert [draft[e.start : e.end] for e in errors] == ["30"]
    assert "14" in errors[0].message


@pytest.mark.parametrize(
    "draft",
    [
        "Under our agreement, payment is due within 30 days of the invoice date.",
        "The invoice is now 45 days overdue.",  # one invoice's lateness, not a term
        "We can extend the due date by 14 days under our agreement.",  # a solution, not the term
        "We worked 14 days on the project.",  # no reference to the terms
    ],
)
def test_no_contradiction(draft: str) -> None:
    contract = Contract.from_text(EN_CONTRACT, lang="en")
    report = invoicetone.check(draft, lang="en", contract=contract)
    assert not [f for f in report.findings if f.rule_id == "contract.contradiction"]


def test_ignore_contradictions() -> None:
    checker = invoicetone.Checker(ignore=["contract.contradiction"])
    report = checker.check("Under our agreement, payment is due within 14 days.", lang="en", contract={"payment_days": 30})
    assert not report.findings


def test_missing_contract_reference_cites_the_real_clause() -> None:
    report = invoicetone.check("Thank you for your message. We will send a credit note by Friday.", lang="en", contract=EN_CONTRACT)
    missing = {m.id: m for m in report.missing}
    assert missing["contract_reference"].suggestion == (
        "Under clause 4.2 of our agreement, payment is due within 30 days of the invoice date."
    )
    sk = invoicetone.check("Ďakujeme za správu. Dobropis vám pošleme do piatku.", lang="sk", contract=SK_CONTRACT)
    sk_missing = {m.id: m for m in sk.missing}
    assert sk_missing["contract_reference"].suggestion == "Podľa čl. 5 ods. 2 našej zmluvy je faktúra splatná do 14 dní od jej vystavenia."


def test_check_many_shares_client_message_and_contract() -> None:
    checker = invoicetone.Checker()
    drafts = ["Thank you. Under our agreement, payment is due within 14 days.", "Thank you for your message."]
    reports = checker.check_many(drafts, lang="en", client_message="Why is there a late fee?", contract=EN_CONTRACT)
    assert [r.dispute_types[0].id for r in reports] == ["late_fee", "late_fee"]
    assert [f.rule_id for f in reports[0].findings if f.rule_id == "contract.contradiction"] == ["contract.contradiction"]
    assert reports[1].contract_terms == Contract.from_text(EN_CONTRACT).terms
