"""The English/Slovak detector used when ``lang=None``.

``HELD_OUT`` sentences were written after the detector was tuned on ``bench/langdetect_samples.tsv``
and were not used to tune it; the benchmark subsets (incl. the quality corpora) must stay accurate.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import invoicetone
from invoicetone._langdetect import detect_language

ROOT = Path(__file__).resolve().parent.parent

HELD_OUT = [
    ("en", "Thanks for your patience. We'll fix the invoice by Monday."),
    ("en", "We checked the logs and the hours are correct."),
    ("en", "Could you resend the remittance advice?"),
    ("en", "Please ignore the reminder, it went out by mistake."),
    ("en", "Our SaaS plan renews on 1 March; the PDF is attached."),
    ("en", "Invoice 2024/118 was issued to Tatra Logistika s.r.o. in Žilina."),
    ("en", "Sorry about that!"),
    ("en", "Payment confirmed."),
    ("en", "We'd rather settle this quickly."),
    ("en", "The quote from Ján was approved last week."),
    ("en", "You were charged twice, we'll refund one payment."),
    ("en", "Please send the signed change request."),
    ("sk", "Ďakujeme za trpezlivosť. Faktúru opravíme do pondelka."),
    ("sk", "Skontrolovali sme záznamy a hodiny sedia."),
    ("sk", "Mohli by ste znova poslať avízo o platbe?"),
    ("sk", "Pripomienku prosím ignorujte, odišla omylom."),
    ("sk", "Náš SaaS plán sa obnovuje 1. marca, PDF je v prílohe."),
    ("sk", "Faktúra INV-2024-118 pre Acme Cloud Ltd. bola vystavená včera."),
    ("sk", "Prepáčte."),
    ("sk", "Platba potvrdená."),
    ("sk", "Radšej to vyriešme rýchlo."),
    ("sk", "Cenovú ponuku od Johna sme schválili minulý týždeň."),
    ("sk", "Strhli sme vám sumu dvakrát, jednu platbu vrátime."),
    ("sk", "Pošlite nám prosím podpísanú žiadosť o zmenu."),
    ("sk", "Dakujeme za trpezlivost. Fakturu opravime do pondelka."),
    ("sk", "Skontrolovali sme zaznamy a hodiny sedia."),
    ("sk", "Pripomienku prosim ignorujte, odisla omylom."),
    ("sk", "Nas SaaS plan sa obnovuje 1. marca, PDF je v prilohe."),
    ("sk", "Prepacte."),
    ("sk", "Platba potvrdena."),
    ("sk", "to nie je nasa chyba, mali ste to vediet"),
    ("sk", "Podla Net 30 mala byt faktura uhradena do 15. 4."),
    ("sk", "Invoice number vam posleme zajtra."),
]


def test_held_out_accuracy() -> None:
    # Measured once, untuned: 32 of 33. The miss is a one-word undiacritised reply ("Prepacte."),
    # which has no cue for either language and falls back to English.
    wrong = [(lang, text) for lang, text in HELD_OUT if detect_language(text)[0] != lang]
    assert len(wrong) <= 1, wrong


@pytest.mark.parametrize(("lang", "text"), [c for c in HELD_OUT if len(c[1].split()) >= 4], ids=lambda v: str(v)[:40])
def test_held_out_replies_of_four_words_or_more(lang: str, text: str) -> None:
    detected, confidence = detect_language(text)
    assert detected == lang
    assert 0.5 < confidence <= 1.0


def test_seed_sentences() -> None:
    assert detect_language("To nie je naša chyba.")[0] == "sk"
    assert detect_language("Takto jednoducho funguje naša fakturácia - mali ste to vedieť.")[0] == "sk"
    assert detect_language("That's not our fault.")[0] == "en"


def test_no_evidence_is_english_with_low_confidence() -> None:
    assert detect_language("") == ("en", 0.5)
    assert detect_language("12345 / 2024 -- 7,50") == ("en", 0.5)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="needs str"):
        detect_language(b"bytes")  # type: ignore[arg-type]


def test_check_reports_detected_language_and_confidence() -> None:
    report = invoicetone.check("Ďakujeme za správu. Faktúru preveríme a ozveme sa do piatka.")
    assert report.lang == "sk"
    assert report.lang_confidence > 0.8
    report = invoicetone.check("Thanks for your message. We will review the invoice by Friday.")
    assert report.lang == "en"


def _benchmark() -> dict[str, dict[str, object]]:
    spec = importlib.util.spec_from_file_location("langdetect_accuracy", ROOT / "bench" / "langdetect_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["langdetect_accuracy"] = module
    spec.loader.exec_module(module)
    return module.evaluate()  # type: ignore[no-any-return]


def test_benchmark_accuracy() -> None:
    results = _benchmark()
    assert results["en-sentences"]["n"] >= 100  # type: ignore[operator]
    assert results["sk-sentences"]["n"] >= 100  # type: ignore[operator]
    for name, result in results.items():
        # every subset, incl. undiacritised Slovak and Slovak with English names, >= 97 %
        assert result["accuracy"] >= 0.97, (name, result["wrong"])  # type: ignore[operator]
