"""The optional RE2 matcher (``invoicetone[fast]``) finds exactly what the `regex` module finds.

RE2 runs a pack regex only when the pattern is one it reads the same way (no lookaround, no
back-reference, no anchor but \\b, no empty match, IGNORECASE at most) and on text it reads the same
way (``fast_text``: ASCII once plain non-ASCII symbols are written as \\x7f; a pattern naming a
non-ASCII symbol then reads the text itself). A pattern with lookarounds runs on the `regex` module
only where the pattern without them (on RE2) can start a match. These tests compare every route
with the `regex` module alone, over the corpora, on generated text, and on whole reports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import invoicetone
from invoicetone import _regexes
from invoicetone._engine import fold_same_length
from invoicetone._regexes import LazyRegex, _fast_eligible, fast_text

re2 = pytest.importorskip("re2")

CORPUS = Path(__file__).parent / "corpus"
_MARK = re.compile(r"\[\[\w+\|(.*?)\]\]", re.S)
CHECKER = invoicetone.Checker()


def _pack_regexes(lang: str) -> list[LazyRegex]:
    compiled = CHECKER._compiled(lang)
    found: dict[int, LazyRegex] = {}
    for rule in compiled._pattern_rules:
        for group in (rule.regexes, rule.antiregexes, rule.sentence_unless, rule.sentence_requires):
            for pattern in group:
                found[id(pattern)] = pattern
    return list(found.values())


def _corpus_texts(lang: str) -> list[str]:
    texts = []
    for path in [*sorted(CORPUS.glob(f"fresh/{lang}-replies*.jsonl")), CORPUS / lang / "replies.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(_MARK.sub(r"\1", json.loads(line)["text"]))
    return texts


def _regex_spans(pattern: LazyRegex, text: str) -> list[tuple[int, int, int, int]]:
    return list(pattern.spans(text, None))


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_most_pack_regexes_run_on_re2(lang: str) -> None:
    patterns = _pack_regexes(lang)
    eligible = [p for p in patterns if p.fast(False) is not None]
    assert len(eligible) >= 0.6 * len(patterns), (len(eligible), len(patterns))


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_re2_finds_what_regex_finds_on_the_corpora(lang: str) -> None:
    patterns = [p for p in _pack_regexes(lang) if p.fast(False) is not None]
    folding = CHECKER._compiled(lang).folding
    compared = 0
    for text in _corpus_texts(lang):
        folded = fold_same_length(text, folding)
        fast = fast_text(folded)
        if fast is None:
            continue
        replaced = not folded.isascii()
        for pattern in patterns:
            if pattern.fast(replaced) is None:
                continue
            expected = _regex_spans(pattern, folded)
            assert list(pattern.spans(folded, fast, replaced)) == expected, (pattern.pattern[:80], text[:80])
            assert pattern.match_spans(folded, fast, replaced) == pattern.match_spans(folded, None)
            assert pattern.found_in(folded, fast, replaced) == pattern.found_in(folded, None)
            compared += 1
    assert compared > 1000


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_every_route_finds_what_regex_finds_on_the_corpora(lang: str) -> None:
    """All pack regexes, whichever route they take (RE2 on bytes, RE2 on the text, RE2 as a
    pre-filter for lookarounds, or the `regex` module alone), against the `regex` module alone."""
    patterns = _pack_regexes(lang)
    folding = CHECKER._compiled(lang).folding
    routes: dict[str, int] = {"fast": 0, "text": 0, "prefilter": 0}
    for text in _corpus_texts(lang)[::3]:
        folded = fold_same_length(text, folding)
        fast = fast_text(folded)
        replaced = fast is not None and not folded.isascii()
        for pattern in patterns:
            matcher, subject, prefilter = pattern._route(folded, fast, replaced)
            if matcher is not None:
                routes["prefilter" if prefilter else "text" if isinstance(subject, str) else "fast"] += 1
            assert list(pattern.spans(folded, fast, replaced)) == _regex_spans(pattern, folded), (pattern.pattern[:80], text[:80])
            assert pattern.match_spans(folded, fast, replaced) == pattern.match_spans(folded, None)
            assert pattern.found_in(folded, fast, replaced) == pattern.found_in(folded, None)
    assert all(count > 100 for count in routes.values()), routes  # every route really ran


@pytest.mark.parametrize(
    ("pattern", "relaxed"),
    [
        (r"(?<![\w-])(?:fa|inv)-?\d{3,}", r"(?:fa|inv)-?\d{3,}"),
        (r"\bsend\b(?=[^.!?]{0,80}\b(?:by|on)\b)", r"\bsend\b"),
        (r"a(?!b(?:c|d))e(?<=[(?=x)])", r"ae"),  # groups nested in a lookaround; a bracket in a class
        (r"\(?=x\)y", r"\(?=x\)y"),  # escaped brackets are not a group
        (r"a(?=b)?c", None),  # a repeated lookaround: left alone
        (r"a(?=b", None),  # unbalanced
        (r"[[:alpha:]](?=x)", None),  # a nested set
    ],
)
def test_without_lookarounds(pattern: str, relaxed: str | None) -> None:
    assert _regexes.without_lookarounds(pattern) == relaxed


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab- .,§€x1", max_size=40))
def test_prefiltered_lookarounds_match_like_regex(text: str) -> None:
    """Lookbehind before a candidate, lookahead after it, overlapping candidates, symbols."""
    for source in (r"(?<![\w-])(?:ab|b)\w*(?=[^.]{0,5}x)", r"(?<!a)b+(?! ?\.)", r"(?<=[§€])\d+|a(?=b)"):
        pattern = LazyRegex(source)
        fast = fast_text(text)
        replaced = fast is not None and not text.isascii()
        if fast is not None and (source.isascii() or not replaced):
            assert pattern._route(text, fast, replaced)[2]  # the pre-filter route
        assert pattern.match_spans(text, fast, replaced) == pattern.match_spans(text, None)
        assert pattern.found_in(text, fast, replaced) == pattern.found_in(text, None)


_SENTENCES = {lang: [fold_same_length(t, CHECKER._compiled(lang).folding) for t in _corpus_texts(lang)[:400]] for lang in ("en", "sk")}
_INSERTS = st.sampled_from(["€", "§", "–", "\x7f", "é", "…", "\x0b", "\u00a0", " ", "  ", "\n", "'", "-", ".", "?", "x", "1"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["en", "sk"]), st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 2_000), _INSERTS), max_size=6))
def test_re2_finds_what_regex_finds_on_altered_replies(lang: str, pick: int, inserts: list[tuple[int, str]]) -> None:
    """Real replies with symbols, spaces and letters slipped in: RE2 runs only where it agrees."""
    text = _SENTENCES[lang][pick % len(_SENTENCES[lang])]
    for at, insert in inserts:
        at %= len(text) + 1
        text = text[:at] + insert + text[at:]
    fast = fast_text(text)
    if fast is None:
        assert "\x0b" in text or any(regex.match(r"[\w\s]", c) for c in text if c > "\x7f")
        return
    replaced = not text.isascii()
    for pattern in _pack_regexes(lang):  # every route (see the corpus test above)
        assert list(pattern.spans(text, fast, replaced)) == _regex_spans(pattern, text), pattern.pattern[:80]
        assert pattern.match_spans(text, fast, replaced) == pattern.match_spans(text, None), pattern.pattern[:80]


def test_fast_text_keeps_offsets_and_refuses_what_re2_reads_differently() -> None:
    assert fast_text("we owe you 12 eur") == b"we owe you 12 eur"
    assert fast_text("za 1 250,00 € do 5. 6.") == b"za 1 250,00 \x7f do 5. 6."
    assert fast_text("café") is None  # a non-ASCII letter: \w differs
    assert fast_text("a\u00a0b") is None  # a non-ASCII space: \s differs
    assert fast_text("a\x0bb") is None  # RE2's \s has no vertical tab


@pytest.mark.parametrize(
    ("pattern", "flags", "eligible"),
    [
        (r"\b(?:we|i)\s+(?:\S+\s+){0,3}?(?:refund|credit)\w*", regex.IGNORECASE, True),
        (r"(?<=\bfor you )without", regex.IGNORECASE, False),  # lookbehind
        (r"clear(?=,? this)", 0, False),  # lookahead
        (r"\?\s*$", 0, False),  # an anchor other than \b
        (r"(\w+) \1", 0, False),  # back-reference
        (r"a*", 0, False),  # can match the empty string
        (r"fee", regex.MULTILINE, False),  # a flag RE2 would read differently
        (r"\p{Lu}+", 0, False),  # syntax only the regex module knows
        (r"[[:alpha:]]+", 0, False),  # a POSIX class the regex module reads (the standard parser warns)
    ],
)
def test_eligibility(pattern: str, flags: int, eligible: bool) -> None:
    assert _fast_eligible(pattern, flags) is eligible


def test_reports_are_the_same_with_and_without_re2() -> None:
    drafts = [
        "We corrected invoice 1042 and removed the late fee. I'm sorry for the trouble.",
        "As per my last email, the fee stands. We won't be refunding anything, that's not our fault!!",
        "Dobrý deň, faktúru FA2026-0042 na 1 250,00 € sme opravili a poplatok odpustili. Ďakujeme.",
        "To nie je naša chyba, mali ste si prečítať zmluvu. Ak nezaplatíte do 20. 5. 2026, dáme to právnikovi.",
    ]
    module = _regexes._re2()
    try:
        with_re2 = [CHECKER.check(d).to_dict() for d in drafts]
        _regexes._re2_module = None
        without = [CHECKER.check(d).to_dict() for d in drafts]
    finally:
        _regexes._re2_module = module
    assert with_re2 == without
    assert any(r["findings"] for r in with_re2)
