"""split_sentences visits only the tokens that can end a sentence: it splits as the token-by-token walk did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from invoicetone._nlp import Sentence, sentence_end_at, split_sentences, tokens_before_breaks


def _walk(texts: list[str], starts: list[int], breaks: frozenset[int]) -> list[Sentence]:
    """The sentence splitter as first written: every token examined in turn (the splitter under test
    visits only the tokens that can end a sentence; both ask ``sentence_end_at`` where one ends)."""
    sentences: list[Sentence] = []
    n = len(texts)
    break_after = tokens_before_breaks(texts, starts, breaks)
    start = 0
    i = 0
    while i < n:
        end = sentence_end_at(texts, i)
        if end is not None:
            i = end
        if end is not None or i in break_after or i == n - 1:
            sentences.append(Sentence(start, i + 1, starts[start], starts[i] + len(texts[i])))
            start = i + 1
        i += 1
    return sentences


_TOKEN = st.sampled_from([".", "!", "?", "...", "!!", "?!", "…", "..", ".5", '"', "'", ")", "]", "»", ",", ";", "No", "we", "Paid", "12", "e.g", "x"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_TOKEN, max_size=30), st.lists(st.integers(0, 200), max_size=6))
def test_split_matches_the_token_walk(texts: list[str], break_positions: list[int]) -> None:
    starts = []
    at = 0
    for text in texts:  # one space between tokens; a hard break may fall in any of them
        starts.append(at)
        at += len(text) + 1
    breaks = frozenset(break_positions)
    assert split_sentences(texts, starts, breaks) == _walk(texts, starts, breaks)
