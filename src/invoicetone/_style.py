"""Detectors for rules that are not phrases: shouting, repeated punctuation, heated sentences.

Their metadata (message, rationale, severity, examples) lives in the packs like every other rule;
a pack rule names its detector with ``detector: <name>``. A detector returns spans in analysed-text
coordinates and, where the fix depends on the text, the replacement to suggest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from ._nlp import Sentence, sentence_at

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Detected:
    start: int
    end: int
    sentence: int
    replacement: str | None = None


Detector = Callable[[str, "Doc", Sequence[Sentence], str], list["Detected"]]

_CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}_\-/#])\p{Lu}[\p{Lu}']+(?![\p{L}\p{N}_\-/])")
_REPEATED = regex.compile(r"[!?]*(?:!{2,}|\?{2,}|\?!|!\?)[!?]*")


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    """Upper-case words that are names, not shouting (VAT, IBAN, PO, …): ``data/style/acronyms.txt``."""
    from ._packs import builtin_data_dir

    path = builtin_data_dir() / "style" / "acronyms.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.upper())
    return frozenset(words)


@lru_cache(maxsize=1)
def emphasis_words() -> frozenset[str]:
    """Short words that shout even alone (NOT, NOW): ``data/style/emphasis.txt``."""
    from ._packs import builtin_data_dir

    path = builtin_data_dir() / "style" / "emphasis.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.split("#", 1)[0].strip().upper() for w in lines if w.split("#", 1)[0].strip())


def _is_shouted_word(word: str, lang: str) -> bool:
    letters = word.replace("'", "")
    if len(letters) < 2 or word.upper() in acronyms():
        return False
    if len(letters) <= 4:
        # short unknown capitals are codes (ACME, INV, EUR): only real words count as shouting
        from ._folding import known_short_word

        known = known_short_word(letters.lower(), lang)
        if known is not None:
            return known
        import simplemma

        return bool(simplemma.is_known(letters.lower(), lang=lang))
    return True


def _sentence_of(sentences: Sequence[Sentence], char: int) -> int:
    """Index of the sentence holding ``char``, or the last one."""
    index = sentence_at(sentences, char)
    return index if index is not None else max(0, len(sentences) - 1)


def detect_caps(text: str, doc: Doc, sentences: Sequence[Sentence], lang: str) -> list[Detected]:
    found: list[Detected] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if len(run) == 1 and run[0][1] - run[0][0] <= 3 and text[run[0][0] : run[0][1]] not in emphasis_words():
            run.clear()  # a lone short capital word is a code (AP, US), not shouting
        if run:
            start, end = run[0][0], run[-1][1]
            found.append(Detected(start, end, _sentence_of(sentences, start), _decapitalise(text[start:end])))
            run.clear()

    for match in _CAPS_WORD.finditer(text):
        word = match.group()
        if word.startswith("PLACEHOLDER") or not _is_shouted_word(word, lang):
            flush()
            continue
        if run and not text[run[-1][1] : match.start()].strip(" ,"):
            run.append(match.span())
        else:
            flush()
            run.append(match.span())
    flush()
    return found


def _decapitalise(span: str) -> str:
    keep = acronyms()
    words = regex.split(r"(\s+)", span)
    out = []
    for word in words:
        if word.strip() and word.upper() not in keep:
            out.append("I" if word == "I" else word.lower())
        else:
            out.append(word)
    return "".join(out)


def detect_repeated_punctuation(text: str, doc: Doc, sentences: Sequence[Sentence], lang: str) -> list[Detected]:
    found = []
    for match in _REPEATED.finditer(text):
        group = match.group()
        replacement = "?" if "?" in group else "."
        found.append(Detected(match.start(), match.end(), _sentence_of(sentences, match.start()), replacement))
    return found


# Heated sentences: TextBlob (English) or the language's lexicon. An info-level hint only.
HEATED_POLARITY = -0.5
HEATED_SUBJECTIVITY = 0.6


_WORDS = regex.compile(r"[\p{L}']+")


@lru_cache(maxsize=1)
def _sentiment_words() -> tuple[frozenset[str], frozenset[str]]:
    """(negative, positive) words of TextBlob's lexicon that could make a sentence read as heated.

    TextBlob averages word assessments; each is the word's polarity times intensifiers (at most
    about x2), and a negation multiplies it by -0.5. An average at or below HEATED_POLARITY needs one
    assessment there: a negative word, or a negated word of polarity >= 0.5 (TextBlob derives some
    adverbs, so the negative set is kept wide: polarity <= -0.1 in the lexicon file). Read straight
    from TextBlob's lexicon file, so that TextBlob (and NLTK behind it) is imported only when needed.
    """
    import importlib.util
    import xml.etree.ElementTree as ElementTree
    from pathlib import Path

    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return frozenset(), frozenset()
    lexicon = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
    negative: set[str] = set()
    positive: set[str] = set()
    for word in ElementTree.parse(lexicon).getroot().iter("word"):
        form = word.get("form")
        polarity = float(word.get("polarity") or 0.0)
        if form and polarity <= -0.1:  # derived forms can score lower than their entry; stay wide
            negative.add(form.lower())
        elif form and polarity >= 0.5:
            positive.add(form.lower())
    return frozenset(negative), frozenset(positive)


_NEGATIONS = frozenset({"not", "n't", "no", "never", "isn't", "aren't", "wasn't", "don't", "doesn't", "didn't", "won't", "can't", "cannot"})


def _textblob_sentiment(sentence: str) -> tuple[float, float]:
    negative, positive = _sentiment_words()
    words = {w.lower() for w in _WORDS.findall(sentence.replace("\u2019", "'"))}
    if words.isdisjoint(negative) and (words.isdisjoint(positive) or words.isdisjoint(_NEGATIONS)):
        return 0.0, 0.0  # cannot reach HEATED_POLARITY: skip TextBlob
    from textblob.en import sentiment as pattern_sentiment

    polarity, subjectivity = pattern_sentiment(sentence)
    return float(polarity), float(subjectivity)


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> dict[str, float]:
    from ._nlp import FOLDING_LANGS, fold
    from ._packs import builtin_data_dir

    path = builtin_data_dir() / "style" / f"heated-{lang}.txt"
    table: dict[str, float] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                word, _, weight = line.partition(" ")
                # token lemmas are folded in folding languages (naša -> nas): fold the keys alike
                table[fold(word) if lang in FOLDING_LANGS else word] = float(weight or -1.0)
    return table


def sentence_polarity(sentence_text: str, doc: Doc, sentence: Sentence, lang: str) -> tuple[float, float]:
    """(polarity, subjectivity) of one sentence, -1..1 and 0..1."""
    if lang == "en":
        return _textblob_sentiment(sentence_text)
    lexicon = _lexicon(lang)
    scores = [lexicon[t.lemma_] for t in doc[sentence.start : sentence.end] if t.lemma_ in lexicon]
    if not scores:
        return 0.0, 0.0
    return max(-1.0, sum(scores) / max(1, len(scores))), 1.0


def detect_heated(text: str, doc: Doc, sentences: Sequence[Sentence], lang: str) -> list[Detected]:
    found = []
    for index, sentence in enumerate(sentences):
        span_text = text[sentence.char_start : sentence.char_end]
        if len(span_text) < 8:
            continue
        polarity, subjectivity = sentence_polarity(span_text, doc, sentence, lang)
        if polarity <= HEATED_POLARITY and subjectivity >= HEATED_SUBJECTIVITY:
            found.append(Detected(sentence.char_start, sentence.char_end, index))
    return found


DETECTORS: dict[str, Detector] = {
    "shouting_caps": detect_caps,
    "repeated_punctuation": detect_repeated_punctuation,
    "heated_sentence": detect_heated,
}
