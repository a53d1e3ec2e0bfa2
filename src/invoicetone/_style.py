"""Detectors for rules that are not phrases: shouting, repeated punctuation, heated sentences.

Their metadata (message, rationale, severity, examples) lives in the packs like every other rule;
a pack rule names its detector with ``detector: <name>``. A detector returns spans in analysed-text
coordinates and, where the fix depends on the text, the replacement to suggest.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ._nlp import FOLDING_LANGS, Annotation, Sentence, sentence_at


@dataclass(frozen=True)
class Detected:
    start: int
    end: int
    sentence: int
    replacement: str | None = None


Detector = Callable[[str, Annotation, str], list["Detected"]]

# a word in capitals, also joined by hyphens ("NON-REFUNDABLE"); not a part of a code ("INV-2024")
_CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}_\-/#])\p{Lu}[\p{Lu}']+(?:-\p{Lu}[\p{Lu}']+)*(?![\p{L}\p{N}_\-/])")
_REPEATED = regex.compile(r"[!?]*(?:!{2,}|\?{2,}|\?!|!\?)[!?]*")

# A reply's sign-off: a closing ("Best regards,", "S pozdravom") and after it the name, role and
# company. The e-mail reader leaves the block out of a draft (``CLOSING_LINE`` followed by at most
# ``CLOSING_TAIL`` short ``TAIL_LINE`` lines); the shouting detector reads capitals in it as names
# ("HASPO servis", "Tom, BRIGHTWATER PLUMBING"): see ``sign_off_start``.
_CLOSINGS = (
    r"(?:(?:best|kind|warm|warmest|many thanks and)?[ \t]*regards|best wishes|best|sincerely|yours sincerely|"
    r"yours truly|cheers|thanks|thank you|many thanks|s pozdravom|s [úu]ctou|s priate[ľl]sk[ýy]m pozdravom|"
    r"pekn[ýy] de[ňn]|[ďd]akujem|v[ďd]aka)"
)
CLOSING_LINE = regex.compile(rf"^[ \t]*{_CLOSINGS}[ \t]*[,.!]?[ \t\r]*$", regex.IGNORECASE)
CLOSING_TAIL = 3
TAIL_LINE = regex.compile(r"^[^\n]{0,60}(?<![.?!])[ \t\r]*$")
# in the analysed text (lines joined by spaces): a closing that opens a sentence, then up to 80
# characters without sentence punctuation to the end, holding a capitalised word (a name)
_SIGN_OFF = regex.compile(
    rf"(?:^|(?<=[.!?;:]\s))(?i:{_CLOSINGS})[ \t]*,?\s+(?=[^.?!:;]{{0,80}}$)(?=[^.?!:;]*?\b\p{{Lu}}\p{{Ll}}+\b)[^.?!:;]+$"
)


def sign_off_start(text: str) -> int:
    """Where the sign-off of the analysed ``text`` starts, or ``len(text)`` when it has none."""
    match = _SIGN_OFF.search(text, max(0, len(text) - 120))
    return match.start() if match else len(text)


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    """Upper-case words that are names, not shouting (VAT, IBAN, PO, …): ``data/style/acronyms.txt``."""
    return frozenset(word.upper() for word in _style_lines("acronyms.txt"))


@lru_cache(maxsize=1)
def emphasis_words() -> frozenset[str]:
    """Short words that shout even alone (NOT, NOW): ``data/style/emphasis.txt``."""
    return frozenset(word.upper() for word in _style_lines("emphasis.txt"))


def _style_lines(name: str) -> list[str]:
    """The entries of a list in ``data/style/``: one per line, "#" starts a comment."""
    from ._packs import builtin_data_dir

    lines = (builtin_data_dir() / "style" / name).read_text(encoding="utf-8").splitlines()
    return [entry for entry in (line.split("#", 1)[0].strip() for line in lines) if entry]


def _is_shouted_word(word: str, lang: str) -> bool:
    if "-" in word:  # shouts when a long part does ("NON-REFUNDABLE"); short parts are codes ("DE-EN", "PO-AB")
        parts = word.split("-")
        return word.upper() not in acronyms() and any(len(p) >= 5 for p in parts) and any(_is_shouted_word(p, lang) for p in parts)
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
    if lang not in FOLDING_LANGS and "'" not in word:
        # the lemmatiser's full dictionary is loaded for these languages anyway: a long capital word
        # it does not know is a name or code (OFGEM, POPLA, BARCLAYS), not shouting; a contraction
        # ("THAT'S", "WASN'T") is always a word
        return _known_long_word(letters.lower(), lang)
    return True


_WORD_PREFIXES = ("non", "un", "in", "im", "ir", "dis", "mis", "over", "under", "re", "pre", "anti")


@lru_cache(maxsize=4096)
def _known_long_word(lower: str, lang: str) -> bool:
    """Whether simplemma knows a word of five or more letters, also after a common prefix
    ("nonnegotiable" as "negotiable")."""
    import simplemma

    if simplemma.is_known(lower, lang=lang):
        return True
    return any(
        lower.startswith(prefix) and len(lower) - len(prefix) >= 4 and simplemma.is_known(lower[len(prefix) :], lang=lang)
        for prefix in _WORD_PREFIXES
    )


# Detectors read the analysed text, where “ ” „ « » and ‘ ’ ‚ are already straight quotes (_document).
_OPENING_QUOTES = "\"'‹"
_CLOSING_QUOTES = "\"'›"


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is wrapped in quotes, a comma or full stop allowed inside the closing one."""
    if start == 0 or text[start - 1] not in _OPENING_QUOTES:
        return False
    if text[end - 1] == "'":  # the capitals' pattern keeps a closing apostrophe: 'PROOFING'
        return True
    if end < len(text) and text[end] in ".,;:":
        end += 1
    return end < len(text) and text[end] in _CLOSING_QUOTES


