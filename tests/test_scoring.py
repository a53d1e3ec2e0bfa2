"""The score is bounded, monotone and explainable (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import invoicetone
from invoicetone._scoring import FINDING_POINTS, MISSING_POINTS

CHECKER = invoicetone.Checker(lang="en")

NEUTRAL = [
    "The invoice covers the March retainer.",
    "Under clause 4.2 payment is due within 30 days.",
    "We have attached the timesheet for the 12 hours billed.",
    "The amount is EUR 1,250.00 including VAT.",
    "I will send the corrected invoice by Friday.",
    "We can offer a payment plan over three months.",
    "Invoice 2024-117 was issued on 3 May.",
]
OFFENDING = [
    "That's not our fault.",
    "This is NOT NEGOTIABLE!!!",
    "We are not responsible for your bank.",
]
ACKNOWLEDGEMENTS = ["Thank you for raising this.", "I understand your concern about the charge."]

# An empty draft is not a reply (it scores 100 and is not judged on structure): drafts have a sentence.
drafts = st.lists(st.sampled_from(NEUTRAL + OFFENDING), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(drafts, st.sampled_from(OFFENDING), st.integers(min_value=0, max_value=6))
def test_inserting_an_offending_sentence_never_raises_the_score(sentences: list[str], bad: str, at: int) -> None:
    before = CHECKER.check(" ".join(sentences))
    with_bad = [*sentences[:at], bad, *sentences[at:]]
    after = CHECKER.check(" ".join(with_bad))
    assert after.score <= before.score
    for name, value in after.subscores.items():
        assert value <= before.subscores[name] or name not in before.subscores


@settings(max_examples=150, deadline=None)
@given(drafts, st.sampled_from(ACKNOWLEDGEMENTS), st.integers(min_value=0, max_value=6))
def test_adding_an_acknowledgement_never_lowers_the_score(sentences: list[str], thanks: str, at: int) -> None:
    before = CHECKER.check(" ".join(sentences))
    after = CHECKER.check(" ".join([*sentences[:at], thanks, *sentences[at:]]))
    assert after.score >= before.score


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_score_is_bounded_and_explained(text: str) -> None:
    report = CHECKER.check(text)
    assert 0 <= report.score <= 100
    assert all(0 <= v <= 100 for v in report.subscores.values())
    lost = sum(p.points for p in report.penalties)
    assert report.score == max(0.0, 100.0 - lost)
    sources = sorted(p.source for p in report.penalties)
    assert sources == sorted([f.rule_id for f in report.findings] + [m.id for m in report.missing])


def test_documented_weights_are_used() -> None:
    report = CHECKER.check("That's not our fault.")
    finding = next(f for f in report.findings if f.rule_id == "denial.not-our-fault")
    penalty = next(p for p in report.penalties if p.source == finding.rule_id)
    assert penalty.points == FINDING_POINTS[finding.severity]
    for missing in report.missing:
        assert next(p for p in report.penalties if p.source == missing.id).points == MISSING_POINTS.get(missing.id, 5.0)
