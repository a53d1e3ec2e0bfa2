"""The document builder's scan for special characters: the short forms find what the plain one does."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicetone import _document
from invoicetone._document import plain_document

# The scan as first written: a run of spaces and special characters holding at least one special
# character, or two or more plain spaces.
_NS = _document._NONSPACE_SPECIAL
_REFERENCE = regex.compile(rf"[ {_NS}]*[{_NS}][ {_NS}]*| {{2,}}")

_MIXED = st.text(alphabet=st.sampled_from(list("ab .,'\n\r\t\x00\x7f`\u00a0\u2019\u201c\u200b\u2026\ue000\u0378\u2028")) | st.characters(), max_size=60)
_ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_special_runs_match_the_plain_scan(text: str) -> None:
    expected = [m.span() for m in _REFERENCE.finditer(text)]
    assert [m.span() for m in _document._SPECIAL.finditer(text)] == expected


@settings(max_examples=500, deadline=None)
@given(_ASCII, st.integers(0, 60), st.integers(0, 60))
def test_ascii_scan_matches_the_unicode_scan(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(max(start, end), len(text))
    expected = [m.span() for m in _REFERENCE.finditer(text, start, end)]
    assert [m.span() for m in _document._SPECIAL_ASCII.finditer(text, start, end)] == expected


@settings(max_examples=300, deadline=None)
@given(_ASCII)
def test_ascii_and_unicode_builders_agree(text: str) -> None:
    """An ASCII draft builds the same document whichever scan runs (the non-ASCII one forced)."""
    builder = _document.DocumentBuilder(text)
    builder._special_runs = _document._SPECIAL  # what a non-ASCII draft would use
    builder.add_text(0, len(text))
    assert builder.build() == plain_document(text)


_ACCENTED = st.text(alphabet=st.sampled_from(list("ab .,'\n\r\t\x00\x7f`áčďéíľňóôŕšťúýžÄÖÜß€£") ) | st.characters(), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_ACCENTED)
def test_chosen_scan_builds_what_the_unicode_scan_builds(text: str) -> None:
    """Whatever scan a draft gets (the ASCII one when its non-ASCII characters are all plain, as in
    most Slovak drafts), the document equals the one the Unicode scan builds."""
    builder = _document.DocumentBuilder(text)
    builder._special_runs = _document._SPECIAL
    builder.add_text(0, len(text))
    assert plain_document(text) == builder.build()


def test_plain_accented_letters_take_the_ascii_scan() -> None:
    assert _document._special_scan("Dobrý deň, faktúra č. 12 za 1 250,00 €") is _document._SPECIAL_ASCII
    assert _document._special_scan("Dobrý\u00a0deň") is _document._SPECIAL
    assert _document._special_scan("it\u2019s") is _document._SPECIAL
    assert _document._special_scan("plain") is _document._SPECIAL_ASCII