def _no_words_between(text: str, end: int, start: int) -> bool:
    """Only spaces and punctuation between a shouted run and the next: "IT WAS NO „FAVOUR“" shouts on."""
    return start - end <= 4 and not any(c.isalnum() for c in text[end:start])


def _sentence_of(sentences: Sequence[Sentence], char: int) -> int:
    """Index of the sentence holding ``char``, or the last one."""
    index = sentence_at(sentences, char)
    return index if index is not None else max(0, len(sentences) - 1)


def detect_caps(text: str, annotation: Annotation, lang: str) -> list[Detected]:
    sentences = annotation.sentences
    found: list[Detected] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if len(run) == 1 and run[0][1] - run[0][0] <= 3 and text[run[0][0] : run[0][1]] not in emphasis_words():
            run.clear()  # a lone short capital word is a code (AP, US), not shouting
        if run and _quoted(text, run[0][0], run[-1][1]) and not (found and _no_words_between(text, found[-1].end, run[0][0])):
            run.clear()  # capitals in quotes quote a sign, a stamp or a form ("the “BUTCHERS” panel")
        if run:
            start, end = run[0][0], run[-1][1]
            found.append(Detected(start, end, _sentence_of(sentences, start), _decapitalise(text[start:end])))
            run.clear()

    sign_off: int | None = None
    for match in _CAPS_WORD.finditer(text):
        word = match.group()
        if word.startswith("PLACEHOLDER") or not _is_shouted_word(word, lang):
            flush()
            continue
        if sign_off is None:
            sign_off = sign_off_start(text)
        if match.start() >= sign_off:  # a name in the signature, not shouting
            break
        sentence = sentences[_sentence_of(sentences, match.start())] if sentences else None
        bounds = (sentence.char_start, sentence.char_end) if sentence is not None else (0, len(text))
        if _names_or_answers(text, match.start(), match.end(), bounds) or _before_legal_form(text, match.end()):
            flush()
            continue
        if run and not text[run[-1][1] : match.start()].strip(" ,"):
            run.append(match.span())
        else:
            flush()
            run.append(match.span())
    flush()
    return found


@lru_cache(maxsize=1)
def _answer_cue() -> Any:
    """A verb asking the reader to send a word back, at the end of the text before a capital word
    (``data/style/answer-cues.txt``): "Just reply YES", "odpíšte ÁNO" — a keyword, not shouting."""
    verbs: list[str] = []
    fillers: list[str] = []
    for line in _style_lines("answer-cues.txt"):
        (fillers if line.startswith("~") else verbs).append(regex.escape(line.lstrip("~")).replace("\\ ", r"\s+"))
    return regex.compile(rf"(?i)\b(?:{'|'.join(verbs)})(?:\s+(?:{'|'.join(fillers)}))?\s+[\"'„“‘]?$")


