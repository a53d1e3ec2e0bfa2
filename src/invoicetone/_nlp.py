"""Pipelines: ``spacy.blank`` per language plus lookup lemmas, built lazily once and reused.

Only spaCy's tokenizer runs (the blank pipeline has no statistical components). ``annotate`` gives
each token a norm (lower case; for languages that fold diacritics, without them) and a lemma
(lower-case lemma from simplemma's offline tables, folded the same way), which is what the rule
patterns match; they live in an ``Annotation`` next to the Doc (writing them into the Doc would cost
time that nothing needs).
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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
            nlp.tokenizer = WarmTokenizer(nlp.tokenizer)
            _pipelines[lang] = nlp
    return nlp


class WarmTokenizer:
    """spaCy's tokenizer, with its per-chunk cache kept warm; the tokens are spaCy's own.

    spaCy caches how each whitespace-separated chunk splits, but once a chunk of a text is a
    special case (any contraction: "That's", "don't", "I'm") it caches none of the later chunks of
    that text, so an English reply with an early contraction is split from scratch on every check
    (0.3-0.6 ms for 120 words). Each chunk not seen before is therefore also tokenized on its own
    once, which puts it in spaCy's cache (a chunk splits the same wherever it stands; special cases
    spanning chunks are still applied to the whole text). Warming stops when spaCy's cache is full.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer
        self._seen: set[str] = set()
        self._limit = int(getattr(tokenizer, "max_cache_size", 10_000))

    def __call__(self, text: str) -> Doc:
        seen = self._seen
        if len(seen) < self._limit:
            new = set(text.split()).difference(seen)
            if new:
                tokenizer = self._tokenizer
                for chunk in sorted(new)[: self._limit - len(seen)]:
                    tokenizer(chunk)
                    seen.add(chunk)
        doc: Doc = self._tokenizer(text)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:  # the rest of spaCy's Tokenizer (rules, explain, …)
        if name.startswith("__") or name in ("_tokenizer", "_seen", "_limit"):
            raise AttributeError(name)
        return getattr(self._tokenizer, name)


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
    if lang in FOLDING_LANGS:
        # a compact shipped table (a few ms to load) instead of simplemma's full dictionary (~1.2 s)
        from ._folding import folded_lemma

        shipped = folded_lemma(lower, _fold(lower), lang)
        if shipped is not None:
            return shipped
    import simplemma

    try:
        lemma = simplemma.lemmatize(lower, lang=lang)
    except (ValueError, KeyError):
        return lower
    lemma = lemma.lower()
    return _fold(lemma) if lang in FOLDING_LANGS else lemma


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


def sentence_at(sentences: Sequence[Sentence], char: int) -> int | None:
    """Index of the sentence holding ``char`` (binary search: sentences are in text order), or None."""
    index = bisect_right(sentences, char, key=lambda s: s.char_start) - 1
    if index >= 0 and char < sentences[index].char_end:
        return index
    return None


_SENT_END = frozenset({".", "!", "?", "...", "!!", "??", "?!", "!?", "…"})
_CLOSERS = frozenset({'"', "'", ")", "]", "»"})
_STOP_CHARS = frozenset(".!?…")


@dataclass(frozen=True)
class Annotation:
    """What ``annotate`` worked out for a Doc, kept so that later steps need not ask spaCy again."""

    sentences: list[Sentence]
    texts: list[str]  # token texts
    starts: list[int]  # token offsets in the analysed text
    norms: list[str]
    lemmas: list[str]
    # each token as the rule engine encodes it, without the sentence break: norm \x02 lemma \x03 flags
    # \x04 (see ``_packs``); None when the Annotation was built by hand (the engine then builds them)
    pieces: list[str] | None = None


def annotate(doc: Doc, document: Document, lang: str) -> Annotation:
    """Norms, lemmas and sentences of a Doc's tokens (kept here; the Doc itself is not written to).

    What a token's text gives (norm, lemma, encoded piece) is cached per language: a reply is mostly
    words seen before, so a dictionary lookup replaces lower-casing, two lookups and a format.
    """
    from spacy.attrs import IDX, LENGTH

    source = document.text  # the text the Doc was made from (doc.text would rebuild it)
    offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
    starts = [row[0] for row in offsets]
    texts = [source[row[0] : row[0] + row[1]] for row in offsets]
    norms: list[str] = []
    lemmas: list[str] = []
    pieces: list[str] = []
    masked = document.masked
    cache = _token_cache(lang)
    for index, (text, start) in enumerate(zip(texts, starts, strict=True)):
        if masked and document.overlaps_mask(start, start + len(text)):
            norms.append("placeholder")
            lemmas.append("placeholder")
            pieces.append(_piece("placeholder", "placeholder", bool(doc[index].like_num)))
            continue
        entry = cache.get(text)
        if entry is None:
            lower = text.lower()
            norm, lemma = norm_of(lower, lang), lemma_of(lower, lang)
            # LIKE_NUM is a property of the word's text (a lexeme attribute), so it is cached with it
            entry = (norm, lemma, _piece(norm, lemma, bool(doc[index].like_num)))
            if len(cache) >= _TOKEN_CACHE_MAX:
                cache.clear()
            cache[text] = entry
        norms.append(entry[0])
        lemmas.append(entry[1])
        pieces.append(entry[2])
    if "." in texts:
        mark_date_dots(texts, starts, pieces)
    return Annotation(split_sentences(texts, starts, document.breaks), texts, starts, norms, lemmas, pieces)


