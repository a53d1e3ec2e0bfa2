"""Shortcuts taken for speed must never change an answer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicetone._regexes import LazyRegex, literal_prefixes
from invoicetone._style import HEATED_POLARITY, HEATED_SUBJECTIVITY, _textblob_sentiment

CORPUS = Path(__file__).parent / "corpus" / "en"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:invoice|bill|fee)\s+x", {"invoice", "bill", "fee"}),
        (r"\bnet[\s\-]?\d+", {"net"}),
        (r"\bThank(?:s| you)", {"thank"}),
        (r"(?:a|bc)x", None),  # a one-letter prefix is no use
        (r"(?:foo)?bar", {"bar"}),  # the optional part is skipped, "bar" is required
        (r"[ab]cd", {"cd"}),  # a class is skipped
        (r"\b(?:i|we)\s+(?:offer|give)", {"offer", "give"}),  # the longest required literals
        (r"(?:ab)?c", None),  # nothing required is long enough
        (r"\p{L}+ing", None),  # syntax only the regex module knows
    ],
)
def test_literal_prefixes(pattern: str, expected: set[str] | None) -> None:
    found = literal_prefixes(pattern, re.IGNORECASE)
    assert (set(found) if found is not None else None) == expected


WORDS = st.sampled_from(["invoice", "bill", "fee", "net", "thank", "you", "x", "30", " ", "-", "no", "fees", "Invoice"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12).map(" ".join))
def test_prefix_shortcut_never_hides_a_match(text: str) -> None:
    for pattern in (
        r"\b(?:invoice|bill|fee)s?\s+\w+",
        r"\bnet[\s\-]?\d+",
        r"\bthank(?:s| you)",
        r"\b(?:no|you)\s+(?:fees?|invoice)\b",
        r"(?:net )?(?:thank|bill)s?",
    ):
        lazy = LazyRegex(pattern, regex.IGNORECASE)
        lowered = text.lower()
        if regex.search(pattern, lowered, regex.IGNORECASE):
            assert lazy.may_match(lowered)


def _lexicon_words() -> tuple[list[str], list[str]]:
    from invoicetone._style import _sentiment_table

    polarity, intensity = _sentiment_table()
    polar = sorted(w for w, p in polarity.items() if abs(p) >= 0.1 and " " not in w)
    return polar, sorted(w for w in intensity if " " not in w)


_POLAR, _MODIFIERS = _lexicon_words()
_PIECES = st.one_of(
    st.sampled_from(_POLAR),
    st.sampled_from(_MODIFIERS),
    st.sampled_from(["not", "never", "no", "don't", "isn't", "can't", "n't"]),
    st.sampled_from(["!", "!!", "!!!", ":(", ":-/", "=(", ":'(", ">.>", "(!)", ":)"]),
    st.sampled_from(["the", "invoice", "you", "we", "is", "a", "fee", "really", "very", "so", ",", ".", "\u201c", "\u2026", "\u2014", "caf\u00e9"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10).map(" ".join))
def test_heated_shortcut_is_exact_about_textblob(sentence: str) -> None:
    """Whenever TextBlob scores a sentence heated, the shortcut lets TextBlob see it."""
    from textblob.en import sentiment

    from invoicetone._style import _may_be_heated

    polarity, _ = sentiment(sentence)
    if polarity <= HEATED_POLARITY:
        assert _may_be_heated(sentence), (sentence, polarity)


def _corpus_sentences() -> list[str]:
    sentences: list[str] = []
    for name in ("replies.jsonl", "clients.jsonl"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            text = re.sub(r"\[\[\w+\|(.*?)\]\]", r"\1", json.loads(line)["text"], flags=re.DOTALL)
            sentences += re.split(r"(?<=[.!?])\s+", text)
    return sentences


def test_textblob_shortcut_never_hides_a_heated_sentence() -> None:
    from textblob.en import sentiment

    checked = 0
    for sentence in _corpus_sentences():
        polarity, subjectivity = sentiment(sentence)
        if polarity <= HEATED_POLARITY and subjectivity >= HEATED_SUBJECTIVITY:
            checked += 1
            assert _textblob_sentiment(sentence) != (0.0, 0.0), sentence
    assert checked >= 20


def test_regex_shortcut_never_hides_a_match_of_a_builtin_rule() -> None:
    """Every built-in regex, on every corpus text: when it matches, its literal shortcut lets it run."""
    import invoicetone
    from invoicetone._engine import fold_same_length

    checker = invoicetone.Checker(plugin_packs=False)
    texts: list[tuple[str, str]] = []
    for lang in ("en", "sk"):
        folder = Path(__file__).parent / "corpus" / lang
        for name in ("replies.jsonl", "clients.jsonl"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                text = re.sub(r"\[\[\w+\|(.*?)\]\]", r"\1", json.loads(line)["text"], flags=re.DOTALL)
                texts.append((lang, fold_same_length(text, lang == "sk")))
    matched = 0
    for lang in ("en", "sk"):
        rules = [r for r in checker.load_rules(lang) if r.lang == lang]
        for rule in rules:
            for lazy in rule.regexes:
                for text_lang, text in texts:
                    if text_lang == lang and lazy.compiled.search(text):
                        matched += 1
                        assert lazy.may_match(text), (rule.id, lazy.pattern, text)
    assert matched > 100


def _replies(lang: str) -> list[str]:
    folder = Path(__file__).parent / "corpus" / lang
    return [
        re.sub(r"\[\[\w+\|(.*?)\]\]", r"\1", json.loads(line)["text"], flags=re.DOTALL)
        for line in (folder / "replies.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def _encoded(lang: str, text: str) -> Any:
    """``text`` analysed and encoded as the engine does for a plain draft (a fresh ``Encoded`` each call)."""
    from invoicetone._document import plain_document
    from invoicetone._engine import encode
    from invoicetone._nlp import annotate, get_pipeline

    document = plain_document(text)
    doc = get_pipeline(lang).make_doc(document.text)
    return encode(doc, annotate(doc, document, lang))


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_candidates_and_anchor_windows_never_hide_a_match(lang: str) -> None:
    """Every built-in pattern on every corpus reply: what a scan of the whole encoded document finds,
    the engine's candidate selection runs and its anchor windows find too."""
    import invoicetone

    compiled = invoicetone.Checker(plugin_packs=False)._compiled(lang)
    matched = windowed_patterns = 0
    for text in _replies(lang):
        encoded = _encoded(lang, text)
        chosen = {id(p) for patterns in compiled._index.candidates(encoded).values() for p in patterns}
        for rule in compiled._pattern_rules:
            for pattern in (*rule.patterns, *rule.antipatterns):
                whole = {m.span() for m in pattern.regex.finditer(encoded.text) if m.end() > m.start()}
                if not whole:
                    continue
                matched += 1
                assert id(pattern) in chosen, (rule.id, pattern.source, text)
                windows = encoded.windows(pattern)
                windowed_patterns += windows != [(0, len(encoded.text))]
                found = {m.span() for a, b in windows for m in pattern.regex.finditer(encoded.text, a, b) if m.end() > m.start()}
                assert found == whole, (rule.id, pattern.source, text)
    assert matched >= 300 and windowed_patterns >= 100


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_dropping_ignorecase_on_lowercased_text_changes_no_match(lang: str) -> None:
    """Pack regexes without an upper-case literal run case-sensitively over the lower-cased text."""
    import invoicetone
    from invoicetone._engine import fold_same_length

    text = "\n\n".join(fold_same_length(t, lang == "sk") for t in _replies(lang))
    dropped = 0
    for rule in invoicetone.Checker(plugin_packs=False).load_rules(lang):
        if rule.lang != lang:
            continue
        for lazy in (*rule.regexes, *rule.antiregexes, *rule.sentence_unless, *rule.sentence_requires):
            if lazy.flags & regex.IGNORECASE:
                continue
            dropped += 1
            reference = regex.compile(lazy.pattern, lazy.flags | regex.IGNORECASE)
            assert [m.span() for m in lazy.compiled.finditer(text)] == [m.span() for m in reference.finditer(text)], lazy.pattern
    assert dropped >= 20


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_patterns_are_filed_under_rare_words_and_the_choice_changes_no_candidate(lang: str) -> None:
    """The word counts of ``data/wordfreq`` file each pattern under its rarest required word: a reply
    walks a fraction of the patterns its words could open, and the same patterns come out as with
    no counts at all (every pattern filed under a word by a plain rule of thumb)."""
    import invoicetone
    from invoicetone._engine import _AnchorIndex

    compiled = invoicetone.Checker(plugin_packs=False)._compiled(lang)
    keyed = compiled._index
    plain = _AnchorIndex()  # no stop words, no counts
    for rule_number, rule in enumerate(compiled._pattern_rules):
        for pattern in rule.patterns:
            plain.add(pattern, (rule_number, False))
        for pattern in rule.antipatterns:
            plain.add(pattern, (rule_number, True))
    walked = openable = 0
    for text in _replies(lang):
        first, second = _encoded(lang, text), _encoded(lang, text)
        assert keyed.candidates(first) == plain.candidates(second)
        assert first._sentence_masks == second._sentence_masks
        present = {
            number
            for attr, where in (("norm", first.norm_positions), ("lemma", first.lemma_positions))
            for value in where
            for number in keyed._numbers(attr, value)
        }
        walked += sum(len(keyed._by_key.get(n, ())) for n in present)
        openable += sum(len(entries) for n, entries in keyed._by_anchor.items() if n in present)
    assert walked < 0.6 * openable, (walked, openable)  # measured: EN 19,813 of 37,423


