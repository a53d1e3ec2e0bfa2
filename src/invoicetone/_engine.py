"""The rule engine: pattern regexes over encoded tokens (see ``_packs``), plus plain regexes.

Pattern hits are narrowed to their ``[ ]`` marker, kept inside one sentence, dropped when an
antipattern overlaps them or a sentence condition says so, and overlapping hits of different rules
resolve to the most specific one (longest span, then highest severity).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

from ._document import Document
from ._nlp import FOLDING_LANGS, Sentence
from ._packs import SENT_BREAK, T_END, T_FLAGS, T_LEMMA, T_START, CompiledPattern, Rule

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Hit:
    """A rule hit in analysed-text character coordinates."""

    rule: Rule
    start: int
    end: int
    match_start: int
    match_end: int
    sentence: int


def fold_same_length(text: str, folding: bool) -> str:
    """Lower-case text, folded per character so that indexes stay aligned."""
    if not folding:
        return text.lower()
    from ._nlp import fold

    if text.isascii():
        return text.lower()
    return "".join((fold(c) or c)[:1] if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Encoded:
    """A document's tokens as one string the compiled patterns run over (see ``_packs``)."""

    text: str
    token_at_start: dict[int, int]  # encoded offset of a token's \x01 → token index
    token_at_end: dict[int, int]  # encoded offset just after a token's \x04 → token index
    norms: frozenset[str]
    lemmas: frozenset[str]


def encode(doc: Doc, sentences: Sequence[Sentence]) -> Encoded:
    from spacy.attrs import LEMMA, LIKE_NUM, NORM

    strings = doc.vocab.strings
    rows = doc.to_array([NORM, LEMMA, LIKE_NUM]).tolist() if len(doc) else []
    norms = [strings[row[0]] for row in rows]
    lemmas = [strings[row[1]] for row in rows]
    sentence_ends = {s.end for s in sentences}
    parts: list[str] = []
    at_start: dict[int, int] = {}
    at_end: dict[int, int] = {}
    position = 0
    for index, row in enumerate(rows):
        if index in sentence_ends:
            parts.append(SENT_BREAK)
            position += 1
        piece = f"{T_START}{norms[index]}{T_LEMMA}{lemmas[index]}{T_FLAGS}{'N' if row[2] else ''}{T_END}"
        at_start[position] = index
        position += len(piece)
        at_end[position] = index
        parts.append(piece)
    return Encoded("".join(parts), at_start, at_end, frozenset(norms), frozenset(lemmas))


@dataclass(frozen=True)
class _PatternSet:
    """A rule's pattern regexes, each with the anchor that makes running it worthwhile."""

    patterns: tuple[CompiledPattern, ...]

    @classmethod
    def of(cls, patterns: Sequence[CompiledPattern]) -> _PatternSet:
        # Kept as separate regexes: one alternation of all branches is several times slower.
        return cls(tuple(patterns))

    def wanted(self, encoded: Encoded) -> list[Any]:
        return [
            p.regex for p in self.patterns if p.anchor is None or p.anchor.present(encoded.norms, encoded.lemmas)
        ]


