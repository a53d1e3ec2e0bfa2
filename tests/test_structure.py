"""Reply elements with spans, hard negatives, paraphrase against the client's message, missing
suggestions that work when pasted, and the score's structure properties."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import invoicetone
from invoicetone._coaching import coaching
from invoicetone._dispute import DISPUTE_TYPES

checker = invoicetone.Checker()


def elements(text: str, lang: str, **kwargs: object) -> dict[str, list[str]]:
    report = checker.check(text, lang=lang, **kwargs)  # type: ignore[arg-type]
    for spans in report.elements.values():
        for span in spans:
            assert text[span.start : span.end] == span.text
    return {name: [s.text for s in spans] for name, spans in report.elements.items()}


@pytest.mark.parametrize(
    ("lang", "text", "element", "present"),
    [
        # hard cases from the product definitions
        ("en", "We have no contract reference for that charge.", "contract_reference", True),
        ("en", "The invoice was due on 15 April.", "contract_reference", False),
        ("en", "The invoice is now 30 days overdue.", "contract_reference", False),
        ("en", "Please add your purchase order number.", "contract_reference", False),
        ("en", "Our records show the payment arrived on Monday.", "contract_reference", False),
        ("en", "Our terms are 30 days from the invoice date.", "contract_reference", True),
        ("en", "Payment terms are Net 30.", "contract_reference", True),
        ("en", "Under section 4.2, payment is due within 30 days.", "contract_reference", True),
        ("en", "We will not offer a discount.", "solution", False),
        ("en", "We cannot extend the due date.", "solution", False),
        ("en", "There is no refund for completed work.", "solution", False),
        ("en", "We can't offer a refund, but we can split the balance into two payments.", "solution", True),
        ("en", "As a goodwill gesture we will waive the late fee.", "solution", True),
        ("en", "Next time, we will send the invoice earlier.", "next_steps", False),
        ("en", "We will pass this to our collections agency.", "next_steps", False),
        ("en", "We have already sent the corrected invoice.", "next_steps", False),
        ("en", "I will send you the corrected invoice by Friday.", "next_steps", True),
        ("en", "Thanks to your late payment, we incurred fees.", "acknowledgement", False),
        ("en", "We're sorry you feel that way, but the invoice stands.", "acknowledgement", False),
        ("en", "Thank you for flagging this.", "acknowledgement", True),
        ("en", "Why didn't you read the contract?", "invitation", False),
        ("en", "Could you tell me which line looks wrong?", "invitation", True),
        ("en", "As agreed in the contract, payment is due in 30 days.", "summary", False),
        ("en", "To summarise: we credit two hours and you pay the rest by Friday.", "summary", True),
        ("sk", "Podľa článku 5 zmluvy je splatnosť 14 dní.", "contract_reference", True),
        ("sk", "V zmysle obchodných podmienok fakturujeme mesačne.", "contract_reference", True),
        ("sk", "Postupovali sme podľa potvrdenej objednávky.", "contract_reference", True),
        ("sk", "Hodiny sú vo výkaze prác.", "contract_reference", True),
        ("sk", "Faktúra bola splatná 15. 4.", "contract_reference", False),
        ("sk", "Splatnosť sme posunuli o týždeň.", "contract_reference", False),
        ("sk", "Zľavu neposkytneme.", "solution", False),
        ("sk", "Nemôžeme predĺžiť splatnosť.", "solution", False),
        ("sk", "Môžeme vám ponúknuť splátkový kalendár.", "solution", True),
        ("sk", "Vystavíme dobropis na rozdiel.", "solution", True),
        ("sk", "Nabudúce vám pošleme faktúru skôr.", "next_steps", False),
        ("sk", "Opravenú faktúru vám pošlem do piatku.", "next_steps", True),
        ("sk", "Opravenu fakturu vam poslem do piatku.", "next_steps", True),
        ("sk", "Ďakujeme, že ste sa podelili o svoje obavy.", "acknowledgement", True),
        ("sk", "Dakujeme, ze ste sa podelili o svoje obavy.", "acknowledgement", True),
        ("sk", "Mrzí nás, že to tak vnímate.", "acknowledgement", False),
        ("sk", "Dajte nám, prosím, vedieť, ktorá možnosť vám vyhovuje.", "invitation", True),
        # wording that appears neither in the rules' examples nor in the corpus
        ("en", "Many thanks for getting back to us so quickly.", "acknowledgement", True),
        ("en", "Apologies for the confusion on our side.", "acknowledgement", True),
        ("en", "I hear your frustration about the timing.", "acknowledgement", True),
        ("en", "Fair enough, the line should not be there.", "acknowledgement", True),
        ("en", "Thanks for nothing.", "acknowledgement", False),
        ("en", "Per our master services agreement, fees are invoiced monthly.", "contract_reference", True),
        ("en", "The signed statement of work lists three deliverables.", "contract_reference", True),
        ("en", "Our standard terms allow 14 days for payment.", "contract_reference", True),
        ("en", "The rate card you approved in January puts senior hours at €95.", "contract_reference", True),
        ("en", "Section 8 covers cancellations.", "contract_reference", True),
        ("en", "The payment was due on 3 March.", "contract_reference", False),
        ("en", "VAT law requires us to charge 20%.", "contract_reference", False),
        ("en", "Our system shows no payment.", "contract_reference", False),
        ("en", "We've gone ahead and refunded the duplicate charge.", "solution", True),
        ("en", "I've knocked the extra hour off the bill.", "solution", True),
        ("en", "Happy to spread the balance over three months if that helps.", "solution", True),
        ("en", "We can give you until the end of the month to pay.", "solution", True),
        ("en", "A credit for the missing day will appear on your next invoice.", "solution", True),
        ("en", "Unfortunately we are unable to waive the fee.", "solution", False),
        ("en", "Refunds are not possible after delivery.", "solution", False),
        ("en", "I'll look into it.", "solution", False),
        ("en", "I'll get back to you by Wednesday with the breakdown.", "next_steps", True),
        ("en", "Our bookkeeper will email the revised invoice this afternoon.", "next_steps", True),
        ("en", "Expect the credit note in your inbox tomorrow morning.", "next_steps", True),
        ("en", "I'm going to call you at 10 tomorrow to go through it.", "next_steps", True),
        ("en", "From now on, invoices will include the PO.", "next_steps", False),
        ("en", "We have already issued the refund.", "next_steps", False),
        ("en", "If payment isn't received by Friday, we'll hand it to our solicitors.", "next_steps", False),
        ("sk", "Vďaka za rýchlu odpoveď.", "acknowledgement", True),
        ("sk", "Ospravedlňujem sa za zmätok.", "acknowledgement", True),
        ("sk", "Rozumiem, prečo vás to prekvapilo.", "acknowledgement", True),
        ("sk", "Podľa rámcovej zmluvy fakturujeme mesačne.", "contract_reference", True),
        ("sk", "V bode 3.1 obchodných podmienok je splatnosť 14 dní.", "contract_reference", True),
        ("sk", "Cenník, ktorý ste odsúhlasili, uvádza 50 € za hodinu.", "contract_reference", True),
        ("sk", "Faktúra bola splatná minulý piatok.", "contract_reference", False),
        ("sk", "Podľa zákona o DPH musíme účtovať 20 %.", "contract_reference", False),
        ("sk", "Poplatok sme vám odpustili.", "solution", True),
        ("sk", "Rozdiel vám vrátime na účet.", "solution", True),
        ("sk", "Zostatok môžete uhradiť v troch splátkach.", "solution", True),
        ("sk", "Predĺžime vám splatnosť do konca mesiaca.", "solution", True),
        ("sk", "Zľavu vám žiaľ poskytnúť nemôžeme.", "solution", False),
        ("sk", "Poplatok neodpustíme.", "solution", False),
        ("sk", "Do stredy vám pošlem opravenú faktúru.", "next_steps", True),
        ("sk", "Zajtra vám zavolám a prejdeme to spolu.", "next_steps", True),
        ("sk", "Kolegyňa z účtovného oddelenia vám do piatku pošle dobropis.", "next_steps", True),
        ("sk", "Nabudúce prosím uveďte číslo objednávky.", "next_steps", False),
        ("sk", "Ak do piatku nezaplatíte, odovzdáme vec advokátovi.", "next_steps", False),
        ("sk", "Faktúru sme už stornovali.", "next_steps", False),
    ],
)
def test_element_cases(lang: str, text: str, element: str, present: bool) -> None:
    found = elements(text, lang)
    assert (element in found) is present, found


def test_seed_reply_has_acknowledgement_and_reference() -> None:
    text = "Ďakujeme, že ste sa podelili o svoje obavy. Preskúmame faktúru spolu s dohodnutými podmienkami, aby sme si ich vysvetlili."
    found = elements(text, "sk")
    assert found["acknowledgement"] == ["Ďakujeme"]
    assert "contract_reference" in found


def test_paraphrase_judged_against_the_client_message() -> None:
    client = "You billed us 40 hours for the logo redesign, but the designer told us it took two days."
    good = "Thank you for your message. You feel the 40 hours for the logo redesign are more than the work took."
    unrelated = "Thank you for your message. You can pay by card or by bank transfer."
    assert "paraphrase" in elements(good, "en", client_message=client)
    assert "paraphrase" not in elements(unrelated, "en", client_message=client)
    # a question back to the client is an invitation, not a paraphrase
    assert "paraphrase" not in elements("Could you send the logo redesign hours you expected?", "en", client_message=client)
    sk_client = "Vyfakturovali ste nám 40 hodín za redizajn loga, grafik pritom hovoril o dvoch dňoch."
    sk_good = "Ďakujeme za správu. Chápeme, že vám 40 hodín za redizajn loga pripadá priveľa."
    assert "paraphrase" in elements(sk_good, "sk", client_message=sk_client)
    assert "paraphrase" not in elements("Ďakujeme za správu. Platiť môžete kartou.", "sk", client_message=sk_client)


DRAFTS = {
    "en": [
        "Please pay the invoice.",
        "Thank you for your message. We will look into it.",
        "That's how our billing works.",
    ],
    "sk": [
        "Prosím, zaplaťte faktúru.",
        "Ďakujeme za správu. Pozrieme sa na to.",
        "Takto funguje naša fakturácia.",
    ],
}
CLIENTS = {
    "en": [None, "You billed 40 hours on invoice 1042.", "We already paid this.", "Why is there a late fee?", "This is ridiculous, you charged us twice!!"],
    "sk": [None, "Vyfakturovali ste 40 hodín na faktúre 1042.", "Faktúru sme už zaplatili.", "Prečo je na faktúre úrok z omeškania?"],
}
CONTRACTS: list[object] = [None, {"payment_days": 30, "payment_clause": "4.2", "late_fee": "1.5% per month", "late_fee_clause": "7", "rates": {"hourly": "€80 per hour"}}]


@pytest.mark.parametrize(
    ("lang", "draft", "client", "contract"),
    [(lang, d, c, k) for lang in ("en", "sk") for d in DRAFTS[lang] for c in CLIENTS[lang] for k in CONTRACTS],
)
def test_pasting_each_missing_suggestion_fills_it(lang: str, draft: str, client: str | None, contract: object) -> None:
    report = checker.check(draft, lang=lang, client_message=client, contract=contract)
    before_warnings = {f.rule_id for f in report.findings if f.severity.rank >= 1}
    for missing in report.missing:
        assert missing.suggestion and missing.message
        pasted = f"{draft} {missing.suggestion}"
        after = checker.check(pasted, lang=lang, client_message=client, contract=contract)
        assert missing.id not in {m.id for m in after.missing}, (missing.suggestion, after.elements)
        new = {f.rule_id for f in after.findings if f.severity.rank >= 1} - before_warnings
        assert not new, (missing.suggestion, new)
        assert after.score > report.score


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_every_coaching_template_is_detected_as_its_element(lang: str) -> None:
    text = coaching(lang)
    facts = {"invoice_number": "1042", "amount": "€1,250.00", "payment_days": "30", "payment_clause": "4.2",
             "late_fee": "1.5%", "late_fee_clause": "7", "rate": "€80 per hour", "client_name": "Alex"}
    for element, by_kind in text.suggestions.items():
        for kind, templates in by_kind.items():
            for template in templates:
                sentence = text.fill([template], facts)
                found = elements(sentence, lang)
                assert element in found, (element, kind, sentence, found)
                report = checker.check(sentence, lang=lang)
                assert not [f for f in report.findings if f.severity.rank >= 1], (sentence, report.findings)


def test_coaching_text_exists_in_both_languages() -> None:
    en, sk = coaching("en"), coaching("sk")
    assert set(en.placeholders) == set(sk.placeholders)
    assert set(en.notes) == set(sk.notes)
    assert set(en.dispute_names) == set(sk.dispute_names) == set(DISPUTE_TYPES)
    assert {k: set(v) for k, v in en.suggestions.items()} == {k: set(v) for k, v in sk.suggestions.items()}
    assert {k: set(v) for k, v in en.messages.items()} == {k: set(v) for k, v in sk.messages.items()}
    assert set(en.contradiction["rule_message"]) == set(sk.contradiction["rule_message"])
    en_elements = {r.id for r in checker.load_rules() if r.kind == "element" and r.lang == "en"}
    sk_elements = {r.id for r in checker.load_rules() if r.kind == "element" and r.lang == "sk"}
    assert en_elements == sk_elements


def test_every_point_lost_is_a_penalty() -> None:
    report = checker.check("That's how our billing works.", lang="en", client_message="This is a scam!!", contract={"payment_days": 30})
    assert report.score == pytest.approx(max(0.0, 100 - sum(p.points for p in report.penalties)))
    sources = {p.source for p in report.penalties}
    assert {m.id for m in report.missing} <= sources
    assert {p.subscore for p in report.penalties if p.source in {m.id for m in report.missing}} <= {"empathy", "grounding", "resolution"}


SENTENCES = st.sampled_from(
    [
        "Please pay the invoice.",
        "That's not our fault.",
        "Under clause 4.2 of our agreement, payment is due within 30 days.",
        "We will send the corrected invoice by Friday.",
        "You should have read the contract.",
        "The timesheet is attached.",
        "We can offer a payment plan.",
        "Could you tell me which line looks wrong?",
        "We will not offer a discount.",
    ]
)
ACKS = {"en": "Thank you for raising this with us.", "sk": "Ďakujeme, že ste sa nám ozvali."}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(SENTENCES, min_size=1, max_size=4), client=st.sampled_from(CLIENTS["en"]), position=st.integers(0, 4))
def test_adding_an_acknowledgement_never_lowers_the_score(parts: list[str], client: str | None, position: int) -> None:
    draft = " ".join(parts)
    with_ack = " ".join([*parts[:position], ACKS["en"], *parts[position:]])
    before = checker.check(draft, lang="en", client_message=client)
    after = checker.check(with_ack, lang="en", client_message=client)
    assert after.score >= before.score
    assert after.subscores["empathy"] >= before.subscores["empathy"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(["Prosím, zaplaťte faktúru.", "Podľa článku 5 zmluvy je splatnosť 14 dní.", "Dobropis pošleme do piatku.", "To nie je naša chyba."]), min_size=1, max_size=3))
def test_adding_an_acknowledgement_never_lowers_the_score_sk(parts: list[str]) -> None:
    draft = " ".join(parts)
    before = checker.check(draft, lang="sk")
    after = checker.check(f"{ACKS['sk']} {draft}", lang="sk")
    assert after.score >= before.score


@pytest.mark.parametrize(
    ("text", "lang", "acknowledged"),
    [
        ("Well, thanks for the lecture on how invoicing works.", "en", False),
        ("Thanks for finally replying after six weeks.", "en", False),
        ("Ďakujem, že ste sa konečne ozvali po šiestich týždňoch.", "sk", False),
        ("Thanks for your patience. Sure you did.", "en", True),  # the sarcasm is another sentence
        ("Thanks for your patience while we checked invoice 1042.", "en", True),
    ],
)
def test_sarcastic_thanks_is_no_acknowledgement(text: str, lang: str, acknowledged: bool) -> None:
    report = checker.check(text, lang=lang)
    assert ("acknowledgement" in report.elements) is acknowledged, (text, report.findings)
