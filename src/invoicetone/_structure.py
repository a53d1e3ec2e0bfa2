"""Structure checks: which elements of a good reply the draft has, and which are missing.

Element detectors are pack data (``data/elements/<lang>/*.yaml``), run by the same engine as the
phrase rules. An element is found when any of its patterns matches. ``paraphrase`` is also found,
when the client's message is given, in a sentence that speaks about the client and shares the
concern's content words, figures or dispute cues with that message (code, because data cannot say
it). Which elements are required follows from the dispute types of the client's message
(``data/disputes/types.yaml``); a required element that is not found becomes a
:class:`~invoicetone.Missing` whose ready-to-paste sentence uses the known facts (contract terms,
invoice number, amounts) and shows placeholders for the rest. Figures in the draft that contradict
the contract become ``contract.contradiction`` errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._coaching import coaching
from ._contract import Contract, ContractTerm, find_contradictions
from ._dispute import ELEMENT_IDS, ClientAnalysis, content_words, dispute_cues, required_elements
from ._document import Document
from ._engine import CompiledRules, Hit, fold_same_length
from ._model import Category, DisputeType, ElementSpan, Finding, Missing, Severity, Suggestion
from ._nlp import FOLDING_LANGS, Annotation

if TYPE_CHECKING:
    from spacy.tokens import Doc

CONTRADICTION_RULE = "contract.contradiction"
# A draft sentence restates the concern when it shares this many content words with the message,
# or PARAPHRASE_MIN_WITH_FIGURE words and a figure or a cue of the same dispute type. (Measured on the corpus: looser thresholds take blame and plain facts for paraphrase.)
PARAPHRASE_MIN_SHARED = 3
PARAPHRASE_MIN_WITH_FIGURE = 2


@dataclass(frozen=True)
class StructureResult:
    elements: dict[str, tuple[ElementSpan, ...]]
    missing: tuple[Missing, ...]
    notes: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    dispute_types: tuple[DisputeType, ...] = ()
    client_heated: bool | None = None
    contract_terms: tuple[ContractTerm, ...] = ()


def facts_for(contract: Contract | None, client: ClientAnalysis | None) -> dict[str, str]:
    """Slot values known from the contract, then (for gaps) from the client's message."""
    facts: dict[str, str] = dict(client.facts) if client else {}
    if contract is not None:
        facts.update(contract.facts())
    return facts


def paraphrase_sentences(doc: Doc, document: Document, annotation: Annotation, client: ClientAnalysis) -> list[tuple[int, int]]:
    """Analysed-text spans of draft sentences that restate the client's concern."""
    cues = dispute_cues(client.lang)
    client_types = {d.id for d in client.dispute_types}
    type_patterns = [patterns for name, patterns in cues.types if name in client_types]
    folded = fold_same_length(document.text, client.lang in FOLDING_LANGS)
    found: list[tuple[int, int]] = []
    for sentence in annotation.sentences:
        text = folded[sentence.char_start : sentence.char_end]
        if text.rstrip().endswith("?") or not any(p.search(text) for p in cues.frame):
            continue
        if any(p.search(text) for p in cues.not_frame):
            continue
        words, numbers = content_words(doc, annotation, sentence.start, sentence.end, cues.generic)
        shared = len(words & client.content)
        shared_numbers = len(numbers & client.numbers)
        if (
            shared >= PARAPHRASE_MIN_SHARED
            or (shared >= PARAPHRASE_MIN_WITH_FIGURE and shared_numbers)
            or (shared >= PARAPHRASE_MIN_WITH_FIGURE and any(p.search(text) for patterns in type_patterns for p in patterns))
        ):
            found.append((sentence.char_start, sentence.char_end))
    return found


