"""Capitals that are not shouting by their place: names in a signature, keywords the reader is asked to send."""

from __future__ import annotations

import pytest

import invoicetone


@pytest.fixture(scope="module")
def checker() -> invoicetone.Checker:
    return invoicetone.Checker(plugin_packs=False, select=["shouting.caps"])


def _caps(checker: invoicetone.Checker, text: str, lang: str) -> list[str]:
    return [f.text for f in checker.check(text, lang=lang).findings]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Thanks for your patience.\n\nYours sincerely,\nAndrew Coombes MRICS", "en"),
        ("With best wishes,\nDr Hamish Reid MRCVS", "en"),
        ("Kind regards,\nJane Doe\nACME Ltd\nTel +44 20 7946 0000", "en"),
        ("Just reply YES and I'll set it up.", "en"),
        ("Text STOP to end the reminders.", "en"),
        ("S pozdravom\nMarek Hudec LEŠENIA Hudec s.r.o.", "sk"),
        ("S pozdravom Marek Jurik, STAVLES s.r.o.", "sk"),
        ("Ak súhlasíte, odpíšte ÁNO a nastavíme to.", "sk"),
        ("Vo vašej žiadanke bola zaškrtnutá možnosť STAT, preto sme vzorku spracovali hneď.", "sk"),
        # a company in capitals in the sign-off: a closing, then a name and no sentence punctuation
        ("Dobrý deň,\npošlite, prosím, číslo objednávky.\nS pozdravom\nMilan Repka\nHASPO servis", "sk"),
        ("Hi Jo,\r\nthe corrected invoice is attached.\r\n\r\nBest regards,\r\nTom\r\nBRIGHTWATER PLUMBING", "en"),
        ("Thanks again.\n\nCheers,\nSam\nSKYLINE DRONES\nOperations", "en"),
        ("Regards,\nTom\nBRIGHTWATER PLUMBING\nUnit 4\nMill Lane\nLeeds", "en"),
        ("Please quote INV-2024 and PO-77 on the transfer, or XK-AB; DE-EN and SK-EN rates differ.", "en"),  # codes
        # names and codes of five or more letters the English dictionary does not know
        ("Please pay through OSEIB, the members' portal, by Friday.", "en"),
        ("We are regulated by OFGEM and the account is held with BARCLAYS.", "en"),
        # a company name: capital words and a legal form end the line
        ("Upozorňujeme, že po 14 dňoch postupujeme pohľadávky.\nOddelenie pohľadávok\nTRANSCARGO SK a.s.", "sk"),
        ("Thanks for your patience.\nAccounts team\nBRIGHTWATER PLUMBING Ltd", "en"),
        ("It reached us with the reference 'PROOFING' rather than the invoice number.", "en"),
        # capitals in quotes quote a sign, a stamp or a form field
        ("The letter spacing on “BUTCHERS” is off compared with the proof, so we'll remake it.", "en"),
        ('The remittance was stamped "PAID IN FULL", so we have closed the account.', "en"),
        ("Na pečiatke je „ZAPLATENÉ“, preto faktúru uzatvárame.", "sk"),
    ],
)
def test_names_codes_and_keywords_are_not_shouting(checker: invoicetone.Checker, text: str, lang: str) -> None:
    assert _caps(checker, text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "shouted"),
    [
        ("You MUST PAY by Friday.", "en", ["MUST PAY"]),
        ("Please PAY NOW", "en", ["PAY NOW"]),
        ("PAY NOW Mr Smith", "en", ["PAY NOW"]),  # two capital words: not a name among names
        ("This is NOT acceptable, Mr Smith.", "en", ["NOT"]),
        ("Dear Mr Smith, NEVER again.", "en", ["NEVER"]),  # the sentence goes on in ordinary words
        ("We said it was REFUNDABLE Mr Smith", "en", ["REFUNDABLE"]),  # no name before it
        ("I told you, Mr Smith, ABSOLUTELY NOT.", "en", ["ABSOLUTELY NOT"]),
        ("Faktúru MUSÍTE ZAPLATIŤ do piatka, pán Novák.", "sk", ["MUSÍTE ZAPLATIŤ"]),
        # before the sign-off, or after a "closing" that the reply goes on from, capitals still shout
        ("You MUST PAY by Friday.\n\nBest regards,\nTom\nBRIGHTWATER PLUMBING", "en", ["MUST PAY"]),
        ("Thanks,\nbut this is UNACCEPTABLE.\nThe fee stays.\nPay it.\nNow.", "en", ["UNACCEPTABLE"]),
        ("Thank you, I WILL NOT PAY", "en", ["WILL NOT PAY"]),  # no name after the "closing"
        ("The deposit is NON-REFUNDABLE, as the form says.", "en", ["NON-REFUNDABLE"]),
        ("Záloha je NEVRATNÁ a VOPRED-ZAPLATENÁ.", "sk", ["NEVRATNÁ", "VOPRED-ZAPLATENÁ"]),
        # long English words shout, also with a prefix the dictionary lists without ("nonnegotiable")
        ("The fee is NONNEGOTIABLE and your invoice is OVERDUE.", "en", ["NONNEGOTIABLE", "OVERDUE"]),
        ("No, THAT’S wrong: it WASN'T us.", "en", ["THAT’S", "WASN'T"]),  # contractions are words
        # quotes on one side only, or a quoted word inside a shouted run, still shout
        ("The sign says “BUTCHERS and you still REFUSE to pay.", "en", ["BUTCHERS", "REFUSE"]),
        ("NEBOLA TO ŽIADNA „DROBNOSŤ“!!! Faktúra platí.", "sk", ["NEBOLA TO ŽIADNA", "DROBNOSŤ"]),
        ("THIS WAS NO “FAVOUR”, it was the contract.", "en", ["THIS WAS NO", "FAVOUR"]),
        # a legal form later in the sentence does not make shouting a name
        ("We WILL NOT PAY Acme Ltd for this.", "en", ["WILL NOT PAY"]),
    ],
)
def test_capitals_among_ordinary_words_still_shout(checker: invoicetone.Checker, text: str, lang: str, shouted: list[str]) -> None:
    assert _caps(checker, text, lang) == shouted


def test_shouting_inside_a_heated_sentence_is_still_reported() -> None:
    """The heated-sentence hint (info) spans the whole sentence; it must not hide the warnings in it."""
    text = "Graham,\nIt's a bloody joke. 412 HEAD, NOT 380!!!\nDave"
    findings = invoicetone.Checker(plugin_packs=False).check(text, lang="en").findings
    found = {(f.rule_id, f.text) for f in findings}
    assert ("shouting.caps", "HEAD, NOT") in found
    assert ("shouting.punctuation", "!!!") in found
    assert any(f.rule_id == "heated.sentence" for f in findings)
