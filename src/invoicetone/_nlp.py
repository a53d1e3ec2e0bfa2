"""Pipelines: ``spacy.blank`` per language plus lookup lemmas, built lazily once and reused.

Only spaCy's tokenizer runs (the blank pipeline has no statistical components). Each token gets
``norm_`` (lower case; for languages that fold diacritics, without them) and ``lemma_`` (lower-case
lemma from simplemma's offline tables, folded the same way), which is what the rule patterns match.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ._document import Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SUPPORTED_LANGS = ("en", "sk")
# Languages whose text is often typed without diacritics: patterns and text are both folded.
FOLDING_LANGS = frozenset({"sk"})

_lock = threading.Lock()
_pipelines: dict[str, Language] = {}

# Contractions and clitics that lookup tables get wrong or leave alone.
_EN_LEMMA_OVERRIDES = {
    "n't": "not", "nt": "not", "'s": "be", "'re": "be", "'m": "be", "'ve": "have", "'d": "would",
    "'ll": "will", "ca": "can", "wo": "will", "sha": "shall", "me": "i", "i": "i", "us": "we",
    "'em": "they", "y'all": "you", "ya": "you", "u": "you", "ur": "your", "gonna": "go",
    "data": "data", "terms": "term", "as": "as", "has": "have", "does": "do", "is": "be",
    "was": "be", "were": "be", "are": "be", "am": "be", "been": "be", "being": "be",
    "better": "better", "best": "best", "less": "less", "least": "least", "ok": "ok",
    "invoices": "invoice", "invoiced": "invoice", "billing": "billing", "terms.": "term",
}
_NORM_OVERRIDES = {"n't": "not", "nt": "not", "'ll": "will", "'re": "are", "'m": "am", "'ve": "have"}


def get_pipeline(lang: str) -> Language:
    """The blank pipeline for ``lang``, built on first use and shared afterwards."""
    nlp = _pipelines.get(lang)
    if nlp is not None:
        return nlp
    with _lock:
        nlp = _pipelines.get(lang)
        if nlp is None:
            import spacy  # heavy: imported on first check, never at import time

            nlp = spacy.blank(lang)
            _pipelines[lang] = nlp
    return nlp


def fold(text: str) -> str:
    """Lower-case and strip combining marks (``naša`` → ``nasa``)."""
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


@lru_cache(maxsize=262144)
def lemma_of(lower: str, lang: str) -> str:
    """Lower-case lemma of a lower-case token (cached)."""
    if lang == "en":
        override = _EN_LEMMA_OVERRIDES.get(lower)
        if override is not None:
            return override
    if not any(c.isalpha() for c in lower):
        return lower
    import simplemma

    try:
        lemma = simplemma.lemmatize(lower, lang=lang)
    except (ValueError, KeyError):
        return lower
    lemma = lemma.lower()
    if lang in FOLDING_LANGS:
        folded_lower = _fold(lower)
        if folded_lower == lower:
            restored = _restored_lemma(lower, lang)
            if restored is not None:
                return restored
        return _fold(lemma)
    return lemma


def _restored_lemma(folded_form: str, lang: str) -> str | None:
    """Lemma of a form typed without diacritics, from the folded-form table (lazily built)."""
    from ._folding import folded_lemma

    return folded_lemma(folded_form, lang)


def norm_of(lower: str, lang: str) -> str:
    override = _NORM_OVERRIDES.get(lower)
    if override is not None:
        return override
    return _fold(lower) if lang in FOLDING_LANGS else lower


@dataclass(frozen=True)
class Sentence:
    """Token range ``[start, end)`` and its character span in the analysed text."""

    start: int
    end: int
    char_start: int
    char_end: int


_SENT_END = frozenset({".", "!", "?", "...", "!!", "??", "?!", "!?", "…"})
_CLOSERS = frozenset({'"', "'", ")", "]", "»"})


def annotate(doc: Doc, document: Document, lang: str) -> list[Sentence]:
    """Fill ``norm_``/``lemma_`` on every token and return the sentences."""
    masked = document.masked
    for token in doc:
        lower = token.lower_
        if masked and document.overlaps_mask(token.idx, token.idx + len(token.text)):
            token.norm_ = "placeholder"
            token.lemma_ = "placeholder"
            continue
        token.norm_ = norm_of(lower, lang)
        token.lemma_ = lemma_of(lower, lang)
    return split_sentences(doc, document.breaks)


def split_sentences(doc: Doc, breaks: frozenset[int]) -> list[Sentence]:
    sentences: list[Sentence] = []
    n = len(doc)
    start = 0
    i = 0
    while i < n:
        token = doc[i]
        boundary_after = False
        text = token.text
        if text in _SENT_END or (len(text) > 1 and set(text) <= {".", "!", "?"}):
            j = i + 1
            while j < n and doc[j].text in _CLOSERS | _SENT_END:
                j += 1
            nxt = doc[j] if j < n else None
            # "No. 12", "e.g. the", "3.5": a full stop before lower case or a digit continues
            if text == "." and nxt is not None and (nxt.text[:1].islower() or nxt.text[:1].isdigit()):
                boundary_after = False
            else:
                boundary_after = True
                i = j - 1
        if not boundary_after and i + 1 < n:
            nxt_idx = doc[i + 1].idx
            end_idx = token.idx + len(token.text)
            if any(end_idx <= b <= nxt_idx for b in breaks):
                boundary_after = True
        if boundary_after or i == n - 1:
            first = doc[start]
            last = doc[i]
            sentences.append(Sentence(start, i + 1, first.idx, last.idx + len(last.text)))
            start = i + 1
        i += 1
    return sentences


def make_docs(lang: str, texts: Iterable[str]) -> Iterator[Doc]:
    nlp = get_pipeline(lang)
    yield from nlp.tokenizer.pipe(texts)
