"""The Checker: configuration plus cached, lazily built pipelines and compiled packs."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ._contract import coerce_contract
from ._dispute import analyse_client
from ._document import Document, plain_document
from ._engine import CompiledRules, Hit, resolve_overlaps
from ._langdetect import detect_language
from ._model import Category, Finding, Missing, Report, Severity, Suggestion
from ._nlp import SUPPORTED_LANGS, annotate, get_pipeline
from ._packs import Rule, builtin_pack_dirs, entry_point_pack_dirs, load_rules, selects
from ._scoring import penalties_for, score
from ._sentence_model import MODEL_CATEGORIES, MODEL_DETECTOR, detect_offending_sentences, fill_facts, sentence_model
from ._structure import analyse_structure
from ._style import DETECTORS
from .errors import ConfigError, InputError, InputTooLarge

DEFAULT_MAX_CHARS = 1_000_000
_MODEL_QUIET_ELEMENTS = frozenset({"acknowledgement", "paraphrase"})
_MIN_PARALLEL_CHUNK = 16  # drafts per task sent to a worker process (fewer: not worth a process)

_cache_lock = threading.Lock()
_compiled_cache: dict[tuple[Any, ...], dict[str, CompiledRules]] = {}


@dataclass(frozen=True)
class CheckerConfig:
    """Everything that decides a Checker's behaviour; hashable, so compiled packs can be shared."""

    lang: str | None = None
    packs: tuple[str, ...] = ()
    builtin_packs: bool = True
    plugin_packs: bool = True
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    categories: frozenset[str] | None = None
    ignore_categories: frozenset[str] = frozenset()
    severity_overrides: tuple[tuple[str, str], ...] = ()
    required_elements: tuple[str, ...] | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    heated_hint: bool = True
    ui_lang: str | None = None

    @property
    def pack_key(self) -> tuple[Any, ...]:
        return (self.packs, self.builtin_packs, self.plugin_packs)


