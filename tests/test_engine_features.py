"""Small engine and fixer features the English packs rely on."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone._fix import apply_edits


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Frankly, the fee applies.", "Frankly, ", "The fee applies."),
        ("Thanks. Once again, the fee applies.", "Once again, ", "Thanks. The fee applies."),
        ("Is it paid? Obviously, it is.", "Obviously, ", "Is it paid? It is."),
        ("It's a mere €12.", "a mere ", "It's €12."),
        ("The price obviously includes VAT.", "obviously ", "The price includes VAT."),
    ],
)
def test_deleting_a_sentence_opener_capitalises_the_next_word(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    # the reported span has no trailing space; the fixer takes one space along with a deletion
    end = start + len(span.rstrip(" "))
    assert apply_edits(text, [(start, end, "")]) == expected


def test_deletion_mid_sentence_keeps_case() -> None:
    text = "You have yet again paid the wrong amount."
    start = text.index("yet again")
    assert apply_edits(text, [(start, start + len("yet again"), "")]) == "You have paid the wrong amount."


def test_autofix_of_an_opener_reads_as_a_sentence(checker: invoicetone.Checker) -> None:
    text = "Once again, the invoice reflects the agreed rate."
    findings = [f for f in checker.check(text, lang="en").findings if f.rule_id == "passive_aggression.once-again"]
    assert len(findings) == 1
    fixed = invoicetone.apply_suggestion(text, findings[0])
    assert fixed == "The invoice reflects the agreed rate."
