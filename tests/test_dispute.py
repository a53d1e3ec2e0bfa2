"""The client's message: dispute types with cue spans, heat, required elements and fitted coaching."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone._dispute import DISPUTE_TYPES, classify, dispute_cues, requirements
from invoicetone._document import plain_document

_EXAMPLES = [
    pytest.param(lang, name, text, span, id=f"{lang}:{name}:{index}")
    for lang in ("en", "sk")
    for index, (name, text, span) in enumerate(dispute_cues(lang).examples)
]


@pytest.mark.parametrize(("lang", "name", "text", "span"), _EXAMPLES)
def test_cue_examples(lang: str, name: str, text: str, span: tuple[int, int] | None) -> None:
    types, heated = classify(plain_document(text), lang)
    if name == "heated":
        spans = [(c.start, c.end) for c in heated]
    else:
        spans = [(c.start, c.end) for t in types if t.id == name for c in t.cues]
    if span is None:
        assert spans == []
    else:
        assert span in spans


def test_every_type_has_cues_and_requirements_in_both_languages() -> None:
    _default, _unclassified, per_type = requirements()
    assert set(per_type) == set(DISPUTE_TYPES)
    for lang in ("en", "sk"):
        assert {name for name, _ in dispute_cues(lang).types} == set(DISPUTE_TYPES)


EN_MESSAGES = {
    "amount": ["The total on invoice 1042 is far higher than the quote we signed.", "I think we were overcharged this month."],
    "hours": ["You billed 42 hours for a landing page. That seems like a lot.", "The hours billed don't match our records."],
    "scope": ["The mobile version was never delivered, yet it's on the invoice.", "The SEO audit was not part of the quote."],
    "due_date": ["Why is the due date only 7 days from the invoice?", "We agreed on net 60, not net 30."],
    "late_fee": ["There is a late fee of €40 on this bill although we paid on time.", "Why are you charging us interest?"],
    "duplicate": ["We have been charged twice for the May retainer.", "Invoice 1043 looks like a duplicate of 1042."],
    "wrong_rate": ["The hourly rate on the invoice is €95, but we agreed €80.", "You used the old rate again."],
    "tax": ["Why is VAT added? We are reverse-charge in Germany.", "The tax on line 4 is wrong."],
    "already_paid": ["We already paid this invoice on 3 May.", "Payment was made last week by bank transfer."],
    "cancelled": ["We cancelled the subscription in March.", "The contract was terminated in January, so why this invoice?"],
    "missing_po": ["The invoice has no PO number, so accounts can't process it.", "Please add our purchase order reference."],
    "discount": ["Where is the 10% discount you promised?", "You promised a reduced price for the second phase."],
}
SK_MESSAGES = {
    "amount": ["Suma na faktúre č. 1042 je oveľa vyššia ako cenová ponuka.", "Suma je príliš vysoká."],
    "hours": ["Vyfakturovali ste 42 hodín za jednoduchú stránku.", "Počet hodín nesedí s našimi záznamami."],
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
}


@pytest.mark.parametrize(
    ("lang", "expected", "message"),
    [pytest.param("en", t, m, id=f"en:{t}:{i}") for t, ms in EN_MESSAGES.items() for i, m in enumerate(ms)]
    + [pytest.param("sk", t, m, id=f"sk:{t}:{i}") for t, ms in SK_MESSAGES.items() for i, m in enumerate(ms)],
)
def test_dispute_type_found_with_exact_cues(lang: str, expected: str, message: str) -> None:
    report = invoicetone.check("Thank you for your message.", lang=lang, client_message=message)
    types = {d.id: d for d in report.dispute_types}
    assert expected in types, [d.id for d in report.dispute_types]
    for cue in types[expected].cues:
        assert message[cue.start : cue.end] == cue.text


def test_slovak_cues_match_without_diacritics() -> None:
    report = invoicetone.check("Dakujeme.", lang="sk", client_message="Faktúru sme uz zaplatili, uroky z omeskania su neopravnene.")
    assert {d.id for d in report.dispute_types} >= {"already_paid", "late_fee"}


@pytest.mark.parametrize(
    ("lang", "message", "heated"),
    [
        ("en", "This is ridiculous. I will call my lawyer!!", True),
        ("en", "YOU ARE STEALING OUR MONEY", True),
        ("en", "Could you check the hours on invoice 1042, please?", False),
        ("en", "The VAT and PO number are missing.", False),
        ("sk", "To je neprijateľné, obrátime sa na právnika!", True),
        ("sk", "Mohli by ste, prosím, skontrolovať hodiny?", False),
    ],
)
def test_heated_client(lang: str, message: str, heated: bool) -> None:
    report = invoicetone.check("Thank you for your message.", lang=lang, client_message=message)
    assert report.client_heated is heated
    assert any("heated" in n or "vyhrotená" in n for n in report.notes) is heated


def test_heated_client_makes_missing_acknowledgement_an_error() -> None:
    report = invoicetone.check("Payment is due within 30 days under our agreement.", lang="en", client_message="This is a scam!!")
    missing = {m.id: m for m in report.missing}
    assert missing["acknowledgement"].severity is invoicetone.Severity.ERROR
    calm = invoicetone.check("Payment is due within 30 days under our agreement.", lang="en", client_message="Please check the total.")
    assert {m.id: m for m in calm.missing}["acknowledgement"].severity is invoicetone.Severity.WARNING


def test_without_client_message_defaults_and_note() -> None:
    report = invoicetone.check("The invoice is attached.", lang="en")
    assert report.client_heated is None
    assert report.dispute_types == ()
    assert {m.id for m in report.missing} == {"acknowledgement", "contract_reference", "solution", "next_steps"}
    assert any("No client message" in n for n in report.notes)
    sk = invoicetone.check("Faktúru posielame v prílohe.", lang="sk")
    assert any("Správa klienta nebola zadaná" in n for n in sk.notes)


def test_dispute_type_decides_required_elements() -> None:
    draft = "Thank you for your message. Under clause 4 of our agreement the rate is €80. We will send a credit note by Friday."
    paid = invoicetone.check(draft, lang="en", client_message="We already paid this invoice on 3 May.")
    ids = {m.id for m in paid.missing}
    assert "invitation" in ids and "solution" not in ids
    hours = invoicetone.check(draft, lang="en", client_message="You billed 40 hours but it took 20.")
    assert "evidence" in {m.id for m in hours.missing}


def _suggestions(report: invoicetone.Report) -> dict[str, str]:
    return {m.id: m.suggestion for m in report.missing}


def test_hours_dispute_suggests_the_timesheet() -> None:
    report = invoicetone.check("Noted.", lang="en", client_message="You billed 40 hours on invoice INV-1042 but it took 20.")
    evidence = _suggestions(report)["evidence"]
    assert "timesheet" in evidence and "INV-1042" in evidence
    sk = invoicetone.check("Beriem na vedomie.", lang="sk", client_message="Vyfakturovali ste 40 hodín, práca trvala 20.")
    assert "výkaz prác" in _suggestions(sk)["evidence"]


def test_late_fee_dispute_cites_clause_and_offers_waiver_or_plan() -> None:
    contract = {"late_fee": "1.5% per month", "late_fee_clause": "7", "payment_days": 30}
    report = invoicetone.check("Noted.", lang="en", client_message="Why is there a late fee?", contract=contract)
    suggestions = _suggestions(report)
    assert suggestions["contract_reference"] == "Clause 7 of our agreement sets a late-payment fee of 1.5% per month."
    assert "waive" in suggestions["solution"] and "payment plan" in suggestions["solution"]


def test_already_paid_asks_for_remittance_and_says_when() -> None:
    report = invoicetone.check("Noted.", lang="en", client_message="We already paid this on 3 May.")
    suggestions = _suggestions(report)
    assert "remittance details" in suggestions["invitation"]
    assert "[date]" in suggestions["next_steps"] and "check" in suggestions["next_steps"]
    sk = invoicetone.check("Beriem na vedomie.", lang="sk", client_message="Faktúru sme už zaplatili.")
    sk_suggestions = _suggestions(sk)
    assert "údaje o platbe" in sk_suggestions["invitation"]
    assert "[dátum]" in sk_suggestions["next_steps"]


def test_suggestions_use_known_facts_and_placeholders_never_invent() -> None:
    report = invoicetone.check("Noted.", lang="en", client_message="The total of €1,250.00 on invoice 1042 is higher than the quote.")
    suggestions = _suggestions(report)
    assert "1042" in suggestions["paraphrase"]
    assert "€1,250.00" in suggestions["evidence"]
    unknown = invoicetone.check("Noted.", lang="en", client_message="The total is higher than the quote.")
    assert "[invoice number]" in _suggestions(unknown)["paraphrase"]
    for text in _suggestions(unknown).values():
        assert "1042" not in text and "€" not in text


def test_ui_lang_speaks_messages_and_notes_but_suggestions_stay_in_the_draft_language() -> None:
    report = invoicetone.check(
        "Ďakujeme za správu.", lang="sk", client_message="Vyfakturovali ste 40 hodín.", ui_lang="en"
    )
    missing = {m.id: m for m in report.missing}
    assert missing["evidence"].message.startswith("The client questions the hours billed")
    assert "výkaz prác" in missing["evidence"].suggestion
    assert any(n.startswith("The client disputes") for n in report.notes)
