"""The rule engine: pattern regexes over encoded tokens (see ``_packs``), plus plain regexes.

Pattern hits are narrowed to their ``[ ]`` marker, kept inside one sentence, dropped when an
antipattern overlaps them or a sentence condition says so, and overlapping hits of different rules
resolve to the most specific one (longest span, then highest severity).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ._document import Document
from ._nlp import FOLDING_LANGS, Annotation, sentence_at
from ._packs import SENT_BREAK, T_END, T_FLAGS, T_LEMMA, T_START, Anchor, CompiledPattern, Rule

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
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered
        # a few characters lower-case to two ("İ" → "i̇"): keep those as they are
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    from ._nlp import fold

    if text.isascii():
        return text.lower()
    return "".join((fold(c) or c)[:1] if len(c.lower()) == 1 else c for c in text)


# Drafts longer than this many tokens are searched only around anchors (keeps time linear in length).
WINDOW_MIN_TOKENS = 400


@dataclass(frozen=True)
class Encoded:
    """A document's tokens as one string the compiled patterns run over (see ``_packs``)."""

    text: str
    token_at_start: dict[int, int]  # encoded offset of a token's \x01 → token index
    token_at_end: dict[int, int]  # encoded offset just after a token's \x04 → token index
    starts: list[int]  # encoded offset of each token's \x01
    ends: list[int]  # encoded offset just after each token's \x04
    norm_positions: dict[str, list[int]]
    lemma_positions: dict[str, list[int]]
    char_starts: list[int]  # each token's offset in the analysed text
    char_ends: list[int]
    _windows: dict[tuple[Anchor, int, int], list[tuple[int, int]]] = field(default_factory=dict, compare=False, repr=False)

    def windows(self, pattern: CompiledPattern) -> list[tuple[int, int]]:
        """Encoded ranges a match of ``pattern`` can lie in: around each occurrence of its anchor."""
        anchor = pattern.anchor
        if anchor is None or (pattern.literal_start and pattern.before == 0 and len(self.starts) <= WINDOW_MIN_TOKENS):
            # a short draft is scanned whole by a pattern that opens with its anchor word as a
            # literal (the matcher's fast search beats working out windows); any other pattern
            # would try every token or every common opening word, so it is searched only around
            # its anchor
            return [(0, len(self.text))]
        key = (anchor, pattern.before, pattern.after)
        cached = self._windows.get(key)
        if cached is not None:
            return cached
        where = self.norm_positions if anchor.attr == "norm" else self.lemma_positions
        positions = anchor.positions(where)
        last = len(self.starts) - 1
        merged: list[tuple[int, int]] = []
        for first, final in sorted((max(0, i - pattern.before), min(last, i + pattern.after)) for i in positions):
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], final))
            else:
                merged.append((first, final))
        found = self._windows[key] = [(self.starts[a], self.ends[b]) for a, b in merged]
        return found


def encode(doc: Doc, annotation: Annotation) -> Encoded:
    from spacy.attrs import LIKE_NUM

    norms, lemmas, texts = annotation.norms, annotation.lemmas, annotation.texts
    numeric = doc.to_array([LIKE_NUM]).tolist() if len(doc) else []
    breaks_before = {s.end for s in annotation.sentences}
    pieces = [
        (SENT_BREAK + T_START if index in breaks_before else T_START)
        + f"{norm}{T_LEMMA}{lemma}{T_FLAGS}{'N' if number else ''}{T_END}"
        for index, (norm, lemma, number) in enumerate(zip(norms, lemmas, numeric, strict=True))
    ]
    ends = list(accumulate(len(piece) for piece in pieces))
    starts = [end - len(piece) + (piece[0] == SENT_BREAK) for end, piece in zip(ends, pieces, strict=True)]
    norm_positions: dict[str, list[int]] = {}
    lemma_positions: dict[str, list[int]] = {}
    for index, norm in enumerate(norms):
        norm_positions.setdefault(norm, []).append(index)
    for index, lemma in enumerate(lemmas):
        lemma_positions.setdefault(lemma, []).append(index)
    char_starts = annotation.starts
    return Encoded(
        "".join(pieces),
        dict(zip(starts, range(len(starts)), strict=True)),
        dict(zip(ends, range(len(ends)), strict=True)),
        starts,
        ends,
        norm_positions,
        lemma_positions,
        char_starts,
        [start + len(text) for start, text in zip(char_starts, texts, strict=True)],
    )


