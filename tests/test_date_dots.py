"""The dots of a numeric date are not full stops: pattern gaps run across "do 20. 5. 2026"."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone._document import plain_document
from invoicetone._nlp import Annotation, annotate, get_pipeline

DATE_DOT = "\x01date-dot\x02date-dot\x03\x04"


def _annotation(text: str, lang: str = "sk") -> Annotation:
    document = plain_document(text)
    return annotate(get_pipeline(lang).make_doc(document.text), document, lang)


@pytest.mark.parametrize(
    ("text", "date_dots"),
    [
        ("Uhraďte ju do 20. 5. 2026, prosím.", 2),
        ("Uhraďte ju do 12. 9., inak to riešime.", 2),
        ("Splatnosť bola 15. 4. 2026. Ďakujeme.", 2),  # the dot after the year ends the sentence
        ("Faktúra má 12 položiek. Ďakujeme.", 0),
        ("Prišlo to 12.", 0),
        ("Ak do 5. júla neprídu peniaze, prestanem dodávať.", 1),  # a month name after the day
        ("Zaplatili ste 5. Potom nič.", 0),
    ],
)
def test_date_dots_are_encoded_apart_from_full_stops(text: str, date_dots: int) -> None:
    annotation = _annotation(text)
    assert annotation.pieces is not None
    assert annotation.pieces.count(DATE_DOT) == date_dots
    assert [t for t, p in zip(annotation.texts, annotation.pieces, strict=True) if p == DATE_DOT] == ["."] * date_dots


def test_a_date_followed_by_a_comma_does_not_end_the_sentence() -> None:
    assert len(_annotation("Ak nezaplatíte do 12. 9., účet vám pozastavíme.").sentences) == 1
    assert len(_annotation("Splatnosť bola 15. 4. 2026. Ďakujeme.").sentences) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Ak nezaplatíte do 12. 9., účet vám pozastavíme.",
        "Ak faktúru neuhradíte do 15. 4. 2026, odovzdáme ju na vymáhanie.",
        "Ak faktúru neuhradíte do 15. apríla, odovzdáme ju na vymáhanie.",
    ],
)
def test_a_threat_with_a_date_inside_is_found(text: str) -> None:
    checker = invoicetone.Checker(plugin_packs=False, ignore=["model.sentence"])
    assert any(f.category.value == "threat" for f in checker.check(text, lang="sk").findings)
