"""Structure checks: which elements of a good reply the draft has, and which are missing.

Element detectors are pack data (``data/elements/<lang>/*.yaml``), run by the same engine as the
phrase rules. An element is found when any of its patterns matches; a required element that is not
found becomes a :class:`~invoicetone.Missing` with a ready-to-paste sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._document import Document
from ._engine import CompiledRules, Hit
from ._model import ElementSpan, Missing
from ._nlp import Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

# A draft with no word at all (empty, whitespace, punctuation) is not judged on structure.
MIN_WORDS_FOR_STRUCTURE = 1


@dataclass(frozen=True)
class StructureResult:
    elements: dict[str, tuple[ElementSpan, ...]]
    missing: tuple[Missing, ...]
    notes: tuple[str, ...] = ()


def analyse_structure(
    compiled: CompiledRules,
    doc: Doc,
    document: Document,
    sentences: Sequence[Sentence],
    hits: Sequence[Hit],
    *,
    required: Sequence[str] | None = None,
) -> StructureResult:
    """Elements found among ``hits`` (the engine's hits of element rules) and the missing ones."""
    found: dict[str, list[ElementSpan]] = {}
    # longest first, so that a shorter hit inside a longer one of the same element is dropped
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        start, end = document.to_original(hit.start, hit.end)
        spans = found.setdefault(hit.rule.id, [])
        if not any(s.start < end and start < s.end for s in spans):
            spans.append(ElementSpan(start, end, document.original[start:end]))
    elements = {name: tuple(spans) for name, spans in sorted(found.items())}
    words = sum(1 for t in doc if t.is_alpha)
    missing: list[Missing] = []
    if words >= MIN_WORDS_FOR_STRUCTURE:
        for element in compiled.elements:
            wanted = element.required if required is None else element.id in required
            if wanted and element.id not in elements:
                missing.append(Missing(element.id, element.message, element.element_suggestion))
    return StructureResult(elements=elements, missing=tuple(missing))
