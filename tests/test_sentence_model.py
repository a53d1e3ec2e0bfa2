"""The sentence model behind the phrase rules (``model.sentence``): features, file format, guards, config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import invoicetone
from invoicetone import PackError
from invoicetone._document import plain_document
from invoicetone._nlp import annotate, get_pipeline
from invoicetone._sentence_model import (
    MODEL_CATEGORIES,
    facts_in,
    fill_facts,
    model_path,
    parse_model,
    sentence_features,
    sentence_model,
)

ROOT = Path(__file__).resolve().parent.parent
CHECKER = invoicetone.Checker(plugin_packs=False)
EMOTIONAL = "I'm honestly so disappointed you'd question our work like this."
# between the model's threshold and its solo threshold: flagged only when something else in the reply is
BORDERLINE = "Interesting that this only comes up now."


def _probability(text: str, lang: str = "en") -> float:
    document = plain_document(text)
    annotation = annotate(get_pipeline(lang).make_doc(document.text), document, lang)
    model = sentence_model(lang)
    assert model is not None and len(annotation.sentences) == 1
    sentence = annotation.sentences[0]
    return model.probability(sentence_features(annotation.norms[sentence.start : sentence.end]))


def test_features_are_norms_bigrams_and_stems() -> None:
    features = sentence_features(["you", "did", "n’t", "pay", "invoice", "2041", "?"])
    assert {"u|you", "u|n't", "u|<n>", "u|?", "b|<s> you", "b|invoice <n>", "b|? </s>", "s|invoi"} <= features
    assert "s|you" not in features  # short words have no stem
    assert sentence_features([]) == {"b|<s> </s>"}


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_shipped_models_load_and_name_known_categories(lang: str) -> None:
    model = sentence_model(lang)
    assert model is not None and model.lang == lang
    assert 0.5 <= model.threshold <= model.solo_threshold < 1
    assert set(model.categories) <= set(MODEL_CATEGORIES)
    assert len(model.weights) > 1000


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_a_loaded_model_keeps_one_float_per_distinct_weight(lang: str) -> None:
    """The rounded weights recur: one shared object per value keeps both models about 6 MB smaller."""
    model = parse_model(json.loads(model_path(lang).read_text(encoding="utf-8")), str(model_path(lang)))
    values = [*model.weights.values(), *(w for row in model.category_weights.values() for w in row)]
    assert len({id(v) for v in values}) == len(set(values)) < len(values) // 10


def test_a_broken_model_file_names_the_file() -> None:
    data = json.loads(model_path("en").read_text(encoding="utf-8"))
    with pytest.raises(PackError, match=r"sentence-en\.json"):
        parse_model({**data, "category_bias": [0.0]}, str(model_path("en")))
    with pytest.raises(PackError, match="unknown categories"):
        parse_model({**data, "categories": ["moaning", *data["categories"][1:]]}, "x.json")
    with pytest.raises(PackError, match="version"):
        parse_model({**data, "version": 99}, "x.json")


def test_the_model_flags_a_sentence_no_rule_knows() -> None:
    assert _probability(EMOTIONAL) >= sentence_model("en").threshold  # type: ignore[union-attr]
    text = f"Dear Sam,\n{EMOTIONAL} The invoice is attached."
    findings = [f for f in CHECKER.check(text, lang="en").findings if f.severity.value != "info"]
    assert [(f.rule_id, f.text) for f in findings] == [("model.sentence", EMOTIONAL)]
    finding = findings[0]
    assert text[finding.start : finding.end] == finding.text
    assert finding.category.value in MODEL_CATEGORIES
    assert finding.suggestions and "ruined" not in finding.suggestions[0].replacement


def test_a_borderline_sentence_needs_company() -> None:
    model = sentence_model("en")
    assert model is not None and model.threshold <= _probability(BORDERLINE) < model.solo_threshold
    alone = [f.rule_id for f in CHECKER.check(BORDERLINE, lang="en").findings]
    assert "model.sentence" not in alone
    text = f"You never pay on time. {BORDERLINE}"
    findings = [f for f in CHECKER.check(text, lang="en").findings if f.severity.value != "info"]
    assert [(f.rule_id, f.text) for f in findings] == [("absolute.you-never", "never"), ("model.sentence", BORDERLINE)]


def test_no_model_finding_where_a_phrase_rule_already_warns() -> None:
    text = "Honestly, this whole thing has ruined my week and it's not our fault."
    ids = [f.rule_id for f in CHECKER.check(text, lang="en").findings if f.severity.value != "info"]
    assert "denial.not-our-fault" in ids and "model.sentence" not in ids
    # without the denial rules the same sentence is the model's: the rule is what held it back
    without = invoicetone.Checker(plugin_packs=False, ignore=["denial.not-our-fault"])
    assert "model.sentence" in [f.rule_id for f in without.check(text, lang="en").findings]


def test_no_model_finding_on_a_sentence_that_acknowledges_the_client() -> None:
    text = "I'm sorry, but frankly this whole thing has ruined my week."
    assert _probability(text) >= sentence_model("en").threshold  # type: ignore[union-attr]
    assert "model.sentence" not in [f.rule_id for f in CHECKER.check(text, lang="en").findings]


def test_model_findings_follow_the_category_configuration() -> None:
    category = next(f.category.value for f in CHECKER.check(EMOTIONAL, lang="en").findings if f.rule_id == "model.sentence")
    only = invoicetone.Checker(plugin_packs=False, categories=[category])
    assert "model.sentence" in [f.rule_id for f in only.check(EMOTIONAL, lang="en").findings]
    other = next(c for c in MODEL_CATEGORIES if c != category)
    for checker in (
        invoicetone.Checker(plugin_packs=False, categories=[other]),
        invoicetone.Checker(plugin_packs=False, ignore_categories=[category]),
        invoicetone.Checker(plugin_packs=False, ignore=["model.sentence"]),
    ):
        assert "model.sentence" not in [f.rule_id for f in checker.check(EMOTIONAL, lang="en").findings]


def test_slovak_model_flags_an_outburst() -> None:
    text = "Dobrý deň,\nsom z toho celý otrávený a nechce sa mi to už riešiť."
    findings = CHECKER.check(text, lang="sk").findings
    assert [f.rule_id for f in findings if f.severity.value != "info"] == ["model.sentence"]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Invoice INV-2041 for €1,250.00 was due on 3 May 2026, not 12/15/2026.", ["INV-2041", "€1,250.00", "3 May 2026", "12/15/2026"]),
        ("Faktúra FA2026-0042 na 1 250,00 € bola splatná 15. 4. 2026, nie 3. mája.", ["FA2026-0042", "1 250,00 €", "15. 4. 2026", "3. mája"]),
        ("We billed 9.5 hours at £85 on May 3rd, 2026.", ["9.5 hours", "£85", "May 3rd, 2026"]),
        ("Nothing to see here.", []),
    ],
)
def test_facts_are_found_whole(text: str, facts: list[str]) -> None:
    assert facts_in(text) == facts


def test_fill_facts_uses_the_fallback_when_there_are_none() -> None:
    assert fill_facts("check {facts|it} now", "invoice 12 of €40") == "check 12, €40 now"
    assert fill_facts("check {facts|it} now", "no figures") == "check it now"
    assert fill_facts("check {facts} now", "no figures") == "check  now"
    assert fill_facts("no slot", "invoice 12") == "no slot"


def test_a_pack_suggestion_keeps_the_facts_of_its_span(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "late.yaml").write_text(
        "category: custom\nrules:\n  - id: custom.late\n    patterns: ['[ late again with #NUM ]']\n"
        "    message: m\n    suggestions: ['still open: {facts|the invoice}']\n"
        "    examples:\n      flag: ['You are [[late again with 1042]].']\n      pass: ['You are late.']\n",
        encoding="utf-8",
    )
    checker = invoicetone.Checker(packs=[tmp_path], builtin_packs=False, plugin_packs=False)
    finding = next(f for f in checker.check("You are late again with 1042.", lang="en").findings if f.rule_id == "custom.late")
    assert finding.suggestions[0].replacement == "still open: 1042"


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_shipped_model_is_what_the_training_tool_produces(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Retrain from the repo's data and compare: the shipped weights are neither edited by hand nor stale."""
    pytest.importorskip("numpy")
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    import train_sentence_model as tool

    shipped = json.loads(model_path(lang).read_text(encoding="utf-8"))
    path = tool.train_and_write(lang, shipped["threshold"], out_dir=tmp_path, solo_threshold=shipped["solo_threshold"])
    fresh = json.loads(path.read_text(encoding="utf-8"))
    assert fresh["info"] == shipped["info"], "retrain the model: python tools/train_sentence_model.py"
    assert abs(fresh["bias"] - shipped["bias"]) < 0.01
    keys = set(fresh["weights"]) | set(shipped["weights"])
    drift = max(abs(fresh["weights"].get(k, 0.0) - shipped["weights"].get(k, 0.0)) for k in keys)
    assert drift < 0.05, f"retrain the model: python tools/train_sentence_model.py (largest weight drift {drift:.3f})"