def analyse_structure(
    compiled: CompiledRules,
    doc: Doc,
    document: Document,
    annotation: Annotation,
    hits: Sequence[Hit],
    *,
    required: Sequence[str] | None = None,
    client: ClientAnalysis | None = None,
    contract: Contract | None = None,
    ui_lang: str | None = None,
) -> StructureResult:
    """Elements found among ``hits`` (the engine's hits of element rules), the missing ones, and
    the contract contradictions. ``client`` is the analysed client message (None: not given).
    Messages and notes are in ``ui_lang`` (default: the draft's language); suggestions are always in
    the draft's language, since they are pasted into it."""
    lang = compiled.lang
    text_spans: list[tuple[str, int, int]] = [(h.rule.id, h.start, h.end) for h in hits]
    if client is not None and client.lang == lang:
        text_spans += [("paraphrase", a, b) for a, b in paraphrase_sentences(doc, document, annotation, client)]
    found: dict[str, list[ElementSpan]] = {}
    reach: dict[str, int] = {}  # furthest end of the spans kept so far, per element
    # in text order, longest first at each start: a hit overlapping one already kept is dropped
    for element_id, a, b in sorted(text_spans, key=lambda h: (h[1], -(h[2] - h[1]))):
        start, end = document.to_original(a, b)
        spans = found.setdefault(element_id, [])
        if reach.get(element_id, -1) <= start:
            spans.append(ElementSpan(start, end, document.original[start:end]))
            reach[element_id] = max(reach.get(element_id, -1), end)
    elements = {name: tuple(sorted(spans, key=lambda s: s.start)) for name, spans in sorted(found.items())}

    text = coaching(lang) if lang in ("en", "sk") else None
    ui_text = coaching(ui_lang) if ui_lang in ("en", "sk") else text
    notes: list[str] = []
    dispute_ids = tuple(d.id for d in client.dispute_types) if client else ()
    if ui_text is not None:
        if client is None:
            notes.append(ui_text.notes["no_client_message"])
        elif not client.dispute_types:
            notes.append(ui_text.notes["no_dispute_type"])
        else:
            names = ", ".join(ui_text.dispute_names.get(d, d) for d in dispute_ids)
            notes.append(ui_text.notes["dispute_types"].format(types=names))
        if client is not None and client.heated:
            notes.append(ui_text.notes["client_heated"])
        if contract is not None and contract.source == "text" and not contract.terms:
            notes.append(ui_text.notes["no_terms"])

    facts = facts_for(contract, client)
    has_words = any(ch.isalpha() for ch in document.text)  # stops at the first letter
    missing: list[Missing] = []
    if has_words:
        if required is not None:
            wanted = set(required)
        else:
            wanted = set(required_elements(client.dispute_types if client else None))
            wanted |= {e.id for e in compiled.elements if e.id not in ELEMENT_IDS and e.required}
        seen: set[str] = set()
        for element in compiled.elements:
            if element.id in seen or element.id not in wanted or element.id in elements:
                continue
            seen.add(element.id)
            message = element.message
            suggestion = element.element_suggestion
            if text is not None and ui_text is not None and element.id in ELEMENT_IDS:
                message = ui_text.message(element.id, dispute_ids) or message
                suggestion = text.suggestion(element.id, dispute_ids, facts, heated=bool(client and client.heated)) or suggestion
            severity = Severity.ERROR if element.id == "acknowledgement" and client is not None and client.heated else Severity.WARNING
            missing.append(Missing(element.id, message, suggestion, severity))

    findings: list[Finding] = []
    if contract is not None and ui_text is not None:
        sentence_spans = [(s.char_start, s.char_end) for s in annotation.sentences]
        for contradiction in find_contradictions(contract, document.text, sentence_spans):
            start, end = document.to_original(contradiction.start, contradiction.end)
            clause = {"payment_days": contract.payment_clause, "late_fee": contract.late_fee_clause}.get(contradiction.kind)
            where = ui_text.contradiction["where"].format(clause=clause) if clause else ""
            message = ui_text.contradiction["rule_message"][contradiction.kind].format(
                expected=contradiction.expected, found=contradiction.found, where=where
            )
            findings.append(
                Finding(
                    rule_id=CONTRADICTION_RULE,
                    category=Category.CONTRACT,
                    severity=Severity.ERROR,
                    start=start,
                    end=end,
                    text=document.original[start:end],
                    message=message,
                    suggestions=(Suggestion(contradiction.replacement),),
                    rationale=str(ui_text.contradiction.get("rationale", "")),
                    autofix=False,
                )
            )
    return StructureResult(
        elements=elements,
        missing=tuple(missing),
        notes=tuple(notes),
        findings=tuple(findings),
        dispute_types=client.dispute_types if client else (),
        client_heated=client.heated if client else None,
        contract_terms=contract.terms if contract else (),
    )
