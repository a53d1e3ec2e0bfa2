"""The rule engine: packs compiled into one spaCy Matcher per language, plus regexes.

Pattern hits are narrowed to their ``[ ]`` marker, kept inside one sentence, dropped when an
antipattern overlaps them or a sentence condition says so, and overlapping hits of different rules
resolve to the most specific one (longest span, then highest severity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._document import Document
from ._nlp import FOLDING_LANGS, Sentence, get_pipeline
from ._packs import CompiledPattern, Rule
from .errors import PackError

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


class CompiledRules:
    """All rules and elements of one language, ready to run."""

    def __init__(self, lang: str, rules: Sequence[Rule]) -> None:
        from spacy.matcher import Matcher

        self.lang = lang
        self.folding = lang in FOLDING_LANGS
        self.rules = [r for r in rules if r.lang == lang and r.kind == "rule"]
        self.elements = [r for r in rules if r.lang == lang and r.kind == "element"]
        vocab = get_pipeline(lang).vocab
        self._matcher = Matcher(vocab, validate=True)
        self._anti = Matcher(vocab, validate=True)
        self._keys: dict[int, tuple[Rule, CompiledPattern]] = {}
        self._anti_keys: dict[int, Rule] = {}
        for rule in self.rules + self.elements:
            for index, pattern in enumerate(rule.patterns):
                key = f"{rule.kind}:{rule.id}:{index}"
                try:
                    self._matcher.add(key, [list(pattern.tokens)])
                except (ValueError, KeyError) as exc:
                    raise PackError(f"spaCy rejects pattern {pattern.source!r}: {exc}", path=rule.path, rule_id=rule.id, field="patterns") from exc
                self._keys[vocab.strings[key]] = (rule, pattern)
            if rule.antipatterns:
                key = f"anti:{rule.kind}:{rule.id}"
                try:
                    self._anti.add(key, [list(p.tokens) for p in rule.antipatterns])
                except (ValueError, KeyError) as exc:
                    raise PackError(f"spaCy rejects antipattern: {exc}", path=rule.path, rule_id=rule.id, field="antipatterns") from exc
                self._anti_keys[vocab.strings[key]] = rule
        self.by_id = {r.id: r for r in self.rules}
        self.elements_by_id = {r.id: r for r in self.elements}

    def run(self, doc: Doc, document: Document, sentences: Sequence[Sentence]) -> list[Hit]:
        """Hits of every pattern rule and element of this language, before overlap resolution.

        The Matcher runs once per document; callers filter the hits by the rules they enable.
        """
        rules = [r for r in self.rules + self.elements if not r.detector]
        token_sentence = [0] * len(doc)
        for s_index, sentence in enumerate(sentences):
            for t in range(sentence.start, sentence.end):
                token_sentence[t] = s_index
        anti_spans: dict[int, list[tuple[int, int]]] = {}
        for key, start, end in self._anti(doc) if len(self._anti) else ():
            rule = self._anti_keys[key]
            anti_spans.setdefault(id(rule), []).append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)))
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
        matches = self._matcher(doc, with_alignments=True) if len(self._matcher) else []
        for key, start, end, alignment in matches:
            rule, pattern = self._keys[key]
            first_sentence = token_sentence[start]
            if token_sentence[end - 1] != first_sentence:
                continue
            mark_start, mark_end = start, end
            if pattern.mark is not None:
                low, high = pattern.mark
                inside = [start + i for i, p in enumerate(alignment) if low <= p < high]
                if inside:
                    mark_start, mark_end = inside[0], inside[-1] + 1
            match_chars = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
            last = doc[mark_end - 1]
            hits.append(Hit(rule, doc[mark_start].idx, last.idx + len(last.text), match_chars[0], match_chars[1], first_sentence))
        for rule in rules:
            for pattern_re in rule.regexes:
                for match in pattern_re.finditer(folded):
                    if match.end() <= match.start():
                        continue
                    span = match.span("span") if "span" in pattern_re.groupindex and match.group("span") else match.span()
                    s_index = _sentence_at(sentences, span[0])
                    if s_index is None or _sentence_at(sentences, span[1] - 1) != s_index:
                        continue
                    hits.append(Hit(rule, span[0], span[1], match.start(), match.end(), s_index))
        kept: list[Hit] = []
        for hit in hits:
            if document.masked and all(
                ms <= hit.start and hit.end <= me for ms, me in document.masked
            ):
                continue
            if any(a < hit.match_end and hit.match_start < b for a, b in anti_spans.get(id(hit.rule), ())):
                continue
            if hit.rule.antiregexes:
                window = folded[hit.match_start : hit.match_end]
                stext = sentence_text(hit.sentence)
                if any(r.search(window) or _overlapping(r, stext, hit, sentences) for r in hit.rule.antiregexes):
                    continue
            if hit.rule.sentence_unless and any(r.search(sentence_text(hit.sentence)) for r in hit.rule.sentence_unless):
                continue
            if hit.rule.sentence_requires and not all(r.search(sentence_text(hit.sentence)) for r in hit.rule.sentence_requires):
                continue
            kept.append(hit)
        return kept


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
