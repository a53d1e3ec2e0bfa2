"""split_sentences visits only the tokens that can end a sentence: it splits as the token-by-token walk did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from invoicetone._nlp import _CLOSERS, _SENT_END, _STOP_CHARS, Sentence, split_sentences, tokens_before_breaks


def _walk(texts: list[str], starts: list[int], breaks: frozenset[int]) -> list[Sentence]:
    """The sentence splitter as first written: every token examined in turn."""
    sentences: list[Sentence] = []
    n = len(texts)
    break_after = tokens_before_breaks(texts, starts, breaks)
    start = 0
    i = 0
    while i < n:
        text = texts[i]
        boundary_after = False
        if text[:1] in _STOP_CHARS and (text in _SENT_END or not text.strip(".!?")):
            j = i + 1
            while j < n and (texts[j] in _CLOSERS or texts[j] in _SENT_END):
                j += 1
            following = texts[j] if j < n else ""
            if not (text == "." and following and (following[:1].islower() or following[:1].isdigit() or following[:1] in ",;")):
                boundary_after = True
                i = j - 1
        if boundary_after or i in break_after or i == n - 1:
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
