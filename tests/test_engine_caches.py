"""The per-word caches and shortcuts of the hot path give exactly what the plain computation gives."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicetone import _langdetect
from invoicetone._langdetect import (
    _EN_PATTERNS,
    _EN_WORDS,
    _SK_ENDINGS,
    _SK_LETTERS,
    _SK_WORDS,
    _SK_WORDS_FOLDED,
    _WORD,
    DECISIVE_MARGIN,
    _looks_like_code,
    evidence,
)

CORPUS = Path(__file__).parent / "corpus"


def _texts(lang: str) -> list[str]:
    texts = []
    for name in ("replies.jsonl", "clients.jsonl"):
        for line in (CORPUS / lang / name).read_text(encoding="utf-8").splitlines():
            texts.append(re.sub(r"\[\[\w+\|(.*?)\]\]", r"\1", json.loads(line)["text"], flags=re.DOTALL))
    return texts


def _reference_evidence(text: str) -> tuple[float, float]:
    """The detector's evidence as first written: every word judged afresh (no cache)."""
    sk = 0.0
    en = 0.0
    sample = text[:20000]
    for match in _WORD.finditer(sample):
        raw = match.group().strip("'")
        if not raw:
            continue
        word = raw.lower()
        weight = 0.25 if _looks_like_code(raw, sample, match.start(), match.end()) else 1.0
        if any(c in _SK_LETTERS for c in word):
            sk += weight * (2.0 if word in _SK_WORDS else 1.5)
            continue
        if word in _EN_WORDS:
            en += weight * 1.5
            continue
        if word in _SK_WORDS or word in _SK_WORDS_FOLDED:
            sk += weight * 1.5
            continue
        if len(word) < 5:
            continue
        sk_cue = word.endswith(_SK_ENDINGS) and not _EN_PATTERNS.search(word)
        en_cue = bool(_EN_PATTERNS.search(word))
        if sk_cue:
            sk += weight * 0.4
        elif en_cue:
            en += weight * 0.4
        if abs(sk - en) >= DECISIVE_MARGIN:
            break
    return sk, en


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_language_evidence_matches_the_uncached_computation(lang: str) -> None:
    texts = _texts(lang)
    for text in texts + [t.upper() for t in texts[:40]] + ["\n\n".join(texts[i : i + 8]) for i in range(0, 80, 8)]:
        assert evidence(text) == _reference_evidence(text), text[:80]


_LANG_WORDS = st.sampled_from(
    ["INV-2024", "SaaS", "PDF", "faktúru", "faktura", "invoice", "the", "thanks", "ďakujeme", "platbu", "#12", "3/4", "x-1",
     "working", "poslali", "Novák", "it's", "'", "''", "NASA", "ExpressVPN", "zaplatíte", "what", "EUR", "42", "-", "_"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LANG_WORDS, max_size=40).map(" ".join), st.lists(_LANG_WORDS, max_size=6).map("".join))
def test_language_evidence_cache_is_exact_on_any_mix(text: str, glued: str) -> None:
    _langdetect._word_info_cache.clear()
    for candidate in (text, glued, text + " " + glued):
        assert evidence(candidate) == _reference_evidence(candidate)
        assert evidence(candidate) == _reference_evidence(candidate)  # from the cache this time


