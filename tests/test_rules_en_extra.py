"""English phrase packs beyond their own examples: the hard negatives the issue names, and the
surface variation real drafts have (curly apostrophes, line breaks inside a phrase, contractions).
"""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone import Severity

_REQUIRED_CATEGORIES = (
    "denial", "blame", "policy", "condescension", "passive_aggression", "threat", "absolute",
    "sarcasm", "minimising", "emotional", "insult", "shouting", "heated",
)


def _warnings(checker: invoicetone.Checker, text: str) -> list[tuple[str, str]]:
    report = checker.check(text, lang="en")
    return [(f.rule_id, f.text) for f in report.findings if f.severity.rank >= Severity.WARNING.rank]


@pytest.mark.parametrize(
    "text",
    [
        "It's not your fault, and we'll reissue the invoice today.",
        "Through no fault of your own, the transfer was returned.",
        "You should have received the corrected invoice on Monday.",
        "Per clause 4.2, travel is billed at cost.",
        "Per the agreement, payment is due within 30 days.",
        "Please find the final invoice attached.",
        "Our legal entity is Example Ltd.",
        "Please put our legal name on the purchase order.",
        "We never charge for revisions.",
        "Here is the collection of invoices you asked for.",
        "Once again, thank you for your patience.",
        "Just a friendly reminder that the invoice is due on Friday.",
        "You can always call us if anything is unclear.",
        "Good luck with the launch next week!",
        "Of course you can pay in two instalments.",
        "We will not suspend your account while we look into this.",
        "The mere fact that you asked helps us improve the invoice.",
        "Please add the VAT number and IBAN to the PO.",
    ],
)
def test_hard_negatives_stay_silent(checker: invoicetone.Checker, text: str) -> None:
    assert _warnings(checker, text) == []


@pytest.mark.parametrize(
    ("text", "rule_id", "span"),
    [
        ("That\u2019s not our fault.", "denial.not-our-fault", "That\u2019s not our fault"),
        ("That is not\nour fault.", "denial.not-our-fault", "That is not\nour fault"),
        ("You should\u2019ve checked the portal.", "blame.should-have", "You should\u2019ve checked"),
        ("Had you\nchecked the portal, you would know.", "blame.counterfactual", "Had you\nchecked"),
        ("As per my previous\ne-mail, the fee applies.", "passive_aggression.per-my-last-email", "As per my previous\ne-mail"),
        ("We\u2019ll have no choice but to charge interest.", "threat.no-choice", "have no choice but to"),
        ("This is the FIFTH time I have told you.", "passive_aggression.ordinal-repetition", "This is the FIFTH time I have told you"),
        ("You    NEVER pay on time.", "absolute.you-never", "NEVER"),
        ("It\u2019s only \u20ac12.", "minimising.only-amount", "only"),
    ],
)
def test_variants_are_flagged_with_the_exact_span(checker: invoicetone.Checker, text: str, rule_id: str, span: str) -> None:
    report = invoicetone.Checker(select=[rule_id]).check(text, lang="en")
    assert [(f.rule_id, f.text) for f in report.findings] == [(rule_id, span)]
    start = text.index(span)
    assert (report.findings[0].start, report.findings[0].end) == (start, start + len(span))


def test_every_required_category_has_a_pack(checker: invoicetone.Checker) -> None:
    categories = {r.category.value for r in checker.rules("en")}
    assert set(_REQUIRED_CATEGORIES) <= categories


def test_threats_and_insults_are_errors(checker: invoicetone.Checker) -> None:
    for rule in checker.rules("en"):
        if rule.category.value in ("threat", "insult") and rule.severity is not Severity.INFO:
            assert rule.severity is Severity.ERROR, rule.id


def test_suggestions_keep_the_amount(checker: invoicetone.Checker) -> None:
    text = "It's a mere \u20ac12, hardly worth the fuss."
    finding = next(f for f in checker.check(text, lang="en").findings if f.rule_id == "minimising.mere")
    fixed = invoicetone.apply_suggestion(text, finding)
    assert "\u20ac12" in fixed
    assert "mere" not in fixed
