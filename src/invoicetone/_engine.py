"""The rule engine: pattern regexes over encoded tokens (see ``_packs``), plus plain regexes.

Pattern hits are narrowed to their ``[ ]`` marker, kept inside one sentence, dropped when an
antipattern overlaps them or a sentence condition says so, and overlapping hits of different rules
resolve to the most specific one (longest span, then highest severity).
"""

from __future__ import annotations

import functools
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from ._document import Document
from ._nlp import FOLDING_LANGS, Annotation, mark_date_dots, sentence_at
from ._packs import SENT_BREAK, T_END, T_FLAGS, T_LEMMA, T_START, Anchor, CompiledPattern, Rule, builtin_data_dir
from ._regexes import LazyRegex, fast_matcher_available, fast_text

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Hit(NamedTuple):
    """A rule hit in analysed-text character coordinates (a named tuple: made by the thousand)."""

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
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDED_CHARS)


class _FoldedChars(dict[int, str]):
    """Code point → its folded lower-case character, filled in as characters are met (for translate)."""

    def __missing__(self, code: int) -> str:
        from ._nlp import fold

        char = chr(code)
        value = (fold(char) or char)[:1] if len(char.lower()) == 1 else char
        self[code] = value
        return value


_FOLDED_CHARS = _FoldedChars()


_NO_LETTER = re.compile(r"[\W\d_]*")  # punctuation, digits: a word with no letter

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
    segments: list[int]  # each token's sentence (its index in the annotation): the stretch between two \x05
    _windows: dict[tuple[int, int, int, int | None], list[tuple[int, int]]] = field(default_factory=dict, compare=False, repr=False)
    # set by ``_AnchorIndex.candidates``: the index whose anchors this document was looked up in;
    # token indexes of each anchor present, worked out on first need (for anchors with stems)
    _index: _AnchorIndex | None = field(default=None, compare=False, repr=False)
    _anchor_positions: dict[int, list[int]] | None = field(default=None, compare=False, repr=False)
    # set by ``_AnchorIndex.candidates``: per chosen pattern, a bit mask of the sentences that hold
    # its anchor and all its other required words (a match cannot cross a sentence), or None when
    # that is every sentence holding its anchor
    _sentence_masks: dict[int, int | None] = field(default_factory=dict, compare=False, repr=False)

    def windows(self, pattern: CompiledPattern) -> list[tuple[int, int]]:
        """Encoded ranges a match of ``pattern`` can lie in: around each occurrence of its anchor."""
        anchor = pattern.anchor
        before = pattern.before
        if anchor is None or (before == 0 and len(self.starts) <= WINDOW_MIN_TOKENS and pattern.literal_start):
            # a short draft is scanned whole by a pattern that opens with its anchor word as a
            # literal (the matcher's fast search beats working out windows); any other pattern
            # would try every token or every common opening word, so it is searched only around
            # its anchor
            return [(0, len(self.text))]
        after = pattern.after
        mask = self._sentence_masks.get(id(pattern))
        key = (id(anchor), before, after, mask)  # the anchor lives as long as its pattern
        cached = self._windows.get(key)
        if cached is not None:
            return cached
        index = self._index
        number = index.number(anchor) if anchor.stems and index is not None else None
        if number is None or index is None:
            where = self.norm_positions if anchor.attr == "norm" else self.lemma_positions
            if len(anchor.exact) == 1 and not anchor.stems:
                positions = where.get(next(iter(anchor.exact)), [])  # in text order already
            else:
                positions = sorted(anchor.positions(where))
        else:
            # a stem anchor would test every word of the document: invert the words' anchor numbers once
            by_number = self._anchor_positions
            if by_number is None:
                by_number = index.positions(self)
                object.__setattr__(self, "_anchor_positions", by_number)
            positions = sorted(by_number.get(number, ()))
        if mask is not None:  # only where the pattern's other words share the anchor's sentence
            segments = self.segments
            positions = [i for i in positions if mask >> segments[i] & 1]
        last = len(self.starts) - 1
        starts, ends = self.starts, self.ends
        found: list[tuple[int, int]] = []
        # positions ascend, so do the (first, last) token ranges: merge touching ones in one pass
        open_first = open_final = -2
        for i in positions:
            first = i - before if i > before else 0
            final = i + after if i + after < last else last
            if first <= open_final + 1:
                if final > open_final:
                    open_final = final
                continue
            if open_final >= 0:
                found.append((starts[open_first], ends[open_final]))
            open_first, open_final = first, final
        if open_final >= 0:
            found.append((starts[open_first], ends[open_final]))
        self._windows[key] = found
        return found