def _reference_windows(encoded: object, pattern: object) -> list[tuple[int, int]]:
    """Windows as first computed: every word of the document tested against the anchor, kept where
    every other required word of the pattern occurs in the anchor's sentence (read off the \x05
    breaks of the encoded text, not the engine's sentence masks)."""

    def where_of(anchor: object) -> object:
        return encoded.norm_positions if anchor.attr == "norm" else encoded.lemma_positions  # type: ignore[attr-defined]

    def sentence_of(index: int) -> int:
        return encoded.text.count("\x05", 0, encoded.starts[index])  # type: ignore[attr-defined]

    anchor = pattern.anchor  # type: ignore[attr-defined]
    others = [{sentence_of(i) for i in other.positions(where_of(other))} for other in pattern.also]  # type: ignore[attr-defined]
    positions = [i for i in anchor.positions(where_of(anchor)) if all(sentence_of(i) in found for found in others)]
    last = len(encoded.starts) - 1  # type: ignore[attr-defined]
    merged: list[tuple[int, int]] = []
    pairs = sorted((max(0, i - pattern.before), min(last, i + pattern.after)) for i in positions)  # type: ignore[attr-defined]
    for first, final in pairs:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], final))
        else:
            merged.append((first, final))
    return [(encoded.starts[a], encoded.ends[b]) for a, b in merged]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_token_cache_encoding_and_windows_match_the_plain_computation(lang: str) -> None:
    """Cached token pieces encode like a fresh encoding; anchor windows from the per-word anchor
    numbers are the windows a scan of every word gives; candidates are the same with a cold cache."""
    from dataclasses import replace

    import invoicetone
    from invoicetone import _nlp
    from invoicetone._document import plain_document
    from invoicetone._engine import WINDOW_MIN_TOKENS, encode

    compiled = invoicetone.Checker(plugin_packs=False)._compiled(lang)
    nlp = _nlp.get_pipeline(lang)
    texts = _texts(lang)
    texts += ["\n\n".join(texts[i : i + 6]) for i in range(0, 60, 6)]  # long drafts: every pattern windowed
    windowed = pruned = 0
    for text in texts:
        document = plain_document(text)
        doc = nlp.make_doc(document.text)
        warm = _nlp.annotate(doc, document, lang)
        _nlp._token_caches.clear()
        cold = _nlp.annotate(doc, document, lang)
        assert warm == cold
        encoded = encode(doc, warm)
        assert encoded == encode(doc, replace(warm, pieces=None))
        chosen = compiled._index.candidates(encoded)
        compiled._index._value_cache["norm"].clear()
        compiled._index._value_cache["lemma"].clear()
        assert chosen == compiled._index.candidates(encode(doc, warm))
        for patterns in chosen.values():
            for pattern in patterns:
                if pattern.anchor is None or (pattern.before == 0 and len(encoded.starts) <= WINDOW_MIN_TOKENS and pattern.literal_start):
                    continue
                windowed += 1
                assert encoded.windows(pattern) == _reference_windows(encoded, pattern), (pattern.source, text[:60])
        # an anchored pattern is chosen exactly when one sentence holds its anchor and its other words
        chosen_ids = {id(p) for patterns in chosen.values() for p in patterns}
        for rule in compiled._pattern_rules:
            for pattern in (*rule.patterns, *rule.antipatterns):
                if pattern.anchor is None:
                    continue
                expected = bool(_reference_windows(encoded, pattern))
                assert (id(pattern) in chosen_ids) == expected, (rule.id, pattern.source, text[:60])
                where = encoded.norm_positions if pattern.anchor.attr == "norm" else encoded.lemma_positions
                pruned += not expected and bool(pattern.anchor.positions(where))
    assert windowed >= 500
    assert pruned >= 100  # patterns whose words are all in the draft, but never in one sentence


def _reference_fold(text: str) -> str:
    from invoicetone._nlp import fold

    if text.isascii():
        return text.lower()
    return "".join((fold(c) or c)[:1] if len(c.lower()) == 1 else c for c in text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="ÁáÄäČčĎďÉéÍíĹĺĽľŇňÓóÔôŔŕŠšŤťÚúÝýŽžİıẞßŁłǅ\u030c\u0301 aZ", max_size=40))
def test_folding_by_table_matches_folding_each_character(text: str) -> None:
    from invoicetone._engine import fold_same_length

    assert fold_same_length(text, True) == _reference_fold(text)
    assert len(fold_same_length(text, True)) == len(text)


def test_folding_by_table_on_the_slovak_corpus() -> None:
    from invoicetone._engine import fold_same_length

    for text in _texts("sk"):
        assert fold_same_length(text, True) == _reference_fold(text)


_PIECES = st.one_of(
    st.sampled_from(["terrible", "terribly", "awful", "good", "great", "bad", "disgusting", "ridiculous", "unacceptable", "happy"]),
    st.sampled_from(["very", "really", "so", "extremely", "not", "never", "no", "n't", "don't", "isn't"]),
    st.sampled_from(["!", "!!", "!!!", ":(", ":-/", "=(", ":'(", ">.>", "(!)", ":)", "?"]),
    st.sampled_from(["the", "invoice", "you", "we", "is", "a", "fee", ",", ".", "\u201c", "\u2026", "caf\u00e9", "e.g.", "Mr."]),
)


def _sentences(lang: str) -> list[str]:
    return [s for text in _texts(lang) for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_standalone_textblob_sentiment_is_textblobs() -> None:
    """The analyser built from textblob/_text.py alone scores exactly like textblob.en.sentiment."""
    from textblob.en import sentiment as reference

    from invoicetone._style import _pattern_sentiment, _standalone_sentiment

    analyser = _standalone_sentiment()
    assert _pattern_sentiment().__class__.__module__ == analyser.__class__.__module__  # not the fallback
    extra = ["This is terribly unfair!!!", "Not bad at all :(", "You are never helpful, not even slightly.", "I'm so disappointed :-/"]
    for sentence in _sentences("en") + extra:
        mine, theirs = analyser(sentence), reference(sentence)
        assert mine == theirs, sentence
        assert mine.assessments == theirs.assessments, sentence


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12).map(" ".join))
def test_standalone_textblob_sentiment_on_any_mix(sentence: str) -> None:
    from textblob.en import sentiment as reference

    from invoicetone._style import _pattern_sentiment

    assert _pattern_sentiment()(sentence) == reference(sentence)


