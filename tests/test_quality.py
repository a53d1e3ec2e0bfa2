"""Quality floors on the labelled corpus (tests/corpus/), plus the corpus loader's own tests.

The evaluation is ``bench/quality.py``'s :func:`evaluate`; this file only holds the floors.
The floors are what was measured when they were set, minus a small margin, so that a change
that makes the checker worse on the corpus fails here. Raise them as the rules improve; the
targets of the held-out judgement are in ``TARGETS`` (not asserted yet).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import invoicetone

REPO = Path(__file__).resolve().parent.parent

# ---- floors (English measured 2026-11-28 11:50 UTC and Slovak 12:15 UTC, recall raised at 15:50 UTC, minus a small margin;
# see tests/corpus/README.md and docs/benchmarks.md). The rules were tuned on this corpus: these
# floors guard against regressions, they are not the held-out figures. ----
# Per language: minimum recall / precision / good-over-bad, maximum false-positive rate on clean replies.
MIN_RECALL = {"en": 0.90, "sk": 0.92}
MIN_PRECISION = {"en": 0.97, "sk": 0.97}
MAX_CLEAN_FALSE_POSITIVE_RATE = {"en": 0.02, "sk": 0.02}
MIN_GOOD_OVER_BAD = {"en": 0.97, "sk": 0.97}
# Per element (only asserted for element ids the checker implements in that language).
MIN_ELEMENT_ACCURACY = {
    "en": {
        "acknowledgement": 0.95,
        "contract_reference": 0.93,
        "solution": 0.95,
        "next_steps": 0.94,
        "evidence": 0.85,
        "invitation": 0.91,
        "paraphrase": 0.81,
        "summary": 0.96,
    },
    "sk": {
        "acknowledgement": 0.95,
        "contract_reference": 0.95,
        "solution": 0.95,
        "next_steps": 0.95,
        "evidence": 0.91,
        "invitation": 0.94,
        "paraphrase": 0.77,
        "summary": 0.95,
    },
}
# Dispute types of the client messages (asserted when invoicetone exposes a classifier).
MIN_DISPUTE_EXACT_SET = {"en": 0.88, "sk": 0.74}
MIN_DISPUTE_TYPE_RECALL = {"en": 0.95, "sk": 0.85}
# What the independent held-out set is judged against (issues 2 and 3); not asserted here yet.
TARGETS = {
    "recall": 0.85,
    "precision": 0.90,
    "clean_false_positive_rate": 0.05,
    "good_over_bad": 0.95,
    "element_accuracy": 0.90,  # contract_reference, acknowledgement, solution, next_steps
}
# Size of the corpus (issue 2 section 7, issue 3 section 7).
MIN_CLIENTS = 60
MIN_REPLIES = 180
MIN_CLEAN_SHARE = 0.45
MIN_PAIRED_CLIENTS = 40
MIN_CLIENTS_PER_DISPUTE_TYPE = 4
MIN_LABELS_PER_CATEGORY = 5


def _import(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


quality = _import("invoicetone_bench_quality", REPO / "bench" / "quality.py")
loader = quality.loader
LANGS = loader.available_languages(quality.CORPUS_DIR)


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    evaluated: dict[str, Any] = quality.evaluate()
    return evaluated


# ----------------------------------------------------------------------------- floors


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_floors(results: dict[str, Any], lang: str) -> None:
    if lang not in MIN_RECALL:
        pytest.skip(f"no floors set for {lang!r} yet")
    m = results[lang].metrics()
    summary = json.dumps({k: m[k] for k in ("recall", "precision", "clean_false_positive_rate", "good_over_bad")})
    assert m["recall"] >= MIN_RECALL[lang], summary
    assert m["precision"] >= MIN_PRECISION[lang], summary
    assert m["clean_false_positive_rate"] <= MAX_CLEAN_FALSE_POSITIVE_RATE[lang], summary
    assert m["good_over_bad"] >= MIN_GOOD_OVER_BAD[lang], summary


@pytest.mark.parametrize("lang", LANGS)
def test_element_floors(results: dict[str, Any], lang: str) -> None:
    accuracy = results[lang].metrics()["element_accuracy"]
    floors = MIN_ELEMENT_ACCURACY.get(lang, {})
    checked = [name for name in floors if name in accuracy]
    if not checked:
        pytest.skip(f"no element floors apply to {lang!r} (implemented: {sorted(accuracy)})")
    low = {name: accuracy[name]["accuracy"] for name in checked if accuracy[name]["accuracy"] < floors[name]}
    assert not low, f"element accuracy below the floor: {low} (floors {floors})"


@pytest.mark.parametrize("lang", LANGS)
def test_dispute_type_floors(results: dict[str, Any], lang: str) -> None:
    disputes = results[lang].metrics()["dispute_types"]
    if not isinstance(disputes, dict):
        pytest.skip("invoicetone exposes no dispute-type classifier yet")
    if lang not in MIN_DISPUTE_EXACT_SET:
        pytest.skip(f"no dispute-type floors set for {lang!r} yet")
    assert disputes["exact_set_accuracy"] >= MIN_DISPUTE_EXACT_SET[lang], disputes
    assert disputes["type_recall"] >= MIN_DISPUTE_TYPE_RECALL[lang], disputes


def test_metrics_can_fail(results: dict[str, Any]) -> None:
    """A checker with every category switched off finds nothing: the metrics must show it."""
    lang = "en"
    blind = invoicetone.Checker(categories=["contract"])  # no phrase category enabled
    counts = quality.evaluate([lang], checker=blind)[lang]
    m = counts.metrics()
    assert counts.labels == results[lang].labels > 0
    assert m["recall"] == 0.0
    assert m["precision"] is None  # no warning at all
    assert m["clean_false_positive_rate"] == 0.0


def test_counts_agree_with_a_direct_check() -> None:
    """The overlap arithmetic, on a two-reply corpus checked directly."""
    flagged = loader.parse_reply(
        {
            "id": "en-r900",
            "client": None,
            "quality": "bad",
            "text": "[[denial|That’s not our fault]]. Please pay.",
            "elements": dict.fromkeys(loader.ELEMENTS, False),
        },
        lang="en",
    )
    clean = loader.parse_reply(
        {
            "id": "en-r901",
            "client": None,
            "quality": "good",
            "text": "It’s not your fault at all, and I’m sorry for the trouble.",
            "elements": {**dict.fromkeys(loader.ELEMENTS, False), "acknowledgement": True},
        },
        lang="en",
    )
    corpus = loader.Corpus(clients={}, replies=(flagged, clean))
    checker = invoicetone.Checker()
    counts = quality.evaluate_language(corpus, "en", checker)
    reports = [checker.check(r.text, lang="en") for r in (flagged, clean)]
    warnings = [[f for f in rep.findings if f.severity.rank >= 1] for rep in reports]
    mark = flagged.marks[0]
    assert counts.labels == 1
    assert counts.labels_found == int(any(f.start < mark.end and mark.start < f.end for f in warnings[0]))
    assert counts.warnings == len(warnings[0]) + len(warnings[1])
    assert counts.clean == 1 and counts.clean_flagged == int(bool(warnings[1]))


# ----------------------------------------------------------------------------- the corpus itself


@pytest.mark.parametrize("lang", LANGS)
def test_corpus_loads_and_spans_are_exact(lang: str) -> None:
    corpus = loader.load_language(lang, quality.CORPUS_DIR)
    for reply in corpus.replies:
        assert "[[" not in reply.text and "]]" not in reply.text, reply.id
        for mark in reply.marks:
            assert reply.text[mark.start : mark.end] == mark.phrase, reply.id


def test_english_corpus_size_and_balance() -> None:
    stats = loader.corpus_stats(loader.load_language("en", quality.CORPUS_DIR))
    assert stats["clients"] >= MIN_CLIENTS
    assert stats["replies"] >= MIN_REPLIES
    assert stats["clean_share"] >= MIN_CLEAN_SHARE
    assert stats["clients_with_good_and_bad"] >= MIN_PAIRED_CLIENTS
    assert min(stats["clients_per_dispute_type"].values()) >= MIN_CLIENTS_PER_DISPUTE_TYPE, stats
    assert min(stats["labels_per_category"].values()) >= MIN_LABELS_PER_CATEGORY, stats
    assert 0.15 <= stats["heated_clients"] / stats["clients"] <= 0.4
    assert stats["quality"]["mixed"] > 0


# ----------------------------------------------------------------------------- loader errors


def test_parse_marks_spans() -> None:
    text, marks = loader.parse_marks("Hi. [[denial|That’s not our fault]], and [[shouting|PAY NOW]]!")
    assert text == "Hi. That’s not our fault, and PAY NOW!"
    assert [(m.category, text[m.start : m.end]) for m in marks] == [
        ("denial", "That’s not our fault"),
        ("shouting", "PAY NOW"),
    ]
    assert loader.parse_marks("no marks | here [x] ]") == ("no marks | here [x] ]", ())


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("Oh [[sarcasm|great.", "unbalanced mark"),
        ("Oh sarcasm|great]].", "stray ']]'"),
        ("[[rudeness|You fool]]", "unknown category 'rudeness'"),
        ("[[You fool]]", "has no category"),
        ("[[denial|not [[blame|ours]]]]", "nested mark"),
        ("[[denial| not ours]]", "whitespace"),
        ("[[denial|]]", "empty phrase"),
    ],
)
def test_parse_marks_errors(marked: str, expected: str) -> None:
    with pytest.raises(ValueError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        loader.parse_marks(marked)


def _write(tmp_path: Path, clients: list[Any], replies: list[Any]) -> Path:
    root = tmp_path / "corpus"
    (root / "en").mkdir(parents=True)
    (root / "en" / "clients.jsonl").write_text(
        "".join((c if isinstance(c, str) else json.dumps(c)) + "\n" for c in clients), encoding="utf-8"
    )
    (root / "en" / "replies.jsonl").write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in replies), encoding="utf-8"
    )
    return root


_CLIENT = {"id": "en-c001", "text": "You billed me twice!", "dispute_types": ["duplicate"], "heated": False}


def _reply(**changes: Any) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "id": "en-r001",
        "client": "en-c001",
        "quality": "good",
        "text": "Thanks, I have cancelled the duplicate.",
        "elements": dict.fromkeys(loader.ELEMENTS, False),
    }
    reply.update(changes)
    return reply


@pytest.mark.parametrize(
    ("clients", "replies", "expected"),
    [
        (
            [_CLIENT],
            [_reply(), _reply(id="en-r002", quality="bad", text="Oh [[sarcasm|great.")],
            r"replies.jsonl:2: en-r002: unbalanced mark",
        ),
        (
            [_CLIENT],
            [_reply(quality="bad", text="[[rude|fool]]")],
            r"replies.jsonl:1: en-r001: unknown category 'rude'",
        ),
        (
            [_CLIENT],
            [_reply(text="[[denial|Not our fault]].")],
            r"replies.jsonl:1: .*'good' reply has no offending phrase",
        ),
        ([_CLIENT], [_reply(quality="bad")], r"replies.jsonl:1: .*needs at least one"),
        ([_CLIENT], [_reply(client="en-c404")], r"replies.jsonl:1: .*client 'en-c404' is not in"),
        ([_CLIENT], [_reply(), _reply()], r"replies.jsonl:2: duplicate reply id 'en-r001'"),
        ([_CLIENT], [_reply(elements={"acknowledgement": True})], r"replies.jsonl:1: .*element label\(s\) missing"),
        (
            [_CLIENT],
            [_reply(elements={**dict.fromkeys(loader.ELEMENTS, False), "empathy": True})],
            r"unknown element\(s\) \['empathy'\]",
        ),
        (
            [_CLIENT],
            [_reply(elements={**dict.fromkeys(loader.ELEMENTS, False), "summary": "yes"})],
            r"\['summary'\] must be true or false",
        ),
        ([_CLIENT], [_reply(tone="nice")], r"replies.jsonl:1: unknown field\(s\) \['tone'\]"),
        ([_CLIENT], [_reply(id="sk-r001")], r"reply id must be a string starting with 'en-r'"),
        ([_CLIENT], ["{not json"], r"replies.jsonl:1: not valid JSON"),
        (
            [{**_CLIENT, "dispute_types": ["overcharge"]}],
            [_reply()],
            r"clients.jsonl:1: en-c001: unknown dispute type\(s\) \['overcharge'\]",
        ),
        ([{**_CLIENT, "heated": "no"}], [_reply()], r"clients.jsonl:1: en-c001: 'heated' must be true or false"),
    ],
)
def test_loader_errors_name_file_and_line(
    tmp_path: Path, clients: list[Any], replies: list[Any], expected: str
) -> None:
    root = _write(tmp_path, clients, replies)
    with pytest.raises(loader.CorpusError, match=expected):
        loader.load_corpus(["en"], root=root)


def test_loader_accepts_a_valid_file(tmp_path: Path) -> None:
    marked = "Sorry.\n[[threat|We’ll see you in court]]."
    root = _write(tmp_path, [_CLIENT], [_reply(), _reply(id="en-r002", quality="bad", text=marked)])
    corpus = loader.load_corpus(root=root)
    assert corpus.langs == ("en",)
    bad = corpus.replies[1]
    assert bad.text == "Sorry.\nWe’ll see you in court."
    assert [(m.start, m.end, m.category) for m in bad.marks] == [(7, 29, "threat")]
    assert loader.good_bad_pairs(corpus) == [(corpus.replies[0], bad)]


def test_script_rejects_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        quality.main(["--lang", "xx"])
    assert exited.value.code == 2
    assert "no corpus for --lang 'xx'" in capsys.readouterr().err