@lru_cache(maxsize=1)
def _legal_form() -> Any:
    """Legal forms after a company name (``data/style/legal-forms.txt``): "STAVLES s.r.o.", "ACME Ltd"."""
    # "s.r.o." also as "s. r. o.": a space may follow each inner dot
    forms = [regex.escape(line).replace(r"\.", r"\.\s?").removesuffix(r"\s?") for line in _style_lines("legal-forms.txt")]
    return regex.compile(rf"(?i)^(?:{'|'.join(forms)})$")


_WORD_RUN = regex.compile(r"\S+")


def _before_legal_form(text: str, end: int) -> bool:
    """A company name: only capital words and then a legal form end the draft ("TRANSCARGO SK a.s.",
    "BRIGHTWATER PLUMBING Ltd"). The analysed text has its line breaks as spaces, so this is the last
    signature line; a short one, so a long rest of the text is never scanned."""
    if len(text) - end > 40:
        return False
    words = text[end:].split()
    while words and words[0].isupper() and not _legal_form().match(words[0].strip(",;")):
        words.pop(0)
    return len(words) == 1 and bool(_legal_form().match(words[0].strip(",;")))


def _name_kind(word: str) -> str | None:
    """How a word of a name stretch reads: "title" (Coombes, Dr), "caps" (MRICS), "other" (s.r.o., a
    phone number, an e-mail address, which a signature may hold), or None (an ordinary word)."""
    if _legal_form().match(word.strip(",;:()")):
        return "other"
    word = word.strip(",;:().")
    if not word or word[0].isdigit() or "@" in word or word[0] == "+":
        return "other"
    if not word[0].isupper():
        return None
    if word.isupper():
        return "caps" if len(word) > 1 else "title"
    return "title" if word[1:].islower() or word[1:2] == "." else None


