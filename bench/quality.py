"""Quality of invoicetone on the labelled corpus in ``tests/corpus/<lang>/``.

    python bench/quality.py [--lang en|sk|all] [--json] [--verbose]

Prints, per language and over all languages loaded:

* recall of labelled offending phrases: a label counts as found when a finding with severity
  warning or error overlaps it;
* precision of findings: warning+ findings that overlap a label / all warning+ findings, over all
  replies;
* false-positive rate on clean replies: share of replies without labels that get a warning+
  finding;
* good-over-bad: for each client, every (good, bad) pair of its replies; the share where
  ``score(good) > score(bad)``, both checked with the client's message as context;
* recall per category;
* accuracy per element (``report.elements`` has the element id ⇔ the label is true), for the
  element ids the checker knows in that language; the others are listed as not implemented;
* dispute-type accuracy, when invoicetone exposes a classifier for the client's message.

``--verbose`` lists every missed label, every false positive and every element error.
The test ``tests/test_quality.py`` runs the same :func:`evaluate` and holds floors.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import inspect
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import invoicetone

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO / "tests" / "corpus"
NEUTRAL_REPLY = "Thank you for your message."


def _load_loader() -> ModuleType:
    """Import ``tests/corpus/loader.py`` by path (``tests`` is not a package)."""
    name = "invoicetone_corpus_loader"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, CORPUS_DIR / "loader.py")
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the repo
        raise ImportError(f"cannot load {CORPUS_DIR / 'loader.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


loader = _load_loader()


def _is_warning(finding: invoicetone.Finding) -> bool:
    return finding.severity.rank >= invoicetone.Severity.WARNING.rank


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------------------- dispute types


DisputeClassifier = Callable[[str, str], set[str]]


def _type_ids(value: Any) -> set[str]:
    """Dispute type ids out of whatever shape a classifier returns (ids, enums, objects, dicts)."""
    if value is None:
        return set()
    if isinstance(value, Enum):
        return {str(value.value)}
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return {str(k) for k, v in value.items() if v or v == 0}
    for attr in ("dispute_types", "types"):
        inner = getattr(value, attr, None)
        if inner is not None and not callable(inner):
            return _type_ids(inner)
    for attr in ("id", "type", "dispute_type", "name"):
        inner = getattr(value, attr, None)
        if isinstance(inner, (str, Enum)):
            return _type_ids(inner)
    if isinstance(value, Iterable):
        out: set[str] = set()
        for item in value:
            out |= _type_ids(item)
        return out
    return set()


def find_dispute_classifier(checker: invoicetone.Checker) -> tuple[DisputeClassifier | None, str]:
    """A public dispute-type classifier of invoicetone, if there is one, and how it was found."""
    for name in sorted(getattr(invoicetone, "__all__", dir(invoicetone))):
        lowered = name.lower()
        if name.startswith("_") or not ("dispute" in lowered or lowered.startswith("classif")):
            continue
        function = getattr(invoicetone, name, None)
        if not callable(function) or inspect.isclass(function):
            continue
        try:
            takes_lang = "lang" in inspect.signature(function).parameters
        except (TypeError, ValueError):
            takes_lang = False

        def classify(text: str, lang: str, _f: Any = function, _lang: bool = takes_lang) -> set[str]:
            return _type_ids(_f(text, lang=lang) if _lang else _f(text))

        return classify, f"invoicetone.{name}()"
    report_fields = [f.name for f in dataclasses.fields(invoicetone.Report) if "dispute" in f.name.lower()]
    if report_fields:
        report_field = report_fields[0]

        def from_report(text: str, lang: str) -> set[str]:
            report = checker.check(
                NEUTRAL_REPLY if lang == "en" else "Ďakujeme za správu.", lang=lang, client_message=text
            )
            return _type_ids(getattr(report, report_field))

        return from_report, f"Report.{report_field}"
    return None, "not available"


# ---------------------------------------------------------------------------- evaluation


@dataclass
class Counts:
    """Raw counts; ratios are computed from them so that languages can be summed."""

    replies: int = 0
    labels: int = 0
    labels_found: int = 0
    warnings: int = 0
    warnings_on_label: int = 0
    clean: int = 0
    clean_flagged: int = 0
    pairs: int = 0
    pairs_good_wins: int = 0
    category_total: dict[str, int] = field(default_factory=dict)
    category_found: dict[str, int] = field(default_factory=dict)
    element_total: dict[str, int] = field(default_factory=dict)
    element_correct: dict[str, int] = field(default_factory=dict)
    element_false_pos: dict[str, int] = field(default_factory=dict)
    element_false_neg: dict[str, int] = field(default_factory=dict)
    elements_not_implemented: set[str] = field(default_factory=set)
    dispute_clients: int = 0
    dispute_exact: int = 0
    dispute_type_total: dict[str, int] = field(default_factory=dict)
    dispute_type_found: dict[str, int] = field(default_factory=dict)
    dispute_predicted: int = 0
    dispute_predicted_right: int = 0
    dispute_source: str = "not available"
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    element_errors: list[str] = field(default_factory=list)
    dispute_errors: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for f in dataclasses.fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, int):
                setattr(self, f.name, mine + theirs)
            elif isinstance(mine, dict):
                for key, value in theirs.items():
                    mine[key] = mine.get(key, 0) + value
            elif isinstance(mine, list):
                mine.extend(theirs)
            elif isinstance(mine, set):
                mine |= theirs
        if other.dispute_source != "not available":
            self.dispute_source = other.dispute_source

    def metrics(self) -> dict[str, Any]:
        elements = {
            name: {
                "accuracy": _ratio(self.element_correct.get(name, 0), total),
                "false_positives": self.element_false_pos.get(name, 0),
                "false_negatives": self.element_false_neg.get(name, 0),
                "replies": total,
            }
            for name, total in sorted(self.element_total.items())
        }
        implemented = set(self.element_total)
        disputes: dict[str, Any] | None = None
        if self.dispute_source != "not available" and self.dispute_clients:
            disputes = {
                "source": self.dispute_source,
                "clients": self.dispute_clients,
                "exact_set_accuracy": _ratio(self.dispute_exact, self.dispute_clients),
                "type_recall": _ratio(sum(self.dispute_type_found.values()), sum(self.dispute_type_total.values())),
                "type_precision": _ratio(self.dispute_predicted_right, self.dispute_predicted),
                "per_type_recall": {
                    t: _ratio(self.dispute_type_found.get(t, 0), n) for t, n in sorted(self.dispute_type_total.items())
                },
            }
        return {
            "replies": self.replies,
            "labels": self.labels,
            "recall": _ratio(self.labels_found, self.labels),
            "warnings": self.warnings,
            "precision": _ratio(self.warnings_on_label, self.warnings),
            "clean_replies": self.clean,
            "clean_false_positive_rate": _ratio(self.clean_flagged, self.clean),
            "good_bad_pairs": self.pairs,
            "good_over_bad": _ratio(self.pairs_good_wins, self.pairs),
            "per_category_recall": {
                c: _ratio(self.category_found.get(c, 0), n) for c, n in sorted(self.category_total.items())
            },
            "element_accuracy": elements,
            "elements_not_implemented": sorted(self.elements_not_implemented - implemented),
            "dispute_types": disputes if disputes is not None else "not available",
        }


def known_elements(checker: invoicetone.Checker, lang: str) -> set[str]:
    """Element ids the checker can report in ``lang`` (element detectors of its packs)."""
    return {rule.id for rule in checker.load_rules() if rule.kind == "element" and rule.lang == lang}


def evaluate_language(corpus: Any, lang: str, checker: invoicetone.Checker) -> Counts:
    """Check every reply of ``lang`` (with its client's message) and count against the labels."""
    part = corpus.for_lang(lang)
    counts = Counts()
    elements = known_elements(checker, lang)
    counts.elements_not_implemented = set(loader.ELEMENTS) - elements
    scores: dict[str, float] = {}
    for reply in part.replies:
        client = part.clients.get(reply.client) if reply.client else None
        report = checker.check(reply.text, lang=lang, client_message=client.text if client else None)
        scores[reply.id] = report.score
        counts.replies += 1
        warnings = [f for f in report.findings if _is_warning(f)]
        for mark in reply.marks:
            counts.labels += 1
            counts.category_total[mark.category] = counts.category_total.get(mark.category, 0) + 1
            if any(_overlaps(mark.start, mark.end, f.start, f.end) for f in warnings):
                counts.labels_found += 1
                counts.category_found[mark.category] = counts.category_found.get(mark.category, 0) + 1
            else:
                counts.misses.append(f"{reply.id} [{mark.category}] {mark.phrase!r}")
        for finding in warnings:
            counts.warnings += 1
            if any(_overlaps(m.start, m.end, finding.start, finding.end) for m in reply.marks):
                counts.warnings_on_label += 1
            else:
                where = "clean reply" if reply.clean else "outside labels"
                counts.false_positives.append(
                    f"{reply.id} ({where}) {finding.rule_id} [{finding.severity}] {finding.text!r}"
                )
        if reply.clean:
            counts.clean += 1
            counts.clean_flagged += bool(warnings)
        for name in sorted(elements):
            expected = reply.elements.get(name)
            if expected is None:
                continue
            found = name in report.elements
            counts.element_total[name] = counts.element_total.get(name, 0) + 1
            if found == expected:
                counts.element_correct[name] = counts.element_correct.get(name, 0) + 1
            elif found:
                counts.element_false_pos[name] = counts.element_false_pos.get(name, 0) + 1
                spans = ", ".join(repr(s.text) for s in report.elements[name])
                counts.element_errors.append(f"{reply.id} {name}: found but labelled false ({spans})")
            else:
                counts.element_false_neg[name] = counts.element_false_neg.get(name, 0) + 1
                counts.element_errors.append(f"{reply.id} {name}: labelled true but not found")
    for good, bad in loader.good_bad_pairs(part):
        counts.pairs += 1
        if scores[good.id] > scores[bad.id]:
            counts.pairs_good_wins += 1
        else:
            counts.false_positives.append(
                f"pair {good.id} (good, {scores[good.id]:.1f}) <= {bad.id} (bad, {scores[bad.id]:.1f})"
            )
    classify, source = find_dispute_classifier(checker)
    counts.dispute_source = source
    if classify is not None:
        for client in part.clients.values():
            predicted = classify(client.text, lang)
            expected = set(client.dispute_types)
            counts.dispute_clients += 1
            counts.dispute_exact += predicted == expected
            counts.dispute_predicted += len(predicted)
            counts.dispute_predicted_right += len(predicted & expected)
            for t in expected:
                counts.dispute_type_total[t] = counts.dispute_type_total.get(t, 0) + 1
                counts.dispute_type_found[t] = counts.dispute_type_found.get(t, 0) + (t in predicted)
            if predicted != expected:
                counts.dispute_errors.append(f"{client.id}: expected {sorted(expected)}, got {sorted(predicted)}")
    return counts


def evaluate(langs: Sequence[str] | None = None, checker: invoicetone.Checker | None = None) -> dict[str, Counts]:
    """Counts per language (every language directory present when ``langs`` is None) and ``all``."""
    corpus = loader.load_corpus(langs, root=CORPUS_DIR)
    checker = checker or invoicetone.Checker()
    results: dict[str, Counts] = {}
    total = Counts()
    for lang in corpus.langs:
        results[lang] = evaluate_language(corpus, lang, checker)
        total.add(results[lang])
    results["all"] = total
    return results


# ---------------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.1%}"


def render(name: str, counts: Counts, *, verbose: bool = False) -> str:
    m = counts.metrics()
    lines = [
        f"== {name}: {m['replies']} replies, {m['labels']} labelled phrases, {m['clean_replies']} clean, "
        f"{m['good_bad_pairs']} good/bad pairs",
        f"  recall of labelled phrases     {_pct(m['recall'])}  ({counts.labels_found}/{counts.labels})",
        f"  precision of findings          {_pct(m['precision'])}  ({counts.warnings_on_label}/{counts.warnings} warning+ findings)",
        f"  clean replies with a warning   {_pct(m['clean_false_positive_rate'])}  ({counts.clean_flagged}/{counts.clean})",
        f"  good outscores bad             {_pct(m['good_over_bad'])}  ({counts.pairs_good_wins}/{counts.pairs})",
        "  recall per category:",
    ]
    for category, value in m["per_category_recall"].items():
        lines.append(
            f"    {category:<20} {_pct(value)}  ({counts.category_found.get(category, 0)}/{counts.category_total[category]})"
        )
    lines.append("  element accuracy:")
    for element, info in m["element_accuracy"].items():
        lines.append(
            f"    {element:<20} {_pct(info['accuracy'])}  (false positives {info['false_positives']}, "
            f"false negatives {info['false_negatives']}, of {info['replies']})"
        )
    if m["elements_not_implemented"]:
        lines.append(f"    skipped, not implemented by the checker: {', '.join(m['elements_not_implemented'])}")
    disputes = m["dispute_types"]
    if isinstance(disputes, dict):
        lines.append(
            f"  dispute types ({disputes['source']}): exact set {_pct(disputes['exact_set_accuracy'])}, "
            f"type recall {_pct(disputes['type_recall'])}, type precision {_pct(disputes['type_precision'])} "
            f"over {disputes['clients']} client messages"
        )
    else:
        lines.append("  dispute-type accuracy: not available")
    if verbose:
        for title, items in (
            ("missed labels", counts.misses),
            ("false positives and lost pairs", counts.false_positives),
            ("element errors", counts.element_errors),
            ("dispute-type errors", counts.dispute_errors),
        ):
            lines.append(f"  -- {title} ({len(items)})")
            lines.extend(f"     {item}" for item in items)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure invoicetone against the labelled corpus in tests/corpus/.")
    parser.add_argument("--lang", default="all", help="en, sk or all (default: every language directory present)")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every miss, false positive and element error")
    args = parser.parse_args(argv)
    available = loader.available_languages(CORPUS_DIR)
    if args.lang != "all" and args.lang not in available:
        parser.error(f"no corpus for --lang {args.lang!r}; available: {', '.join(available) or 'none'}")
    langs = None if args.lang == "all" else [args.lang]
    try:
        results = evaluate(langs)
    except loader.CorpusError as exc:
        print(f"corpus error: {exc}", file=sys.stderr)
        return 2
    except invoicetone.InvoiceToneError as exc:
        print(f"invoicetone error: {exc}", file=sys.stderr)
        return 2
    shown = results if len(results) > 2 else {k: v for k, v in results.items() if k != "all"}
    if args.json:
        payload: dict[str, Any] = {name: counts.metrics() for name, counts in shown.items()}
        if args.verbose:
            for name, counts in shown.items():
                payload[name]["details"] = {
                    "misses": counts.misses,
                    "false_positives": counts.false_positives,
                    "element_errors": counts.element_errors,
                    "dispute_errors": counts.dispute_errors,
                }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(render(name, counts, verbose=args.verbose) for name, counts in shown.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
