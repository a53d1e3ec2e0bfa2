"""Offsets are sacred and nothing crashes, whatever the Unicode (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import invoicetone
from invoicetone._document import plain_document

CHECKER = invoicetone.Checker()

# Phrases that rules flag, glued with awkward characters so the offset map is exercised.
PHRASES = [
    "That's not our fault",
    "That\u2019s not our\r\nfault",
    "you should have read the contract",
    "per my last email",
    "PAY NOW!!!",
    "To nie je naša chyba",
    "to nie je nasa chyba",
    "Thank you for your patience",
    "clause 4.2",
]
AWKWARD = [
    "\u00a0", "\u200b", "\u200d", "\ufeff", "\r\n", "\n\n", "\t", "\u2028", "👍", "👩\u200d💻", "\ud800", "\udfff",
    "\x00", "\x1b", "\u0301", "é", "\u0130", "\u2019", "\u201c", "\u2026", " ", "  ", "&nbsp;", "{{ name }}",
]

texts = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.sampled_from(AWKWARD), st.text(max_size=12)), max_size=12
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "en", "sk"]))
def test_offsets_index_the_original(text: str, lang: str | None) -> None:
    report = CHECKER.check(text, lang=lang)
    assert 0 <= report.score <= 100
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
    for spans in report.elements.values():
        for span in spans:
            assert text[span.start : span.end] == span.text
    report.to_json()  # serialisable, lone surrogates included


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_document_map_is_consistent(text: str) -> None:
    document = plain_document(text)
    assert len(document.starts) == len(document.ends) == len(document.text)
    previous_end = 0
    for start, end in zip(document.starts, document.ends, strict=False):
        assert 0 <= start < end <= len(text)
        assert start >= previous_end - (end - start)  # monotone, ranges never go backwards
        previous_end = end


def test_phrase_broken_over_lines_and_odd_spaces() -> None:
    for text in (
        "That\u2019s not our\r\nfault.",
        "That's\u00a0not our fault.",
        "That's not\u200b our fault.",
        "That's  not\tour fault.",
    ):
        report = CHECKER.check(text, lang="en")
        found = [f for f in report.findings if f.rule_id == "denial.not-our-fault"]
        assert found, text
        assert text[found[0].start : found[0].end] == found[0].text
        assert found[0].text.startswith("That") and found[0].text.endswith("fault")


def test_emoji_before_finding_keeps_code_point_offsets() -> None:
    text = "👩\u200d💻👍 That's not our fault."
    finding = next(f for f in CHECKER.check(text, lang="en").findings if f.rule_id == "denial.not-our-fault")
    assert text[finding.start : finding.end] == "That's not our fault"


def test_control_characters_and_surrogates_do_not_crash() -> None:
    text = "\x00\x07That's not our fault\ud800.\x1b[31m"
    report = CHECKER.check(text, lang="en")
    assert any(f.rule_id == "denial.not-our-fault" for f in report.findings)


def test_a_character_that_lower_cases_to_two_keeps_regex_spans_in_place() -> None:
    """"İ" lower-cases to two characters; the text regexes run over must keep its length."""
    tail = "A deadline is a deadline. We have removed the late fee."
    plain = CHECKER.check(tail, lang="en")
    text = "\u0130\u0130 note. " + tail
    shifted = CHECKER.check(text, lang="en")
    offset = len(text) - len(tail)
    assert [(f.rule_id, f.start - offset, f.text) for f in shifted.findings] == [
        (f.rule_id, f.start, f.text) for f in plain.findings
    ]
    assert any(f.rule_id == "policy.tautology" for f in shifted.findings)
    assert [s.text for s in shifted.elements["solution"]] == [s.text for s in plain.elements["solution"]]


@given(st.text(alphabet=" \t\n\u00a0\u2028.!?:;,ab-*1)", max_size=30), st.integers(0, 30))
def test_line_break_weight_reads_the_last_visible_character(text: str, start: int) -> None:
    """The weight of a lone line break looks back without copying the prefix; same answer as rstrip()."""
    from invoicetone._document import DocumentBuilder

    start = min(start, len(text))
    end = min(start + 1, len(text))
    before = text[:start].rstrip()
    after = text[end : end + 2]
    expected = 2 if (before and before[-1] in ".!?:;,") else 2 if (
        after[:1] in ("-", "*", "\u2022") or (after[:1].isdigit() and after[1:2] in (".", ")"))
    ) else 1
    assert DocumentBuilder(text)._single_newline_weight(start, end) == expected