def _names_or_answers(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """Capitals that are not shouting by their place: a keyword the reader is asked to send ("reply
    YES"), or a name closing a run of names ("Andrew Coombes MRICS", "Marek Jurik, STAVLES s.r.o.")."""
    if _answer_cue().search(text, max(sentence[0], start - 40), start):
        return True
    before = text[sentence[0] : start].split()
    kinds: list[str | None] = []
    for following in _WORD_RUN.finditer(text, end, sentence[1] + 16):
        kind = _name_kind(following.group())
        if kind is None:
            if following.start() < sentence[1] - 1:
                return False  # the sentence goes on in ordinary words: "Dear Mr Smith, NEVER again"
            break  # the next sentence
        kinds.append(kind)
    for word in reversed(before):
        kind = _name_kind(word)
        if kind is None:
            break
        kinds.append(kind)
    # at least two name words, one of them before it, and no other word in capitals
    leading = _name_kind(before[-1]) if before else None
    return leading in ("title", "other") and kinds.count("title") >= 2 and "caps" not in kinds


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


def detect_repeated_punctuation(text: str, annotation: Annotation, lang: str) -> list[Detected]:
    sentences = annotation.sentences
    found = []
    for match in _REPEATED.finditer(text):
        group = match.group()
        replacement = "?" if "?" in group else "."
        found.append(Detected(match.start(), match.end(), _sentence_of(sentences, match.start()), replacement))
    return found


# Heated sentences: TextBlob (English) or the language's lexicon. An info-level hint only.
HEATED_POLARITY = -0.5
HEATED_SUBJECTIVITY = 0.6


_WORDS = re.compile(r"[\w'*\-]+")
_WORD_PARTS = re.compile(r"[\w*]+")
_PUNCTUATION = b"!\"#$%&()+,./:;<=>?@[\\]^`{|}~"
_ASCII_PUNCTUATION_TO_SPACE = bytes.maketrans(_PUNCTUATION, b" " * len(_PUNCTUATION))


@lru_cache(maxsize=1)
def _sentiment_table() -> tuple[dict[str, float], dict[str, float]]:
    """(polarity, intensity) per word, as TextBlob's English sentiment scores a bare word.

    Mirrors how TextBlob loads its lexicon (senses averaged per part of speech, then over parts of
    speech; adverbs derived from adjectives: "terrible" gives "terribly"), read straight from its
    lexicon file so that TextBlob (and NLTK behind it) is imported only for sentences that can be
    heated. Only words with a polarity, or an intensity other than 1, are kept.
    """
    import importlib.util
    import xml.etree.ElementTree as ElementTree
    from pathlib import Path

    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return {}, {}
    lexicon = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
    senses: dict[str, dict[str | None, list[tuple[float, float]]]] = {}
    for word in ElementTree.parse(lexicon).getroot().iter("word"):
        form = word.get("form")
        if form:
            pair = (float(word.get("polarity") or 0.0), float(word.get("intensity") or 1.0))
            senses.setdefault(form, {}).setdefault(word.get("pos"), []).append(pair)

    def mean(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return sum(p for p, _ in pairs) / len(pairs), sum(i for _, i in pairs) / len(pairs)

    scores: dict[str, tuple[float, float]] = {}
    adjectives: list[tuple[str, tuple[float, float]]] = []
    for form, by_pos in senses.items():
        per_pos = {pos: mean(pairs) for pos, pairs in by_pos.items()}
        scores[form] = mean(list(per_pos.values()))
        if "JJ" in per_pos:
            adjectives.append((form, per_pos["JJ"]))
    for form, score in adjectives:  # TextBlob's Sentiment.load: the adverb takes the adjective's score
        stem = form[:-1] + "i" if form.endswith("y") else form
        stem = stem[:-2] if stem.endswith("le") else stem
        scores[stem + "ly"] = score
    polarity = {w: p for w, (p, _) in scores.items() if p}
    intensity = {w: i for w, (_, i) in scores.items() if i != 1.0}
    return polarity, intensity


_NEGATIONS = frozenset({"not", "n't", "no", "never", "isn't", "aren't", "wasn't", "don't", "doesn't", "didn't", "won't", "can't", "cannot"})
# TextBlob's frowning emoticons (":(", ":-/", "=(", ">.>", ":'(", ...), as a word of their own
_FROWN = regex.compile(r"(?<!\S)>?[:;=>][-'.]*[/\\.sc(\[{<>]")


def _may_be_heated(sentence: str) -> bool:
    """False only when TextBlob cannot give the sentence a polarity at or below HEATED_POLARITY.

    TextBlob's polarity is the mean of its word assessments, so one must reach the threshold. An
    assessment is a word's polarity times at most one modifier's intensity and 1.25 per "!", clamped
    to [-1, 1], then times -0.5 when negated. Emoticons carry their own polarity.
    """
    polarity, intensity = _sentiment_table()
    lowered = sentence.lower().replace("\u2019", "'")
    # whole words ("ill-advised", "can't") and their parts ("ill", "advised", "can", "t")
    if lowered.isascii():
        spaced = lowered.encode().translate(_ASCII_PUNCTUATION_TO_SPACE).decode()
        words = set(spaced.split())
        if "-" in spaced or "'" in spaced:
            words.update(spaced.replace("-", " ").replace("'", " ").split())
    else:
        words = set(_WORDS.findall(lowered)).union(_WORD_PARTS.findall(lowered))
    if (":" in lowered or ";" in lowered or "=" in lowered or ">" in lowered) and _FROWN.search(lowered):
        return True  # a frowning emoticon scores on its own: let TextBlob judge
    polar = polarity.keys() & words
    if not polar:
        return False
    boosts = intensity.keys() & words
    factor = max([1.0, *(intensity[w] for w in boosts)]) * 1.25 ** lowered.count("!")
    scored = [polarity[w] * factor for w in polar]
    if min(scored) <= HEATED_POLARITY:
        return True
    negated = not words.isdisjoint(_NEGATIONS) or "n't" in lowered
    return negated and max(scored) >= HEATED_POLARITY / -0.5


def _textblob_sentiment(sentence: str) -> tuple[float, float]:
    if not _may_be_heated(sentence):
        return 0.0, 0.0  # cannot reach HEATED_POLARITY: skip TextBlob
    polarity, subjectivity = _pattern_sentiment()(sentence)
    return float(polarity), float(subjectivity)


_sentiment_lock = threading.Lock()
_sentiment_analyser: list[Any] = []


def _pattern_sentiment() -> Any:
    """TextBlob's English sentiment analyser (``textblob.en.sentiment``), built once.

    Importing ``textblob`` imports NLTK (0.2-0.4 s of a first check) although the analyser needs
    neither: it lives in ``textblob/_text.py``, which uses only the standard library. So that module
    is loaded on its own and the analyser is built with the arguments ``textblob/en/__init__.py``
    gives it; ``tests/test_engine_caches.py`` compares it with ``textblob.en.sentiment``. Should a
    TextBlob release move things, the package's own analyser is used.
    """
    if _sentiment_analyser:
        return _sentiment_analyser[0]
    with _sentiment_lock:
        if not _sentiment_analyser:
            try:
                analyser = _standalone_sentiment()
            except Exception:  # pragma: no cover - a TextBlob layout this code does not know
                from textblob import en

                analyser = en.sentiment
            _sentiment_analyser.append(analyser)
    return _sentiment_analyser[0]


def _standalone_sentiment() -> Any:
    import importlib.util
    import os

    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob is not installed")
    root = next(iter(spec.submodule_search_locations))
    text_spec = importlib.util.spec_from_file_location("invoicetone._textblob_text", os.path.join(root, "_text.py"))
    if text_spec is None or text_spec.loader is None:
        raise ImportError("textblob/_text.py not found")
    text = importlib.util.module_from_spec(text_spec)
    text_spec.loader.exec_module(text)
    module = os.path.join(root, "en")

    class Sentiment(text.Sentiment):  # type: ignore[misc,name-defined]
        """``textblob.en.Sentiment``: adjectives also score as their adverbs ("terribly")."""

        def load(self, path: Any = None) -> None:
            text.Sentiment.load(self, path)
            if not path:
                w: str
                pos: dict[str, Any]
                for w, pos in list(dict.items(self)):
                    if "JJ" in pos:
                        if w.endswith("y"):
                            w = w[:-1] + "i"
                        if w.endswith("le"):
                            w = w[:-2]
                        p, s, i = pos["JJ"]
                        self.annotate(w + "ly", "RB", p, s, i)

    lexicon = text.Lexicon(
        path=os.path.join(module, "en-lexicon.txt"),
        morphology=os.path.join(module, "en-morphology.txt"),
        context=os.path.join(module, "en-context.txt"),
        entities=os.path.join(module, "en-entities.txt"),
        language="en",
    )
    parser = text.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")
    return Sentiment(
        path=os.path.join(module, "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=parser.find_tokens,
        language="en",
    )


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> dict[str, float]:
    from ._nlp import fold
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


def sentence_polarity(sentence_text: str, annotation: Annotation, sentence: Sentence, lang: str) -> tuple[float, float]:
    """(polarity, subjectivity) of one sentence, -1..1 and 0..1."""
    if lang == "en":
        return _textblob_sentiment(sentence_text)
    lexicon = _lexicon(lang)
    scores = [lexicon[lemma] for lemma in annotation.lemmas[sentence.start : sentence.end] if lemma in lexicon]
    if not scores:
        return 0.0, 0.0
    return max(-1.0, sum(scores) / max(1, len(scores))), 1.0


def detect_heated(text: str, annotation: Annotation, lang: str) -> list[Detected]:
    found = []
    for index, sentence in enumerate(annotation.sentences):
        span_text = text[sentence.char_start : sentence.char_end]
        if len(span_text) < 8:
            continue
        polarity, subjectivity = sentence_polarity(span_text, annotation, sentence, lang)
        if polarity <= HEATED_POLARITY and subjectivity >= HEATED_SUBJECTIVITY:
            found.append(Detected(sentence.char_start, sentence.char_end, index))
    return found


DETECTORS: dict[str, Detector] = {
    "shouting_caps": detect_caps,
    "repeated_punctuation": detect_repeated_punctuation,
    "heated_sentence": detect_heated,
}