def _as_frozenset(value: Iterable[str] | None, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise ConfigError("must be a list of strings", key=name)
    return frozenset(items)


class Checker:
    """Checks drafts. Build once, reuse: pipelines and packs are compiled lazily and cached.

    Thread-safe for checking; picklable (only the configuration travels, the worker rebuilds).
    """

    def __init__(
        self,
        *,
        lang: str | None = None,
        packs: Sequence[str | Path] = (),
        builtin_packs: bool = True,
        plugin_packs: bool = True,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        categories: Iterable[str] | None = None,
        ignore_categories: Iterable[str] = (),
        severity_overrides: Mapping[str, str] | None = None,
        required_elements: Iterable[str] | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
        heated_hint: bool = True,
        ui_lang: str | None = None,
    ) -> None:
        if lang is not None and lang not in SUPPORTED_LANGS:
            raise ConfigError(f"unsupported language {lang!r}; use one of {list(SUPPORTED_LANGS)} or None", key="lang")
        if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars <= 0:
            raise ConfigError("must be a positive integer", key="max_chars")
        overrides = dict(severity_overrides or {})
        for rule_id, value in overrides.items():
            if value not in {s.value for s in Severity}:
                raise ConfigError(f"severity for {rule_id!r} must be info, warning or error, not {value!r}", key="severity_overrides")
        categories_set = _as_frozenset(categories, "categories")
        ignore_categories_set = _as_frozenset(ignore_categories, "ignore_categories") or frozenset()
        known = {c.value for c in Category}
        for name in (categories_set or frozenset()) | ignore_categories_set:
            if name not in known:
                raise ConfigError(f"unknown category {name!r}; known: {sorted(known)}", key="categories")
        self._config = CheckerConfig(
            lang=lang,
            packs=tuple(str(Path(p)) for p in packs),
            builtin_packs=builtin_packs,
            plugin_packs=plugin_packs,
            select=_as_frozenset(select, "select"),
            ignore=_as_frozenset(ignore, "ignore") or frozenset(),
            categories=categories_set,
            ignore_categories=ignore_categories_set,
            severity_overrides=tuple(sorted(overrides.items())),
            required_elements=tuple(required_elements) if required_elements is not None else None,
            max_chars=max_chars,
            heated_hint=heated_hint,
            ui_lang=_ui_language(ui_lang),
        )
        self._enabled_cache: dict[str, tuple[CompiledRules, list[Rule], set[int]]] = {}  # rules with a detector, ids

    # -- pickling: only the configuration travels
    def __getstate__(self) -> dict[str, Any]:
        return {"config": self._config}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._config = state["config"]
        self._enabled_cache = {}

    def __repr__(self) -> str:
        return f"Checker(lang={self._config.lang!r}, packs={list(self._config.packs)!r})"

    @property
    def config(self) -> CheckerConfig:
        return self._config

    # -- packs
    def _compiled(self, lang: str) -> CompiledRules:
        key = self._config.pack_key
        compiled = _compiled_cache.get(key)
        if compiled is not None and lang in compiled:
            return compiled[lang]
        with _cache_lock:
            compiled = _compiled_cache.setdefault(key, {})
            if lang not in compiled:
                compiled[lang] = CompiledRules(lang, self.load_rules(lang))
            return compiled[lang]

    def load_rules(self, lang: str | None = None) -> list[Rule]:
        """Every rule and element this checker uses (of ``lang``, or all), in load order (validated)."""
        dirs: list[Path] = []
        builtin = builtin_pack_dirs() if self._config.builtin_packs else []
        dirs.extend(builtin)
        if self._config.plugin_packs:
            dirs.extend(entry_point_pack_dirs())
        dirs.extend(Path(p) for p in self._config.packs)
        return load_rules(dirs, lang=lang, trusted=builtin)

    def rules(self, lang: str | None = None) -> list[Rule]:
        """The phrase rules in force (after select / ignore), for ``lang`` or every language."""
        langs = [lang] if lang else list(SUPPORTED_LANGS)
        out: list[Rule] = []
        for code in langs:
            out.extend(r for r in self._compiled(code).rules if self._enabled(r))
        return out

    def _enabled_id(self, rule_id: str, category: str) -> bool:
        """select / ignore / categories applied to a rule id and category (pack rule or not)."""
        cfg = self._config
        if cfg.select is not None and not any(selects(s, rule_id, category) for s in cfg.select):
            return False
        if any(selects(s, rule_id, category) for s in cfg.ignore):
            return False
        if cfg.categories is not None and category not in cfg.categories:
            return False
        return category not in cfg.ignore_categories

    def _enabled_rules(self, lang: str, compiled: CompiledRules) -> tuple[list[Rule], set[int]]:
        """The enabled rules of ``lang`` that have a detector, and the ids of all enabled rules (computed once
        per language; the configuration is immutable)."""
        cached = self._enabled_cache.get(lang)
        if cached is None or cached[0] is not compiled:
            rules = [r for r in compiled.rules if self._enabled(r)]
            cached = (compiled, [r for r in rules if r.detector], {id(r) for r in rules})
            self._enabled_cache[lang] = cached
        return cached[1], cached[2]

    def _enabled(self, rule: Rule) -> bool:
        if rule.detector == "heated_sentence" and not self._config.heated_hint:
            return False
        if rule.detector == MODEL_DETECTOR:  # its findings take the category they resemble
            return any(self._enabled_id(rule.id, c) for c in (rule.category.value, *MODEL_CATEGORIES))
        return self._enabled_id(rule.id, rule.category.value)

    # -- checking
    def check(
        self,
        text: str,
        *,
        lang: str | None = None,
        client_message: str | None = None,
        contract: Any = None,
        ui_lang: str | None = None,
    ) -> Report:
        """Check one draft; offsets in the result index ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"check() needs the draft as str, not {type(text).__name__}")
        self._check_size(text)
        return self.check_document(
            plain_document(text), lang=lang, client_message=client_message, contract=contract, ui_lang=ui_lang
        )

    def check_document(
        self,
        document: Document,
        *,
        lang: str | None = None,
        client_message: str | None = None,
        contract: Any = None,
        doc: Any = None,
        ui_lang: str | None = None,
    ) -> Report:
        """Check a :class:`Document` built by an input adapter (HTML, e-mail, template, …)."""
        # the analysed text: a unit of a large template library is judged by its own size
        self._check_size(document.text)
        client = self._client(client_message, lang)
        code, confidence = self._language(document.text, lang)
        return self._check_analysed(document, code, confidence, client, coerce_contract(contract), doc, ui_lang)

    def _client(self, client_message: str | None, lang: str | None) -> Any:
        """The analysed client message (None when not given or blank)."""
        if client_message is not None and not isinstance(client_message, str):
            raise TypeError(f"client_message must be str or None, not {type(client_message).__name__}")
        if client_message is None or not client_message.strip():
            return None
        return analyse_client(client_message, self._language(client_message, lang)[0])

    def _check_analysed(
        self, document: Document, code: str, confidence: float, client: Any, contract_terms: Any, doc: Any, ui_lang: str | None
    ) -> Report:
        """The check proper, once the language, client message and contract are known."""
        if not document.text.strip():
            return Report(100.0, score([])[1], (), (), code, confidence)
        compiled = self._compiled(code)
        if doc is None:
            doc = get_pipeline(code).make_doc(document.text)
        annotation = annotate(doc, document, code)
        detector_rules, enabled = self._enabled_rules(code, compiled)
        all_hits = compiled.run(doc, document, annotation)
        hits = [h for h in all_hits if id(h.rule) in enabled]
        element_hits = [h for h in all_hits if h.rule.kind == "element"]
        replacements: dict[int, str] = {}
        model_rules = []
        for rule in detector_rules:
            if rule.detector == MODEL_DETECTOR:
                model_rules.append(rule)
            else:
                for found in DETECTORS[rule.detector](document.text, annotation, code):
                    if document.overlaps_mask(found.start, found.end) and found.end - found.start <= 1:
                        continue
                    hit = Hit(rule, found.start, found.end, found.start, found.end, found.sentence)
                    if found.replacement is not None:
                        replacements[id(hit)] = found.replacement
                    hits.append(hit)
        for rule in model_rules:
            hits += self._model_hits(rule, annotation, code, hits, element_hits)
        phrase_hits = [h for h in hits if not h.rule.detector]
        # an info-level hint (a heated sentence) is resolved on its own: were it weighed with the
        # detectors' warnings, the longer hint would hide the shouting inside its sentence
        hints = [h for h in hits if h.rule.detector and h.rule.severity is Severity.INFO]
        other_hits = [h for h in hits if h.rule.detector and h.rule.severity is not Severity.INFO]
        resolved = resolve_overlaps(phrase_hits) + resolve_overlaps(other_hits) + resolve_overlaps(hints)
        resolved.sort(key=lambda h: (h.start, h.end, h.rule.id))
        ui = _ui_language(ui_lang) or self._config.ui_lang or code
        findings = tuple(self._finding(h, document, replacements.get(id(h)), ui) for h in resolved)
        # sarcastic thanks ("thanks for the lecture", "thanks for finally replying") acknowledge nothing
        sarcastic = {h.sentence for h in resolved if h.rule.category is Category.SARCASM and h.rule.severity is not Severity.INFO}
        if sarcastic:
            element_hits = [h for h in element_hits if h.rule.id != "acknowledgement" or h.sentence not in sarcastic]
        structure = analyse_structure(
            compiled, doc, document, annotation, element_hits,
            required=self._config.required_elements, client=client, contract=contract_terms, ui_lang=ui,
        )
        if structure.findings:
            extra = tuple(f for f in structure.findings if self._enabled_id(f.rule_id, f.category.value))
            findings = tuple(sorted(findings + extra, key=lambda f: (f.start, f.end, f.rule_id)))
        missing: tuple[Missing, ...] = self._translate_missing(structure.missing, code, ui)
        penalties = penalties_for(findings, missing)
        overall, subscores = score(penalties)
        return Report(
            score=overall,
            subscores=subscores,
            findings=findings,
            missing=missing,
            lang=code,
            lang_confidence=confidence,
            elements=structure.elements,
            penalties=tuple(penalties),
            notes=structure.notes,
            dispute_types=structure.dispute_types,
            client_heated=structure.client_heated,
            contract_terms=structure.contract_terms,
        )

    def check_many(
        self,
        texts: Iterable[str],
        *,
        lang: str | None = None,
        batch_size: int = 256,
        client_message: str | None = None,
        contract: Any = None,
        processes: int = 1,
    ) -> list[Report]:
        """Check many drafts; tokenisation is batched through spaCy's ``pipe`` per language.

        ``client_message`` and ``contract`` (parsed once here) apply to every draft. ``processes``
        above 1 spreads the drafts over that many worker processes (forked from this one where the
        platform allows, so they start with its pipelines already built); reports come back in order.
        """
        if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
            raise InputError(f"processes must be a whole number of at least 1, not {processes!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise InputError(f"batch_size must be a whole number of at least 1, not {batch_size!r}")
        contract = coerce_contract(contract)
        items = list(texts)
        for index, text in enumerate(items):
            if not isinstance(text, str):
                raise TypeError(f"check_many() item {index} is {type(text).__name__}, not str")
            self._check_size(text)
        if processes > 1 and len(items) >= 2 * _MIN_PARALLEL_CHUNK:
            return self._check_many_in_processes(items, processes, lang, batch_size, client_message, contract)
        client = self._client(client_message, lang)  # analysed once for every draft
        reports: list[Report] = []
        # in chunks, so that only one chunk's documents and Docs are alive at a time
        for chunk_start in range(0, len(items), batch_size):
            chunk = items[chunk_start : chunk_start + batch_size]
            documents = [plain_document(t) for t in chunk]
            languages = [self._language(d.text, lang) for d in documents]
            chunk_reports: list[Report | None] = [None] * len(chunk)
            for code in sorted({c for c, _ in languages}):
                indexes = [i for i, (c, _) in enumerate(languages) if c == code]
                tokenizer: Any = get_pipeline(code).tokenizer
                docs = tokenizer.pipe((documents[i].text for i in indexes), batch_size=batch_size)
                for i, doc in zip(indexes, docs, strict=True):
                    chunk_reports[i] = self._check_analysed(documents[i], code, languages[i][1], client, contract, doc, None)
            reports.extend(r for r in chunk_reports if r is not None)
        return reports

    def _check_many_in_processes(
        self, items: list[str], processes: int, lang: str | None, batch_size: int, client_message: str | None, contract: Any
    ) -> list[Report]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from itertools import repeat

        # forked workers share this process's built pipelines and compiled packs (copy-on-write);
        # spawned ones (no fork on the platform) rebuild them from the pickled configuration
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        chunk = max(_MIN_PARALLEL_CHUNK, min(batch_size, -(-len(items) // (processes * 4))))
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context(method), initializer=_start_worker, initargs=(self,)
        ) as pool:
            parts = pool.map(_check_chunk, chunks, repeat(lang), repeat(batch_size), repeat(client_message), repeat(contract))
            return [report for part in parts for report in part]

    # -- helpers
    def _check_size(self, text: str) -> None:
        if len(text) > self._config.max_chars:
            raise InputTooLarge(len(text), self._config.max_chars)

    def _language(self, text: str, lang: str | None) -> tuple[str, float]:
        code = lang or self._config.lang
        if code is None:
            return detect_language(text)
        if not isinstance(code, str):
            raise TypeError(f"lang must be str or None, not {type(code).__name__}")
        base = code.split("-")[0].split("_")[0].lower()
        if base not in SUPPORTED_LANGS:
            raise InputError(f"unsupported language {code!r}; use one of {list(SUPPORTED_LANGS)} or None to detect")
        return base, 1.0

    def _message(self, rule: Rule, ui: str) -> str:
        """The rule's message in the UI language: the same rule id in that language's pack."""
        if ui == rule.lang:
            return rule.message
        twin = self._compiled(ui).by_id.get(rule.id)
        return twin.message if twin is not None else rule.message

    def _translate_missing(self, missing: tuple[Missing, ...], code: str, ui: str) -> tuple[Missing, ...]:
        """Messages in the UI language; the suggestion stays in the draft's language (it is pasted there)."""
        if ui == code or not missing:
            return missing
        elements = self._compiled(ui).elements_by_id
        native = self._compiled(code).elements_by_id
        # only the generic element messages: dispute-specific ones already come in the UI language
        return tuple(
            replace(m, message=elements[m.id].message)
            if m.id in elements and m.id in native and m.message == native[m.id].message
            else m
            for m in missing
        )

    def _model_hits(self, rule: Rule, annotation: Any, code: str, hits: list[Hit], element_hits: list[Hit]) -> list[Hit]:
        """The sentence model's findings: sentences no rule warned in that neither acknowledge the client nor
        restate their concern (what a reply should do; the model's few false alarms were mostly such sentences).
        When no rule warned anywhere in the reply, a sentence needs the model's ``solo_threshold``.

        A model finding takes the category the sentence most resembles (a copy of ``rule`` per category).
        """
        warned = [h for h in hits if h.rule.severity is not Severity.INFO]
        quiet = warned + [h for h in element_hits if h.rule.id in _MODEL_QUIET_ELEMENTS]
        blocked = [(h.start, h.end) for h in quiet]
        model = sentence_model(code)
        # in a reply nothing else flags, a sentence needs the model's stronger threshold
        needed = 0.0 if warned or model is None else model.solo_threshold
        found = []
        for model_hit in detect_offending_sentences(annotation, code, skip={h.sentence for h in quiet}):
            if model_hit.probability < needed or any(a < model_hit.end and model_hit.start < b for a, b in blocked):
                continue
            assert model is not None  # the model found the sentence
            category = model.category(model_hit.features)
            if not self._enabled_id(rule.id, category):
                continue
            categorised = _categorised(rule, category)
            found.append(Hit(categorised, model_hit.start, model_hit.end, model_hit.start, model_hit.end, model_hit.sentence))
        return found

    def _finding(self, hit: Hit, document: Document, replacement: str | None, ui: str) -> Finding:
        rule = hit.rule
        start, end = document.to_original(hit.start, hit.end)
        original_text = document.original[start:end]
        overrides = dict(self._config.severity_overrides)
        severity = Severity(overrides[rule.id]) if rule.id in overrides else rule.severity
        texts = [replacement] if replacement is not None else [fill_facts(t, original_text) for t in rule.suggestions]
        at_sentence_start = _starts_sentence(document.text, hit.start)
        suggestions = tuple(
            Suggestion(_match_case(t, original_text, at_sentence_start)) for t in texts
        )
        return Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=severity,
            start=start,
            end=end,
            text=original_text,
            message=self._message(rule, ui),
            suggestions=suggestions,
            rationale=rule.rationale,
            autofix=rule.autofix,
        )