def test_word_frequency_tables_are_what_the_tool_builds() -> None:
    import gzip
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    try:
        from build_word_frequencies import table
    finally:
        sys.path.remove(str(root / "tools"))
    for lang in ("en", "sk"):
        shipped = gzip.decompress((root / "data" / "wordfreq" / f"{lang}.json.gz").read_bytes()).decode("utf-8")
        assert shipped == table(lang, root / "tests" / "corpus"), f"run tools/build_word_frequencies.py ({lang})"


def test_threads_filing_the_patterns_at_once_agree() -> None:
    """The first documents of a fresh index, checked from several threads at once: one thread files
    the patterns (the word counts are read for it), the others wait, and all get what one thread alone gets."""
    import threading

    import invoicetone
    from invoicetone._engine import CompiledRules

    rules = invoicetone.Checker(plugin_packs=False).load_rules("en")
    texts = _replies("en")[:8]

    def encoded_docs() -> list[Any]:
        return [_encoded("en", text) for text in texts]

    reference = CompiledRules("en", rules)._index
    expected = [reference.candidates(e) for e in encoded_docs()]
    for _ in range(3):
        index = CompiledRules("en", rules)._index
        barrier = threading.Barrier(6)
        results: list[list[object]] = []

        def work(index: object = index, barrier: threading.Barrier = barrier, results: list[list[object]] = results) -> None:
            docs = encoded_docs()
            barrier.wait()
            results.append([index.candidates(e) for e in docs])  # type: ignore[attr-defined]

        threads = [threading.Thread(target=work) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 6 and all(found == expected for found in results)