class CompiledRules:
    """All rules and elements of one language, ready to run."""

    def __init__(self, lang: str, rules: Sequence[Rule]) -> None:
        self.lang = lang
        self.folding = lang in FOLDING_LANGS
        self.rules = [r for r in rules if r.lang == lang and r.kind == "rule"]
        self.elements = [r for r in rules if r.lang == lang and r.kind == "element"]
        self.by_id = {r.id: r for r in self.rules}
        self.elements_by_id = {r.id: r for r in self.elements}
        self._pattern_rules = [r for r in self.rules + self.elements if not r.detector]
        # A rule's patterns run only when one of their anchor words is in the document; antipatterns
        # only for rules that hit.
        self._combined: dict[int, _PatternSet] = {}
        for rule in self._pattern_rules:
            self._combined[id(rule)] = _PatternSet.of(rule.patterns)
            self._combined[-id(rule)] = _PatternSet.of(rule.antipatterns)

    @staticmethod
    def _matches(patterns: _PatternSet, encoded: Encoded) -> Iterator[tuple[int, int, int, int]]:
        """(mark first token, mark last token, match first token, match last token) per match."""
        for pattern_regex in patterns.wanted(encoded):
            has_mark = "mark" in pattern_regex.groupindex
            for match in pattern_regex.finditer(encoded.text):
                if match.end() <= match.start():
                    continue
                first = encoded.token_at_start[match.start()]
                last = encoded.token_at_end[match.end()]
                mark_first, mark_last = first, last
                if has_mark and match.group("mark"):
                    mark_first = encoded.token_at_start[match.start("mark")]
                    mark_last = encoded.token_at_end[match.end("mark")]
                yield mark_first, mark_last, first, last

    def run(self, doc: Doc, document: Document, sentences: Sequence[Sentence]) -> list[Hit]:
        """Hits of every pattern rule and element of this language, before overlap resolution.

        Runs once per document; callers filter the hits by the rules they enable.
        """
        encoded = encode(doc, sentences)
        token_sentence = [0] * len(doc)
        for s_index, sentence in enumerate(sentences):
            for t in range(sentence.start, sentence.end):
                token_sentence[t] = s_index

        def chars(first: int, last: int) -> tuple[int, int]:
            return doc[first].idx, doc[last].idx + len(doc[last])

        folded = fold_same_length(document.text, self.folding)
        sentence_text_cache: dict[int, str] = {}

        def sentence_text(index: int) -> str:
            cached = sentence_text_cache.get(index)
            if cached is None:
                s = sentences[index]
                cached = folded[s.char_start : s.char_end]
                sentence_text_cache[index] = cached
            return cached

        hits: list[Hit] = []
        for rule in self._pattern_rules:
            found: list[Hit] = []
            for mark_first, mark_last, first, last in self._matches(self._combined[id(rule)], encoded):
                start, end = chars(mark_first, mark_last)
                match_start, match_end = chars(first, last)
                found.append(Hit(rule, start, end, match_start, match_end, token_sentence[first]))
            for pattern_re in rule.regexes:
                for match in pattern_re.finditer(folded):
                    if match.end() <= match.start():
                        continue
                    span = match.span("span") if "span" in pattern_re.groupindex and match.group("span") else match.span()
                    s_index = _sentence_at(sentences, span[0])
                    if s_index is None or _sentence_at(sentences, span[1] - 1) != s_index:
                        continue
                    found.append(Hit(rule, span[0], span[1], match.start(), match.end(), s_index))
            if not found:
                continue
            anti_spans = [chars(first, last) for _, _, first, last in self._matches(self._combined[-id(rule)], encoded)]
            for hit in found:
                if document.masked and any(ms <= hit.start and hit.end <= me for ms, me in document.masked):
                    continue
                if any(a < hit.match_end and hit.match_start < b for a, b in anti_spans):
                    continue
                if rule.antiregexes:
                    window = folded[hit.match_start : hit.match_end]
                    stext = sentence_text(hit.sentence)
                    if any(r.search(window) or _overlapping(r, stext, hit, sentences) for r in rule.antiregexes):
                        continue
                if rule.sentence_unless and any(r.search(sentence_text(hit.sentence)) for r in rule.sentence_unless):
                    continue
                if rule.sentence_requires and not all(r.search(sentence_text(hit.sentence)) for r in rule.sentence_requires):
                    continue
                hits.append(hit)
        return hits


def _overlapping(pattern: Any, sentence_text: str, hit: Hit, sentences: Sequence[Sentence]) -> bool:
    """An antiregex also kills a hit when its match in the sentence overlaps the hit's match."""
    offset = sentences[hit.sentence].char_start
    for match in pattern.finditer(sentence_text):
        a, b = match.start() + offset, match.end() + offset
        if a < hit.match_end and hit.match_start < b:
            return True
    return False


def _sentence_at(sentences: Sequence[Sentence], char: int) -> int | None:
    for index, sentence in enumerate(sentences):
        if sentence.char_start <= char < sentence.char_end:
            return index
    return None


def resolve_overlaps(hits: Sequence[Hit]) -> list[Hit]:
    """One hit per rule per place, and the most specific rule where rules overlap."""
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), -h.rule.severity.rank, h.start, h.rule.id))
    accepted: list[Hit] = []
    for hit in ordered:
        if any(a.start < hit.end and hit.start < a.end for a in accepted):
            continue
        accepted.append(hit)
    accepted.sort(key=lambda h: (h.start, h.end, h.rule.id))
    return accepted
