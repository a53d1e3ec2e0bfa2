"""A suggestion's capital letter follows from whether its finding starts a sentence (``_starts_sentence``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import invoicetone
from invoicetone._checker import _starts_sentence


def _by_stripping(text: str, start: int) -> bool:
    """The plain definition: strip spaces, quotes and brackets off everything before ``start``."""
    before = text[:start].rstrip(" \"'([")
    return not before or before[-1] in ".!?:"


@given(st.text(alphabet=" \"'([.!?:\nab", max_size=30), st.data())
def test_walking_back_agrees_with_stripping_the_prefix(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert _starts_sentence(text, start) == _by_stripping(text, start)


def _first_suggestion(text: str) -> str:
    report = invoicetone.check(text, lang="en")
    finding = next(f for f in report.findings if f.rule_id == "denial.not-our-fault")
    return finding.suggestions[0].replacement


def test_a_suggestion_at_a_sentence_start_is_capitalised() -> None:
    assert _first_suggestion('We sent it. "that\'s not our fault."')[:1].isupper()  # after a full stop and a quote
    assert _first_suggestion("We sent it, and that's not our fault.")[:1].islower()  # inside the sentence