class _AnchorIndex:
    """Patterns by their anchor word, so that a document only touches the patterns it can match.

    Every distinct anchor gets a number. A document's words give the set of anchors present (dict
    lookups, and for stems one lookup per word prefix of a stem's length); a pattern is a candidate
    when its anchor is present and the numbers of its other required words are a subset of that set.
    """

    def __init__(self) -> None:
        self._ids: dict[Anchor, int] = {}
        self._exact: dict[str, dict[str, list[int]]] = {"norm": {}, "lemma": {}}
        self._stems: dict[str, dict[str, list[int]]] = {"norm": {}, "lemma": {}}
        self._stem_lengths: dict[str, list[int]] = {"norm": [], "lemma": []}
        self._by_anchor: dict[int, list[tuple[tuple[int, bool], CompiledPattern, frozenset[int]]]] = {}
        self._always: list[tuple[tuple[int, bool], CompiledPattern, frozenset[int]]] = []

    def _id(self, anchor: Anchor) -> int:
        number = self._ids.get(anchor)
        if number is None:
            number = self._ids[anchor] = len(self._ids)
            for value in anchor.exact:
                self._exact[anchor.attr].setdefault(value, []).append(number)
            for stem in anchor.stems:
                self._stems[anchor.attr].setdefault(stem, []).append(number)
                lengths = self._stem_lengths[anchor.attr]
                if len(stem) not in lengths:
                    lengths.append(len(stem))
                    lengths.sort()
        return number

    def add(self, pattern: CompiledPattern, key: tuple[int, bool]) -> None:
        required = frozenset(self._id(anchor) for anchor in pattern.also)
        if pattern.anchor is None:
            self._always.append((key, pattern, required))
        else:
            self._by_anchor.setdefault(self._id(pattern.anchor), []).append((key, pattern, required))

    def candidates(self, encoded: Encoded) -> dict[tuple[int, bool], list[CompiledPattern]]:
        present: set[int] = set()
        for attr, values in (("norm", encoded.norm_positions), ("lemma", encoded.lemma_positions)):
            exact = self._exact[attr]
            for value in values:
                numbers = exact.get(value)
                if numbers:
                    present.update(numbers)
            lengths = self._stem_lengths[attr]
            if lengths:
                stems = self._stems[attr]
                for value in values:
                    for length in lengths:
                        if length > len(value):
                            break
                        numbers = stems.get(value[:length])
                        if numbers:
                            present.update(numbers)
        chosen: dict[tuple[int, bool], list[CompiledPattern]] = {}
        for key, pattern, required in self._always:
            if required <= present:
                chosen.setdefault(key, []).append(pattern)
        by_anchor = self._by_anchor
        for number in sorted(present.intersection(by_anchor)):
            for key, pattern, required in by_anchor[number]:
                if required <= present:
                    chosen.setdefault(key, []).append(pattern)
        return chosen


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
        self._index = _AnchorIndex()
        self._regex_rules = {n for n, rule in enumerate(self._pattern_rules) if rule.regexes}
        for number, rule in enumerate(self._pattern_rules):
            for pattern in rule.patterns:
                self._index.add(pattern, (number, False))
            for pattern in rule.antipatterns:
                self._index.add(pattern, (number, True))

    @staticmethod
    def _matches(patterns: Sequence[CompiledPattern], encoded: Encoded) -> Iterator[tuple[int, int, int, int]]:
        """(mark first token, mark last token, match first token, match last token) per match.

        A pattern is searched only in the windows around its anchor word (none: not at all).
        """
        for pattern in patterns:
            pattern_regex = pattern.regex
            has_mark = "mark" in pattern_regex.groupindex
            for window_start, window_end in encoded.windows(pattern):
                for match in pattern_regex.finditer(encoded.text, window_start, window_end):
                    if match.end() <= match.start():
                        continue
                    first = encoded.token_at_start[match.start()]
                    last = encoded.token_at_end[match.end()]
                    mark_first, mark_last = first, last
                    if has_mark and match.group("mark"):
                        mark_first = encoded.token_at_start[match.start("mark")]
                        mark_last = encoded.token_at_end[match.end("mark")]
                    yield mark_first, mark_last, first, last

    def run(self, doc: Doc, document: Document, annotation: Annotation) -> list[Hit]:
        """Hits of every pattern rule and element of this language, before overlap resolution.

        Runs once per document; callers filter the hits by the rules they enable.
        """
        sentences = annotation.sentences
        encoded = encode(doc, annotation)
        token_sentence = [0] * len(doc)
        for s_index, sentence in enumerate(sentences):
            for t in range(sentence.start, sentence.end):
                token_sentence[t] = s_index

        char_starts, char_ends = encoded.char_starts, encoded.char_ends

        def chars(first: int, last: int) -> tuple[int, int]:
            return char_starts[first], char_ends[last]

        folded = fold_same_length(document.text, self.folding)
        sentence_text_cache: dict[int, str] = {}

        def sentence_text(index: int) -> str:
            cached = sentence_text_cache.get(index)
            if cached is None:
                s = sentences[index]
                cached = folded[s.char_start : s.char_end]
                sentence_text_cache[index] = cached
            return cached

        anti_matches: dict[tuple[int, int], list[tuple[int, int]]] = {}

        def anti_overlaps(pattern: Any, hit: Hit) -> bool:
            """An antiregex also kills a hit when its match in the sentence overlaps the hit's match."""
            key = (id(pattern), hit.sentence)
            spans = anti_matches.get(key)
            if spans is None:
                offset = sentences[hit.sentence].char_start
                spans = anti_matches[key] = [
                    (m.start() + offset, m.end() + offset) for m in pattern.finditer(sentence_text(hit.sentence))
                ]
            return any(a < hit.match_end and hit.match_start < b for a, b in spans)

        hits: list[Hit] = []
        candidates = self._index.candidates(encoded)
        wanted = sorted({number for number, anti in candidates if not anti} | self._regex_rules)
        for number in wanted:
            rule = self._pattern_rules[number]
            patterns = candidates.get((number, False), ())
            found: list[Hit] = []
            for mark_first, mark_last, first, last in self._matches(patterns, encoded):
                start, end = chars(mark_first, mark_last)
                match_start, match_end = chars(first, last)
                found.append(Hit(rule, start, end, match_start, match_end, token_sentence[first]))
            for pattern_re in rule.regexes:
                if not pattern_re.may_match(folded):
                    continue
                for match in pattern_re.finditer(folded):
                    if match.end() <= match.start():
                        continue
                    span = match.span("span") if "span" in pattern_re.groupindex and match.group("span") else match.span()
                    in_sentence = sentence_at(sentences, span[0])
                    if in_sentence is None or sentence_at(sentences, span[1] - 1) != in_sentence:
                        continue
                    found.append(Hit(rule, span[0], span[1], match.start(), match.end(), in_sentence))
            if not found:
                continue
            anti_spans = [chars(first, last) for _, _, first, last in self._matches(candidates.get((number, True), ()), encoded)]
            for hit in found:
                if document.masked and document.inside_mask(hit.start, hit.end):
                    continue
                if any(a < hit.match_end and hit.match_start < b for a, b in anti_spans):
                    continue
                if rule.antiregexes:
                    window = folded[hit.match_start : hit.match_end]
                    if any(r.search(window) or anti_overlaps(r, hit) for r in rule.antiregexes):
                        continue
                if rule.sentence_unless and any(r.search(sentence_text(hit.sentence)) for r in rule.sentence_unless):
                    continue
                if rule.sentence_requires and not all(r.search(sentence_text(hit.sentence)) for r in rule.sentence_requires):
                    continue
                hits.append(hit)
        return hits


def resolve_overlaps(hits: Sequence[Hit]) -> list[Hit]:
    """One hit per rule per place, and the most specific rule where rules overlap.

    Longest (then most severe) first; the accepted spans never overlap, so they are kept sorted and
    a new hit need only be compared with its two neighbours (n log n for long documents).
    """
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), -h.rule.severity.rank, h.start, h.rule.id))
    starts: list[int] = []
    accepted: list[Hit] = []
    for hit in ordered:
        at = bisect_right(starts, hit.start)
        if at > 0 and accepted[at - 1].end > hit.start:
            continue
        if at < len(accepted) and accepted[at].start < hit.end:
            continue
        starts.insert(at, hit.start)
        accepted.insert(at, hit)
    accepted.sort(key=lambda h: (h.start, h.end, h.rule.id))
    return accepted
