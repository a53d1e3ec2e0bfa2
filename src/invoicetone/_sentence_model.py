"""A small linear sentence model behind the phrase rules: it catches offending sentences no rule matched.

The model is two logistic regressions over the same sparse features of a sentence (its tokens'
norms, their bigrams and five-letter stems): one says *whether* a sentence offends, the other
*how* (which category it resembles). Both are trained offline by ``tools/train_sentence_model.py``
on the labelled corpora and shipped as ``data/models/sentence-<lang>.json`` (weights of the
features that matter, a threshold, and the training figures). At run time a sentence costs a few
dictionary look-ups; nothing is downloaded and no numeric library is imported.

The rule that uses it (``detector: sentence_model``) lives in the packs like every other rule. The
checker reports a model finding only for a sentence no phrase rule flagged at warning level.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import regex

from ._nlp import Annotation
from .errors import PackError

MODEL_VERSION = 1
MODEL_DETECTOR = "sentence_model"
# the categories a model finding can take (every phrase category; shouting has its own detector)
MODEL_CATEGORIES = (
    "denial", "blame", "policy", "condescension", "passive_aggression", "threat",
    "absolute", "sarcasm", "minimising", "emotional", "insult",
)
_STEM = 5


def _token_feature(norm: str) -> str | None:
    """The feature form of one token's norm, or None for tokens the model ignores."""
    if not norm:
        return None
    if any(c.isdigit() for c in norm):
        return "<n>"
    if norm[0].isalpha() or norm[0] in "'’":
        return norm.replace("’", "'")
    if norm[0] in "?!":
        return norm[0]
    return None


# norm -> (token form, its unigram feature, its stem feature or "") for the norms met so far
_token_cache: dict[str, tuple[str, str, str] | None] = {}
_CACHE_LIMIT = 200_000


def _token(norm: str) -> tuple[str, str, str] | None:
    found = _token_cache.get(norm, ())
    if found != ():
        return found  # type: ignore[return-value]
    token = _token_feature(norm)
    entry = None
    if token is not None:
        stem = "s|" + token[:_STEM] if len(token) > _STEM and token.isalpha() else ""
        entry = (token, "u|" + token, stem)
    if len(_token_cache) < _CACHE_LIMIT:
        _token_cache[norm] = entry
    return entry


def sentence_features(norms: Sequence[str]) -> set[str]:
    """The sparse features of one sentence, from its tokens' norms (lower-cased, folded as the pack does).

    Unigrams ``u|word``, bigrams ``b|word next`` (with ``<s>`` and ``</s>`` at the ends) and, for
    words longer than five letters, the five-letter stem ``s|stem`` (inflection, mostly Slovak).
    Digits become ``<n>``; punctuation other than ``?`` and ``!`` is ignored.
    """
    entries = [e for e in map(_token, norms) if e is not None]
    tokens = [e[0] for e in entries]
    features = {e[1] for e in entries}
    features.update([e[2] for e in entries if e[2]])
    features.update([f"b|{a} {b}" for a, b in zip(["<s>", *tokens], [*tokens, "</s>"], strict=True)])
    return features


@dataclass(frozen=True)
class SentenceModel:
    """The shipped weights of one language."""

    lang: str
    bias: float
    weights: dict[str, float]
    threshold: float
    # the probability needed when nothing else in the reply is flagged: most replies are fine, so a
    # sentence alone in an otherwise clean reply needs stronger evidence
    solo_threshold: float
    categories: tuple[str, ...]
    category_bias: tuple[float, ...]
    category_weights: dict[str, tuple[float, ...]]
    info: dict[str, Any]

    def probability(self, features: AbstractSet[str]) -> float:
        """The model's probability that a sentence with these features offends the client."""
        total = self.bias + sum(map(self.weights.get, features, repeat(0.0)))
        if total < -30.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-total))

    def category(self, features: AbstractSet[str]) -> str:
        """The category the sentence most resembles."""
        rows = [row for row in map(self.category_weights.get, features) if row is not None]
        scores = [bias + sum(column) for bias, column in zip(self.category_bias, zip(*rows, strict=True), strict=True)] if rows else list(self.category_bias)
        return self.categories[max(range(len(scores)), key=scores.__getitem__)]


_models: dict[str, SentenceModel | None] = {}
_lock = threading.Lock()


def model_path(lang: str) -> Any:
    from ._packs import builtin_data_dir

    return builtin_data_dir() / "models" / f"sentence-{lang}.json"