_categorised_rules: dict[tuple[int, str], tuple[Rule, Rule]] = {}


def _categorised(rule: Rule, category: str) -> Rule:
    """``rule`` reporting ``category`` (one copy per rule and category, kept for reuse)."""
    key = (id(rule), category)
    entry = _categorised_rules.get(key)
    if entry is None or entry[0] is not rule:
        entry = (rule, replace(rule, category=Category(category)))
        _categorised_rules[key] = entry
    return entry[1]


def _ui_language(code: str | None) -> str | None:
    if code is None:
        return None
    if not isinstance(code, str):
        raise TypeError(f"ui_lang must be str or None, not {type(code).__name__}")
    base = code.split("-")[0].split("_")[0].lower()
    if base not in SUPPORTED_LANGS:
        raise ConfigError(f"unsupported ui_lang {code!r}; use one of {list(SUPPORTED_LANGS)}", key="ui_lang")
    return base


def _starts_sentence(text: str, start: int) -> bool:
    """Whether only spaces, quotes and brackets stand between ``start`` and a sentence end (or the start).

    Walks back from ``start`` instead of stripping a copy of everything before it: a draft with
    thousands of findings would otherwise copy the draft once per finding.
    """
    at = start
    while at > 0 and text[at - 1] in " \"'([":
        at -= 1
    return at == 0 or text[at - 1] in ".!?:"


def _match_case(replacement: str, original: str, at_sentence_start: bool) -> str:
    if not replacement:
        return replacement
    first = original[:1]
    if at_sentence_start or (first.isupper() and not original[:2].isupper()):
        return replacement[0].upper() + replacement[1:]
    if first.islower() and replacement[:2] != "I " and not replacement[:2].isupper():
        return replacement[0].lower() + replacement[1:]
    return replacement


_worker_checker: Checker | None = None


def _start_worker(checker: Checker) -> None:
    global _worker_checker
    _worker_checker = checker


def _check_chunk(
    texts: list[str], lang: str | None, batch_size: int, client_message: str | None, contract: Any
) -> list[Report]:
    assert _worker_checker is not None
    return _worker_checker.check_many(texts, lang=lang, batch_size=batch_size, client_message=client_message, contract=contract)