def encode(doc: Doc, annotation: Annotation) -> Encoded:
    norms, lemmas, texts = annotation.norms, annotation.lemmas, annotation.texts
    pieces = annotation.pieces
    if pieces is None:  # an Annotation built by hand: encode its tokens here
        from spacy.attrs import LIKE_NUM

        numeric = doc.to_array([LIKE_NUM]).tolist() if len(doc) else []
        pieces = [
            f"{T_START}{norm}{T_LEMMA}{lemma}{T_FLAGS}{'N' if number else ''}{T_END}"
            for norm, lemma, number in zip(norms, lemmas, numeric, strict=True)
        ]
        if "." in texts:
            mark_date_dots(texts, annotation.starts, pieces)
    else:
        pieces = list(pieces)
    count = len(pieces)
    breaks = sorted({sentence.end for sentence in annotation.sentences if sentence.end < count})
    for at in breaks:  # a sentence break before the first token of the next sentence
        pieces[at] = SENT_BREAK + pieces[at]
    segments = [0] * count  # sentences follow one another, so a sentence is the stretch between two breaks
    for number, sentence in enumerate(annotation.sentences):
        segments[sentence.start : sentence.end] = [number] * (sentence.end - sentence.start)
    ends = list(accumulate(map(len, pieces)))
    starts = [end - len(piece) + (piece[0] == SENT_BREAK) for end, piece in zip(ends, pieces, strict=True)]
    norm_positions: dict[str, list[int]] = {}
    lemma_positions: dict[str, list[int]] = {}
    for index, norm in enumerate(norms):
        found = norm_positions.get(norm)
        if found is None:
            norm_positions[norm] = [index]
        else:
            found.append(index)
    for index, lemma in enumerate(lemmas):
        found = lemma_positions.get(lemma)
        if found is None:
            lemma_positions[lemma] = [index]
        else:
            found.append(index)
    char_starts = annotation.starts
    return Encoded(
        "".join(pieces),
        dict(zip(starts, range(count), strict=True)),
        dict(zip(ends, range(count), strict=True)),
        starts,
        ends,
        norm_positions,
        lemma_positions,
        char_starts,
        [start + len(text) for start, text in zip(char_starts, texts, strict=True)],
        segments,
    )


class _KeyHints(NamedTuple):
    """What ``_AnchorIndex`` files patterns by: the language's stop words, and per attribute (norm,
    lemma) in how many corpus replies each word occurs (``data/wordfreq``)."""

    common_words: frozenset[str]
    counts: Mapping[str, Mapping[str, int]]


def _rarity(anchor: Anchor, hints: _KeyHints, sorted_words: Mapping[str, list[str]]) -> tuple[int, int, int]:
    """How common an anchor is likely to be in a draft (lower: rarer): in how many replies of the
    corpora one of its words occurs; then, for words the counts do not know, plain words before
    stems before anchors with a stop word or punctuation. ``sorted_words``: the counted words, sorted."""
    counts = hints.counts.get(anchor.attr, {})
    replies = sum(map(counts.get, anchor.exact, repeat(0)))
    if anchor.stems:
        words = sorted_words.get(anchor.attr, [])
        for stem in anchor.stems:
            first = bisect_left(words, stem)
            last = bisect_left(words, stem + "\U0010ffff", first)
            replies += sum(counts[word] for word in words[first:last] if word not in anchor.exact)
    size = len(anchor.exact) + len(anchor.stems)
    if replies:  # the counts decide (the rule of thumb below only orders words they do not know)
        return replies, 0, size
    if not anchor.exact.isdisjoint(hints.common_words) or any(_NO_LETTER.fullmatch(word) for word in anchor.exact):
        return 0, 2, size
    return 0, 1 if anchor.stems else 0, size


# a pattern as ``_AnchorIndex.candidates`` walks it, filed under its key anchor (its rarest required
# word): its place in the original order, rule key, pattern, the number of its own anchor (None for a
# pattern without one) and the numbers of its other required anchors (the key left out)
_Entry = tuple[int, tuple[int, bool], "CompiledPattern", "int | None", tuple[int, ...]]