def parse_model(data: Any, path: str) -> SentenceModel:
    """Validate a model file's content (a clear :class:`PackError` naming the file for any mistake)."""
    try:
        if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
            raise ValueError(f"expected a mapping with version {MODEL_VERSION}")
        categories = tuple(str(c) for c in data["categories"])
        category_bias = tuple(float(b) for b in data["category_bias"])
        # The weights are rounded to three decimals, so a few thousand values recur across some
        # 150,000 slots: one float object per distinct value instead of one per slot (about 3 MB less
        # per language; the same numbers, so the same results).
        shared: dict[float, float] = {}

        def value(raw: Any) -> float:
            number = float(raw)
            return shared.setdefault(number, number)

        category_weights = {str(k): tuple(value(w) for w in v) for k, v in data["category_weights"].items()}
        if len(category_bias) != len(categories) or any(len(v) != len(categories) for v in category_weights.values()):
            raise ValueError("category weights must have one value per category")
        unknown = sorted(set(categories) - set(MODEL_CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {list(MODEL_CATEGORIES)}")
        return SentenceModel(
            lang=str(data["lang"]),
            bias=float(data["bias"]),
            weights={str(k): value(v) for k, v in data["weights"].items()},
            threshold=float(data["threshold"]),
            solo_threshold=float(data["solo_threshold"] if "solo_threshold" in data else data["threshold"]),
            categories=categories,
            category_bias=category_bias,
            category_weights=category_weights,
            info=dict(data.get("info", {})),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PackError(f"invalid sentence model: {exc}", path=path) from exc


def sentence_model(lang: str) -> SentenceModel | None:
    """The shipped model of ``lang`` (None when the language has none), loaded once."""
    if lang in _models:
        return _models[lang]
    with _lock:
        if lang not in _models:
            path = model_path(lang)
            try:
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
            except FileNotFoundError:
                _models[lang] = None
            except (OSError, ValueError) as exc:
                raise PackError(f"cannot load sentence model: {exc}", path=str(path)) from exc
            else:
                _models[lang] = parse_model(data, str(path))
    return _models[lang]


_MIN_WORDS = 3


@dataclass(frozen=True)
class ModelHit:
    """A sentence the model flags, in analysed-text coordinates."""

    start: int
    end: int
    sentence: int
    probability: float
    features: frozenset[str]  # for ``SentenceModel.category``, worked out only for hits that are reported


def detect_offending_sentences(annotation: Annotation, lang: str, skip: Collection[int] = ()) -> list[ModelHit]:
    """Sentences of at least three words whose probability reaches the model's threshold (``skip``: indexes
    of sentences not to read)."""
    model = sentence_model(lang)
    if model is None:
        return []
    found = []
    norms = annotation.norms
    for index, sentence in enumerate(annotation.sentences):
        if index in skip:
            continue
        words = norms[sentence.start : sentence.end]
        if sum(1 for w in words if w[:1].isalpha()) < _MIN_WORDS:
            continue
        features = sentence_features(words)
        probability = model.probability(features)
        if probability >= model.threshold:
            found.append(ModelHit(sentence.char_start, sentence.char_end, index, probability, frozenset(features)))
    return found


_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[\p{L}]*\.?"
    r"|(?:m[aá]j|j[uú]n|j[uú]l|okt)[\p{L}]*"
)
_FACT = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:"
    # 3 May 2026, 3rd May, 15. apríla 2026, 15. 4. 2026
    rf"\p{{N}}{{1,2}}(?:st|nd|rd|th|\.)?\s?(?:(?i:{_MONTH})|\p{{N}}{{1,2}}\.)(?:\s?\p{{N}}{{4}})?"
    # May 3, May 3rd, 2026
    rf"|(?i:{_MONTH})\s\p{{N}}{{1,2}}(?:st|nd|rd|th)?(?:,?\s\p{{N}}{{4}})?"
    # amounts, invoice numbers, codes: €1,250.00, 1 250,00 €, INV-2041, 12/15/2026, 9.5 hours
    r"|(?:[€£$]\s?)?[\p{L}#№]*[-/]?\p{N}(?:[\p{L}\p{N}.,/:\-]|\s(?=\p{N}{3}\b))*(?<=[\p{L}\p{N}])"
    r"(?:\s?(?:[€£$%]|eur|EUR|Kč|CZK|USD|GBP)(?![\p{L}]))?"
    r"(?:\s(?i:hours?|hrs?|days?|weeks?|months?|hod[\p{L}]*|dn[\p{L}]*|dní|týžd[\p{L}]*|mesia[\p{L}]*)(?![\p{L}]))?"
    r")"
)
_FACTS_SLOT = regex.compile(r"\{facts(?:\|([^{}]*))?\}")


def facts_in(text: str) -> list[str]:
    """Amounts, dates, invoice numbers and other figures in ``text``, in order, each once."""
    seen: list[str] = []
    for match in _FACT.finditer(text):
        fact = match.group().strip()
        if fact and fact not in seen:
            seen.append(fact)
    return seen


def fill_facts(template: str, original: str) -> str:
    """Fill ``{facts}`` / ``{facts|fallback}`` with the figures of the replaced text, so a suggestion keeps them."""
    if "{facts" not in template:
        return template
    facts = facts_in(original)

    def slot(match: regex.Match[str]) -> str:
        if facts:
            return ", ".join(facts)
        return match.group(1) or ""

    return _FACTS_SLOT.sub(slot, template)