def test_heated_hint_does_not_import_nltk() -> None:
    import subprocess
    import sys

    code = (
        "import sys, invoicetone\n"
        "report = invoicetone.check('This is absolutely terrible and disgusting service, you idiots!', lang='en')\n"
        "assert any(f.rule_id == 'heated.sentence' for f in report.findings), report.findings\n"
        "print('nltk' in sys.modules, 'textblob' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_antiregex_literal_gate_never_hides_a_match(lang: str) -> None:
    """The engine tries an antiregex on a hit only when its sentence or match has one of the
    antiregex's required literals: on every corpus sentence, whenever it matches, the gate lets it."""
    import invoicetone
    from invoicetone import _nlp
    from invoicetone._document import plain_document
    from invoicetone._engine import fold_same_length

    checker = invoicetone.Checker(plugin_packs=False)
    antiregexes = [r for rule in checker.load_rules(lang) if rule.lang == lang for r in rule.antiregexes]
    nlp = _nlp.get_pipeline(lang)
    matched = 0
    for text in _texts(lang):
        document = plain_document(text)
        folded = fold_same_length(document.text, lang == "sk")
        for sentence in _nlp.annotate(nlp.make_doc(document.text), document, lang).sentences:
            piece = folded[sentence.char_start : sentence.char_end]
            for lazy in antiregexes:
                if lazy.compiled.search(piece):
                    matched += 1
                    assert lazy.may_match(piece), (lazy.pattern, piece)
    assert matched >= (50 if lang == "en" else 20)


def _tokens(doc: object) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in doc]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_warm_tokenizer_splits_exactly_like_spacy(lang: str) -> None:
    """The pipeline's tokenizer (spaCy's, with its chunk cache warmed) gives spaCy's own tokens."""
    import spacy

    from invoicetone._nlp import WarmTokenizer, get_pipeline

    assert isinstance(get_pipeline(lang).tokenizer, WarmTokenizer)
    plain = spacy.blank(lang)
    warm = WarmTokenizer(spacy.blank(lang).tokenizer)
    texts = _texts(lang)
    for text in texts + ["That's " + t for t in texts[:30]] + ["(That's it) e.g. a.m. :) " + t for t in texts[:30]]:
        assert _tokens(warm(text)) == _tokens(plain.make_doc(text)), text[:60]
        assert _tokens(warm(text)) == _tokens(plain.make_doc(text)), text[:60]  # now from the warm cache
    assert [_tokens(d) for d in warm.pipe(texts[:5])] == [_tokens(plain.make_doc(t)) for t in texts[:5]]


@lru_cache(maxsize=1)
def _blank_pipelines() -> tuple[Any, Any]:
    """Two blank English pipelines: one as spaCy ships it, one whose tokenizer gets warmed."""
    import spacy

    return spacy.blank("en"), spacy.blank("en")


_CHUNKS = st.sampled_from(
    ["That's", "don't", "I'm", "we'll", "(that's", "it's,", "a.m.", "e.g.", "Mr.", ":)", "<3", "invoice", "INV-2041", "€1,250.00",
     "fault.", "\"Really?\"", "o.O", "can't!", "’s", "We’re", "Let's", "1.5h", "--", "...", "nie", "ďakujeme.", "faktúru,", "č."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_CHUNKS, st.sampled_from([" ", "  ", "\n", "\n\n", "", "\t"])), max_size=25))
def test_warm_tokenizer_on_any_mix(parts: list[tuple[str, str]]) -> None:
    from invoicetone._nlp import WarmTokenizer

    text = "".join(chunk + space for chunk, space in parts)
    plain, base = _blank_pipelines()
    warm = WarmTokenizer(base.tokenizer)
    assert _tokens(warm(text)) == _tokens(plain.make_doc(text))
    assert _tokens(warm(text)) == _tokens(plain.make_doc(text))


def _content_words_plain(doc, annotation, start, end, generic):  # type: ignore[no-untyped-def]
    """The reference: spaCy's Token asked for every token."""
    words, numbers = set(), set()
    for token in doc[start:end]:
        if token.like_num or any(c.isdigit() for c in token.text):
            digits = "".join(c for c in token.text if c.isdigit())
            if digits:
                numbers.add(digits.lstrip("0") or "0")
            continue
        if not token.is_alpha or len(token.text) < 3 or token.is_stop:
            continue
        lemma = annotation.lemmas[token.i] or token.lower_
        if lemma in generic or annotation.norms[token.i] in generic:
            continue
        words.add(lemma)
    return frozenset(words), frozenset(numbers)


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_content_words_cache_matches_spacy_tokens(lang: str) -> None:
    from invoicetone._dispute import content_words, dispute_cues
    from invoicetone._document import plain_document
    from invoicetone._nlp import annotate, get_pipeline

    generic = dispute_cues(lang).generic
    lines = (Path(__file__).parent / "corpus" / lang / "replies.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"].replace("[[", "").replace("]]", "") for line in lines if line.strip()]
    texts += ["Invoice 0042 for 1,250.00 — 3rd May, twenty", "   ", "x1 2x ab ABC 007 ..."]
    for text in texts:
        document = plain_document(text)
        doc = get_pipeline(lang).make_doc(document.text)
        annotation = annotate(doc, document, lang)
        for start, end in [(0, len(doc))] + [(s.start, s.end) for s in annotation.sentences]:
            assert content_words(doc, annotation, start, end, generic) == _content_words_plain(doc, annotation, start, end, generic)
