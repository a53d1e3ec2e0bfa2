"""invoicetone.outline: a reply skeleton that, once its placeholders are filled, scores >= 90 with
nothing missing — for client messages of every dispute type, in English and Slovak."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError

import pytest

import invoicetone
from invoicetone import Outline

FILL = {
    "en": {
        "[date]": "Friday 12 June", "[number]": "14", "[your name]": "Sam Carter", "[invoice number]": "1042",
        "[clause]": "9", "[with or without]": "without", "[notice period]": "one month", "[name]": "Ms Novak",
        "[amount]": "€1,250.00", "[rate]": "€80 per hour", "[late fee]": "1.5% per month",
    },
    "sk": {
        "[dátum]": "12. júna", "[počet]": "14", "[vaše meno]": "Samuel Kováč", "[číslo faktúry]": "1042",
        "[článok]": "9", "[s DPH alebo bez DPH]": "bez DPH", "[výpovedná lehota]": "jeden mesiac", "[meno]": "pani Nováková",
        "[suma]": "1 250,00 €", "[sadzba]": "80 € za hodinu", "[úrok]": "0,05 % denne",
    },
}
MESSAGES = {
    "en": {
        "amount": ["The total on invoice 1042 is far higher than the quote we signed.", "I think we were overcharged by €300 this month."],
        "hours": ["You billed 42 hours for a landing page.", "The hours billed on INV-77 don't match what your designer told us."],
        "scope": ["The mobile version was never delivered, yet it's on the invoice.", "The SEO audit was not part of the quote."],
        "due_date": ["Why is the due date only 7 days from the invoice?", "We agreed on net 60, not net 30."],
        "late_fee": ["There is a late fee on this bill although we paid on time.", "Why are you charging us interest?"],
        "duplicate": ["We have been charged twice for the May retainer.", "Invoice 1043 looks like a duplicate of 1042."],
        "wrong_rate": ["The hourly rate on the invoice is €95, but we agreed €80.", "You used the old rate again."],
        "tax": ["Why is VAT added? We are reverse-charge in Germany.", "The tax on line 4 is wrong."],
        "already_paid": ["We already paid this invoice on 3 May.", "Payment was made last week by bank transfer."],
        "cancelled": ["We cancelled the subscription in March.", "The contract was terminated in January, so why this invoice?"],
        "missing_po": ["The invoice has no PO number, so accounts can't process it.", "Please add our purchase order reference."],
        "discount": ["Where is the 10% discount you promised?", "You promised a reduced price for the second phase."],
        "heated": ["This is RIDICULOUS. You charged us twice and I will call my lawyer!!"],
        "none": ["Hello, a question about your last invoice."],
    },
    "sk": {
        "amount": ["Suma na faktúre č. 1042 je oveľa vyššia ako cenová ponuka.", "Suma je príliš vysoká."],
        "hours": ["Vyfakturovali ste 42 hodín za jednoduchú stránku.", "Počet hodín nesedí s tým, čo hovoril váš grafik."],
        "scope": ["Mobilná verzia nebola dodaná, a predsa je na faktúre.", "SEO audit bol mimo rozsahu ponuky."],
        "due_date": ["Prečo je splatnosť len 7 dní?", "Dohodli sme sa na splatnosti 60 dní."],
        "late_fee": ["Na faktúre je úrok z omeškania, hoci sme platili včas.", "Prečo nám účtujete penále?"],
        "duplicate": ["Mesačný paušál ste nám vyúčtovali dvakrát.", "Faktúra 1043 je duplicitná k faktúre 1042."],
        "wrong_rate": ["Hodinová sadzba na faktúre je 95 €, dohodli sme 80 €.", "Použili ste starý cenník."],
        "tax": ["Prečo je na faktúre DPH? Uplatňujeme prenesenie daňovej povinnosti.", "DPH na riadku 4 je zlá."],
        "already_paid": ["Faktúru sme už zaplatili 3. mája.", "Platba odišla minulý týždeň bankovým prevodom."],
        "cancelled": ["Predplatné sme zrušili v marci.", "Zmluvu sme vypovedali v januári, prečo teda táto faktúra?"],
        "missing_po": ["Na faktúre chýba číslo objednávky, účtáreň ju nespracuje.", "Bez čísla objednávky faktúru nemôžeme uhradiť."],
        "discount": ["Kde je 10 % zľava, ktorú ste sľúbili?", "Sľúbili ste nám nižšiu cenu za druhú fázu."],
        "heated": ["To je neprijateľné! Účtujete nám to dvakrát, obrátime sa na právnika!!"],
        "none": ["Dobrý deň, mám otázku k poslednej faktúre."],
    },
}
CONTRACTS: dict[str, list[object]] = {
    "en": [None, {"payment_days": 30, "payment_clause": "4.2", "late_fee": "1.5% per month", "late_fee_clause": "7",
                  "rates": {"hourly": "€80 per hour"}, "client_name": "Ms Novak", "invoice_number": "1042"}],
    "sk": [None, "Článok 5\nPlatobné podmienky\n(1) Cena za hodinu je 45,00 € za hodinu.\n(2) Splatnosť faktúry je 14 dní."
                 "\n(3) Úrok z omeškania je 0,05 % denne."],
}


def fill(text: str, lang: str) -> str:
    def value(match: re.Match[str]) -> str:
        assert match.group() in FILL[lang], f"unknown placeholder {match.group()}"
        return FILL[lang][match.group()]

    return re.sub(r"\[[^\[\]\n]{1,40}\]", value, text)


CASES = [
    pytest.param(lang, kind, message, contract, id=f"{lang}:{kind}:{i}:{'contract' if contract else 'none'}")
    for lang in ("en", "sk")
    for kind, messages in MESSAGES[lang].items()
    for i, message in enumerate(messages)
    for contract in CONTRACTS[lang]
]


@pytest.mark.parametrize(("lang", "kind", "message", "contract"), CASES)
def test_filled_outline_scores_high_with_nothing_missing(lang: str, kind: str, message: str, contract: object) -> None:
    result = invoicetone.outline(message, contract=contract, lang=lang)
    if kind not in ("heated", "none"):
        assert kind in result.dispute_types
    assert [s.id for s in result.sections] == ["thanks", "paraphrase", "evidence_and_terms", "options", "next_steps", "invitation"]
    draft = fill(result.text, lang)
    assert "[" not in draft
    report = invoicetone.check(draft, lang=lang, client_message=message, contract=contract)
    assert report.missing == (), [(m.id, m.message) for m in report.missing]
    assert report.score >= 90, [(f.rule_id, f.text) for f in report.findings]
    assert not [f for f in report.findings if f.severity.rank >= 1]


def test_outline_detects_language_and_uses_known_facts() -> None:
    result = invoicetone.outline("Faktúru č. 2026/015 sme už zaplatili.")
    assert result.lang == "sk"
    assert "2026/015" in result.text
    assert "[dátum]" in result.placeholders
    english = invoicetone.outline("You billed 40 hours on invoice INV-9.", contract={"client_name": "Ms Novak"})
    assert english.text.startswith("Dear Ms Novak,")
    assert "INV-9" in english.text and "timesheet" in english.text
    assert "[date]" in english.placeholders
    assert english.placeholders == tuple(dict.fromkeys(re.findall(r"\[[^\[\]\n]{1,40}\]", english.text)))


def test_outline_cites_contract_terms() -> None:
    result = invoicetone.outline("Why is the due date only 30 days?", contract={"payment_days": 45, "payment_clause": "4.2"}, lang="en")
    assert "Under clause 4.2 of our agreement, payment is due within 45 days of the invoice date." in result.text


def test_outline_is_frozen_and_serialisable() -> None:
    result = invoicetone.outline("We were charged twice.", lang="en")
    assert isinstance(result, Outline)
    with pytest.raises(FrozenInstanceError):
        result.text = ""  # type: ignore[misc]
    data = result.to_dict()
    assert data["sections"][0]["id"] == "thanks"
    assert data["dispute_types"] == ["duplicate"]


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_outline_bad_input(bad: object) -> None:
    with pytest.raises(TypeError):
        invoicetone.outline(bad)  # type: ignore[arg-type]


def test_outline_bad_language_and_contract() -> None:
    with pytest.raises(invoicetone.InputError):
        invoicetone.outline("Hello", lang="de")
    with pytest.raises(invoicetone.ConfigError):
        invoicetone.outline("Hello", contract={"payment_dayz": 3})