class _AnchorIndex:
    """Patterns by their anchor word, so that a document only touches the patterns it can match.

    Every distinct anchor gets a number. A document's words give the set of anchors present (dict
    lookups, and for stems one lookup per word prefix of a stem's length); a pattern is a candidate
    when its anchor and all its other required words occur in one sentence.

    Each pattern is filed under its rarest required anchor (its key: by the word counts of
    ``data/wordfreq``, not "you", "be" or ","), so a document only walks the patterns whose key it
    holds, and the words looked up one by one are mostly rare ones. The choice of key changes how
    much work a document costs, never which patterns it gets.
    """

    def __init__(self, hints: Callable[[], _KeyHints] | None = None) -> None:
        # what tells rare words from common ones (stop words, word counts): read when the patterns
        # are filed (``_prepare``), not kept afterwards
        self._hints = hints
        self._prepare_lock = threading.Lock()
        self._ids: dict[Anchor, int] = {}
        self._exact: dict[str, dict[str, list[int]]] = {"norm": {}, "lemma": {}}
        self._stems: dict[str, dict[str, list[int]]] = {"norm": {}, "lemma": {}}
        self._stem_lengths: dict[str, list[int]] = {"norm": [], "lemma": []}
        self._by_anchor: dict[int, list[tuple[tuple[int, bool], CompiledPattern, frozenset[int]]]] = {}
        self._always: list[tuple[tuple[int, bool], CompiledPattern, frozenset[int]]] = []
        self._value_cache: dict[str, dict[str, tuple[int, ...]]] = {"norm": {}, "lemma": {}}
        # What ``candidates`` needs, worked out once all patterns are in (``add`` drops it): the
        # anchors looked up word by word (those that open a pattern, and those with stems), their
        # numbers per word, and the plain word lists of all other anchors, looked up only when a
        # pattern asks about them
        self._prepared = False
        self._eager_cache: dict[str, dict[str, tuple[int, ...]]] = {"norm": {}, "lemma": {}}
        self._eager: frozenset[int] = frozenset()
        self._lazy: dict[int, tuple[str, tuple[str, ...]]] = {}
        self._unkeyed: list[tuple[int, tuple[int, bool], CompiledPattern]] = []  # no required word at all
        self._by_key: dict[int, list[_Entry]] = {}

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
        self._prepared = False
        required = frozenset(self._id(anchor) for anchor in pattern.also)
        if pattern.anchor is None:
            self._always.append((key, pattern, required))
        else:
            self._by_anchor.setdefault(self._id(pattern.anchor), []).append((key, pattern, required))

    def _numbers(self, attr: str, value: str) -> tuple[int, ...]:
        """Numbers of the anchors a word (norm or lemma) is one of: exactly or by a stem."""
        cache = self._value_cache[attr]
        numbers = cache.get(value)
        if numbers is None:
            found = list(self._exact[attr].get(value, ()))
            stems = self._stems[attr]
            for length in self._stem_lengths[attr]:
                if length > len(value):
                    break
                found.extend(stems.get(value[:length], ()))
            numbers = tuple(dict.fromkeys(found))
            if len(cache) >= _VALUE_CACHE_MAX:
                cache.clear()
            cache[value] = numbers
        return numbers

    def number(self, anchor: Anchor) -> int | None:
        return self._ids.get(anchor)

    def positions(self, encoded: Encoded) -> dict[int, list[int]]:
        """Token indexes of every anchor present in ``encoded``, by anchor number."""
        found: dict[int, list[int]] = {}
        for attr, values in (("norm", encoded.norm_positions), ("lemma", encoded.lemma_positions)):
            for value, indexes in values.items():
                for number in self._numbers(attr, value):
                    found.setdefault(number, []).extend(indexes)
        return found

    def _prepare(self) -> None:
        # Checkers are shared between threads: one thread files the patterns, the others wait for it
        with self._prepare_lock:
            if not self._prepared:
                self._file_patterns(self._hints() if self._hints is not None else _KeyHints(frozenset(), {}))

    def _file_patterns(self, hints: _KeyHints) -> None:
        anchors = {number: anchor for anchor, number in self._ids.items()}
        sorted_words = {attr: sorted(counts) for attr, counts in hints.counts.items()}
        unkeyed: list[tuple[int, tuple[int, bool], CompiledPattern]] = []
        by_key: dict[int, list[_Entry]] = {}
        # the original order: patterns without an anchor, then by anchor number (``candidates``
        # gives each rule's patterns in this order, as the matcher always has)
        walk: list[tuple[int | None, tuple[tuple[int, bool], CompiledPattern, frozenset[int]]]]
        walk = [(None, entry) for entry in self._always]
        walk += [(number, entry) for number in sorted(self._by_anchor) for entry in self._by_anchor[number]]
        rarity: dict[int, tuple[tuple[int, int, int], int]] = {}

        def rank(number: int) -> tuple[tuple[int, int, int], int]:
            found = rarity.get(number)
            if found is None:
                found = rarity[number] = (_rarity(anchors[number], hints, sorted_words), number)
            return found

        for order, (anchor_number, (key, pattern, required)) in enumerate(walk):
            words = set(required)
            if anchor_number is not None:
                words.add(anchor_number)
            if not words:
                unkeyed.append((order, key, pattern))
            else:
                best = min(words, key=rank)
                others = tuple(sorted(words - {best}, key=rank))  # rarest first: the likeliest to be absent
                by_key.setdefault(best, []).append((order, key, pattern, anchor_number, others))
        self._unkeyed, self._by_key = unkeyed, by_key
        eager = set(by_key)
        eager.update(number for anchor, number in self._ids.items() if anchor.stems)
        self._eager = frozenset(eager)
        self._lazy = {
            number: (anchor.attr, tuple(sorted(anchor.exact))) for anchor, number in self._ids.items() if number not in eager
        }
        self._eager_cache = {"norm": {}, "lemma": {}}
        self._prepared = True

    def _eager_numbers(self, attr: str, value: str) -> tuple[int, ...]:
        """The numbers of :meth:`_numbers` that ``candidates`` looks up word by word."""
        cache = self._eager_cache[attr]
        numbers = cache.get(value)
        if numbers is None:
            eager = self._eager
            numbers = tuple(number for number in self._numbers(attr, value) if number in eager)
            if len(cache) >= _VALUE_CACHE_MAX:
                cache.clear()
            cache[value] = numbers
        return numbers

    def candidates(self, encoded: Encoded) -> dict[tuple[int, bool], list[CompiledPattern]]:
        """The patterns worth running on ``encoded``: their anchor and other required words present.

        Present in one sentence, in fact (a match never crosses one): per anchor number a bit mask
        of the sentences it occurs in, and a pattern is chosen when the masks of its words share a
        bit. The masks are kept on ``encoded`` for its windows.

        The masks are built word by word only for key anchors (and stems); the mask of any other
        anchor is worked out from its word list when a pattern whose key is present first asks.
        """
        if not self._prepared:
            self._prepare()
        segments = encoded.segments
        masks: dict[int, int] = {}
        for attr, values in (("norm", encoded.norm_positions), ("lemma", encoded.lemma_positions)):
            cache = self._eager_cache[attr]
            for value, indexes in values.items():
                numbers = cache.get(value)
                if numbers is None:  # a word not met before (or the bounded cache was cleared)
                    numbers = self._eager_numbers(attr, value)
                if not numbers:
                    continue
                bits = 0
                for index in indexes:
                    bits |= 1 << segments[index]
                for number in numbers:
                    masks[number] = masks.get(number, 0) | bits
        by_key = self._by_key
        present = masks.keys() & by_key.keys()
        lazy = self._lazy
        norm_positions, lemma_positions = encoded.norm_positions, encoded.lemma_positions

        def mask_of(number: int) -> int:  # the first time a pattern asks about a lazy anchor
            bits = 0
            words = lazy.get(number)
            if words is not None:  # an eager anchor missing from ``masks`` is absent
                where = norm_positions if words[0] == "norm" else lemma_positions
                for word in words[1]:
                    for index in where.get(word, ()):
                        bits |= 1 << segments[index]
            masks[number] = bits
            return bits

        object.__setattr__(encoded, "_index", self)  # Encoded is frozen; set once, before any window
        sentence_masks = encoded._sentence_masks
        found: list[tuple[int, tuple[int, bool], CompiledPattern]] = list(self._unkeyed)
        for number in present:
            keyed = masks[number]
            for order, key, pattern, anchor_number, others in by_key[number]:
                shared = keyed
                for other in others:
                    known = masks.get(other)
                    shared &= mask_of(other) if known is None else known
                    if not shared:
                        break
                else:
                    found.append((order, key, pattern))
                    if anchor_number is not None:  # its mask is known by now (the key, or asked above)
                        sentence_masks[id(pattern)] = None if shared == masks[anchor_number] else shared
        found.sort(key=lambda item: item[0])
        chosen: dict[tuple[int, bool], list[CompiledPattern]] = {}
        for _, key, pattern in found:
            chosen.setdefault(key, []).append(pattern)
        return chosen