# Month names a day number with a dot stands before ("do 5. júla", "on 5. July"): Slovak genitive
# (with and without diacritics) and English.
_MONTH_WORDS = frozenset(
    {
        "januára", "februára", "marca", "apríla", "mája", "júna", "júla", "augusta", "septembra", "októbra",
        "novembra", "decembra", "januara", "februara", "aprila", "maja", "juna", "jula", "oktobra", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)


def mark_date_dots(texts: list[str], starts: list[int], pieces: list[str]) -> None:
    """Encode the full stops that belong to a day-month date (a day or month number written right
    before the dot, and a number or a month name after it, or the dot closing "12. 9.") as
    ``_DATE_DOT_PIECE``."""
    last = len(texts) - 1
    for i, text in enumerate(texts):
        if text != "." or i == 0:
            continue
        number = texts[i - 1]
        if not (number.isdigit() and len(number) <= 2 and starts[i - 1] + len(number) == starts[i]):
            continue
        after = texts[i + 1] if i < last else ""
        closes_date = i >= 3 and texts[i - 2] == "." and texts[i - 3].isdigit() and len(texts[i - 3]) <= 2
        if (after.isdigit() and len(after) <= 4) or closes_date or after.lower() in _MONTH_WORDS:
            pieces[i] = _DATE_DOT_PIECE


_TOKEN_CACHE_MAX = 200_000
_token_caches: dict[str, dict[str, tuple[str, str, str]]] = {}


def _token_cache(lang: str) -> dict[str, tuple[str, str, str]]:
    cache = _token_caches.get(lang)
    if cache is None:
        cache = _token_caches.setdefault(lang, {})
    return cache


def _piece(norm: str, lemma: str, number: bool) -> str:
    """A token as the compiled patterns see it (``_packs``): \x01 norm \x02 lemma \x03 flags \x04."""
    return f"\x01{norm}\x02{lemma}\x03{'N' if number else ''}\x04"


# The dots of a numeric date ("do 20. 5. 2026", "do 12. 9., inak") as the patterns see them: not a
# full stop, so that a gap (``~N``) in a pattern can run across the date. The norm stays "." elsewhere.
_DATE_DOT_PIECE = _piece("date-dot", "date-dot", False)


def tokens_before_breaks(texts: list[str], starts: list[int], breaks: frozenset[int]) -> set[int]:
    """Tokens followed by a hard break: one lies between the token's end and the next token's start."""
    n = len(texts)
    found: set[int] = set()
    for position in breaks:
        i = bisect_left(starts, position) - 1
        if 0 <= i < n - 1 and starts[i] + len(texts[i]) <= position:
            found.add(i)
    return found


def sentence_end_at(texts: list[str], i: int) -> int | None:
    """The last token of a sentence that stop token ``texts[i]`` ends (closers and further stops
    after it belong to it), or None when it ends none."""
    text = texts[i]
    if not (text[:1] in _STOP_CHARS and (text in _SENT_END or not text.strip(".!?"))):
        return None
    n = len(texts)
    j = i + 1
    while j < n and (texts[j] in _CLOSERS or texts[j] in _SENT_END):
        j += 1
    following = texts[j] if j < n else ""
    # "No. 12", "e.g. the", "3.5", "do 12. 9., inak": a full stop before lower case, a digit or
    # a comma continues
    if text == "." and following and (following[:1].islower() or following[:1].isdigit() or following[:1] in ",;"):
        return None
    return j - 1


def split_sentences(texts: list[str], starts: list[int], breaks: frozenset[int]) -> list[Sentence]:
    """Sentences from token texts and offsets: after . ! ? (and closers), and at hard breaks."""
    sentences: list[Sentence] = []
    n = len(texts)
    break_after = tokens_before_breaks(texts, starts, breaks)
    # only a stop token, a token before a hard break and the last token can end a sentence: visit those
    interesting = {i for i, text in enumerate(texts) if text[:1] in _STOP_CHARS}
    interesting.update(break_after)
    if n:
        interesting.add(n - 1)
    start = 0
    skip_until = -1  # closers and stops that follow a sentence end belong to it
    for i in sorted(interesting):
        if i <= skip_until:
            continue
        end = sentence_end_at(texts, i)
        if end is not None:
            i = skip_until = end
        if end is not None or i in break_after or i == n - 1:
            sentences.append(Sentence(start, i + 1, starts[start], starts[i] + len(texts[i])))
            start = i + 1
    return sentences