_VALUE_CACHE_MAX = 200_000


def word_frequencies(lang: str) -> dict[str, dict[str, int]]:
    """In how many corpus replies each word (by attribute: norm, lemma) occurs, from the table
    ``tools/build_word_frequencies.py`` builds; empty for a language without one (or an unreadable one:
    the counts only make the matcher faster)."""
    import gzip
    import json

    path = builtin_data_dir() / "wordfreq" / f"{lang}.json.gz"
    found: dict[str, dict[str, int]] = {"norm": {}, "lemma": {}}
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):  # no table (a language from a user's pack): every word counts as rare
        return found
    for attr in found:
        counts = data.get(attr) if isinstance(data, dict) else None
        if isinstance(counts, dict):
            found[attr] = {word: count for word, count in counts.items() if isinstance(count, int)}
    return found


def _key_hints(lang: str, folding: bool) -> _KeyHints:
    return _KeyHints(_common_words(lang, folding), word_frequencies(lang))


def _common_words(lang: str, folding: bool) -> frozenset[str]:
    """The language's stop words as anchors hold them (lower-cased, folded where the language folds):
    words nearly every draft has, so a poor key for filing patterns (see ``_AnchorIndex``)."""
    import importlib

    try:
        words: Iterable[str] = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    except (ImportError, AttributeError):  # a language spaCy has no stop words for: no word is common
        return frozenset()
    if folding:
        from ._nlp import fold

        return frozenset(fold(word) for word in words)
    return frozenset(word.lower() for word in words)


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
        self._index = _AnchorIndex(functools.partial(_key_hints, lang, self.folding))
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
            pattern_regex, has_mark = pattern.compiled
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
        token_sentence = encoded.segments

        char_starts, char_ends = encoded.char_starts, encoded.char_ends

        def chars(first: int, last: int) -> tuple[int, int]:
            return char_starts[first], char_ends[last]

        folded = fold_same_length(document.text, self.folding)
        # the text as RE2 reads it (``_regexes.fast_text``; None: the `regex` module), made on first need
        fast_state: list[Any] = []

        def fast_folded() -> tuple[bytes | None, bool]:
            if not fast_state:
                fast = fast_text(folded) if fast_matcher_available() else None
                fast_state.extend((fast, fast is not None and not folded.isascii()))
            return fast_state[0], fast_state[1]

        def fast_slice(start: int, end: int) -> bytes | None:
            fast = fast_folded()[0]
            return None if fast is None else fast[start:end]

        sentence_text_cache: dict[int, tuple[str, bytes | None]] = {}

        def sentence_text(index: int) -> str:
            return sentence_texts(index)[0]

        def sentence_texts(index: int) -> tuple[str, bytes | None]:
            cached = sentence_text_cache.get(index)
            if cached is None:
                s = sentences[index]
                cached = (folded[s.char_start : s.char_end], fast_slice(s.char_start, s.char_end))
                sentence_text_cache[index] = cached
            return cached

        anti_matches: dict[tuple[int, int], list[tuple[int, int]]] = {}

        def anti_overlaps(pattern: LazyRegex, hit: Hit) -> bool:
            """An antiregex also kills a hit when its match in the sentence overlaps the hit's match."""
            key = (id(pattern), hit.sentence)
            spans = anti_matches.get(key)
            if spans is None:
                offset = sentences[hit.sentence].char_start
                text, fast = sentence_texts(hit.sentence)
                spans = anti_matches[key] = [
                    (a + offset, b + offset) for a, b in pattern.match_spans(text, fast, fast_folded()[1])
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
                fast, replaced = fast_folded()
                for match_start, match_end, span_start, span_end in pattern_re.spans(folded, fast, replaced):
                    in_sentence = sentence_at(sentences, span_start)
                    if in_sentence is None or sentence_at(sentences, span_end - 1) != in_sentence:
                        continue
                    found.append(Hit(rule, span_start, span_end, match_start, match_end, in_sentence))
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
                    hit_sentence = sentence_text(hit.sentence)
                    replaced = fast_folded()[1]
                    # an antiregex can only match where one of its required literals occurs, in the
                    # hit's sentence (which holds the hit): a few substring tests spare two searches
                    if any(
                        r.may_match(hit_sentence)
                        and (r.found_in(window, fast_slice(hit.match_start, hit.match_end), replaced) or anti_overlaps(r, hit))
                        for r in rule.antiregexes
                    ):
                        continue
                if rule.sentence_unless or rule.sentence_requires:
                    text, fast = sentence_texts(hit.sentence)
                    replaced = fast_folded()[1]
                    if any(r.found_in(text, fast, replaced) for r in rule.sentence_unless):
                        continue
                    if not all(r.found_in(text, fast, replaced) for r in rule.sentence_requires):
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
