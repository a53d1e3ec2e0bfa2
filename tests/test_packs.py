"""Pack loading: strict validation with file, rule id and field named; user packs without code."""

from __future__ import annotations

from pathlib import Path

import pytest

import invoicetone
from invoicetone import Checker, PackError

GOOD_RULE = """
category: custom
lang: en
rules:
  - id: acme.no-refunds
    severity: warning
    message: Do not promise "no refunds"; explain the options instead.
    patterns: ["[ no <refund> ]"]
    suggestions: ["the refund options in our terms"]
    examples:
      flag: ["There are [[no refunds]] at all.", "We give [[no refund]] for this."]
      pass: ["Refunds are possible under clause 9.", "We refund within 14 days."]
"""


def write_pack(tmp_path: Path, body: str, name: str = "custom.yaml") -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / name).write_text(body, encoding="utf-8")
    return pack


def test_user_pack_adds_a_rule_without_code(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, GOOD_RULE)
    report = Checker(packs=[pack]).check("Sorry, there are no refunds for this plan.", lang="en")
    found = [f for f in report.findings if f.rule_id == "acme.no-refunds"]
    assert [f.text for f in found] == ["no refunds"]
    assert found[0].suggestions[0].replacement == "the refund options in our terms"


def test_user_pack_examples_run_like_builtin(tmp_path: Path) -> None:
    from invoicetone._selftest import run_examples

    pack = write_pack(tmp_path, GOOD_RULE)
    rules = [r for r in Checker(packs=[pack]).load_rules() if r.id.startswith("acme.")]
    assert run_examples(rules, packs=[pack]) == []
    broken = write_pack(tmp_path, GOOD_RULE.replace("[[no refunds]] at all", "no refunds at [[all]]"))
    rules = [r for r in Checker(packs=[broken]).load_rules() if r.id.startswith("acme.")]
    failures = run_examples(rules, packs=[broken])
    assert failures and "expected exactly [[all]]" in failures[0].problem


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("    severity: warning\n", "    severity: warning\n    colour: red\n"), "colour", "unknown field"),
        (("severity: warning", "severity: fatal"), "severity", "severity must be"),
        (('patterns: ["[ no <refund> ]"]', 'patterns: ["[ no <refund>"]'), "patterns", "'[' without ']'"),
        (('patterns: ["[ no <refund> ]"]', 'patterns: ["/(unclosed/"]'), "patterns", "bad pattern"),
        (('patterns: ["[ no <refund> ]"]', 'patterns: ["[ =x <be> @x ]"]'), "patterns", "not captured before"),
        (('patterns: ["[ no <refund> ]"]', 'patterns: ["[ @x <be> @x ]"]'), "patterns", "captured twice"),
        (('patterns: ["[ no <refund> ]"]', 'patterns: ["[ @x? <be> no ]"]'), "patterns", "cannot be optional"),
        (('suggestions: ["the refund options in our terms"]', "suggestions: []"), "suggestions", "suggestion"),
        (("category: custom", "category: moods"), "category", "category must be"),
        (('flag: ["There are [[no refunds]] at all.", "We give [[no refund]] for this."]', "flag: []"), "examples", "flag"),
        (("id: acme.no-refunds", "id: Acme No Refunds"), "id", "needs an id"),
    ],
)
def test_mistakes_name_file_rule_and_field(tmp_path: Path, change: tuple[str, str], field: str, words: str) -> None:
    body = GOOD_RULE.replace(*change)
    assert body != GOOD_RULE
    pack = write_pack(tmp_path, body)
    with pytest.raises(PackError) as info:
        Checker(packs=[pack]).load_rules()
    error = info.value
    assert error.field == field
    assert error.path is not None and error.path.endswith("custom.yaml")
    assert words in str(error)
    assert isinstance(error, invoicetone.InvoiceToneError)


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, GOOD_RULE)
    (pack / "again.yaml").write_text(GOOD_RULE, encoding="utf-8")
    with pytest.raises(PackError, match="duplicate id") as info:
        Checker(packs=[pack]).load_rules()
    assert info.value.rule_id == "acme.no-refunds"


def test_duplicate_of_builtin_id_is_rejected(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, GOOD_RULE.replace("acme.no-refunds", "denial.not-our-fault"))
    with pytest.raises(PackError, match="duplicate id"):
        Checker(packs=[pack]).load_rules()


def test_yaml_syntax_error_and_missing_dir(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, "rules: [\n  - id: x\n")
    with pytest.raises(PackError, match="not valid YAML"):
        Checker(packs=[pack]).load_rules()
    with pytest.raises(PackError, match="not found"):
        Checker(packs=[tmp_path / "nope"]).load_rules()


def test_spacy_validates_patterns(tmp_path: Path) -> None:
    from invoicetone._engine import CompiledRules
    from invoicetone._packs import load_rules

    pack = write_pack(tmp_path, GOOD_RULE)
    rules = load_rules([pack])
    assert CompiledRules("en", rules).rules[0].id == "acme.no-refunds"


def test_builtin_packs_cover_required_categories() -> None:
    categories = {r.category.value for r in Checker().rules("en")}
    assert {"denial", "shouting", "heated"} <= categories


def test_every_builtin_regex_compiles() -> None:
    """Built-in regexes are compiled on first use, not at load: prove here that all of them compile."""
    rules = Checker(plugin_packs=False).load_rules()
    count = 0
    for rule in rules:
        for group in (rule.regexes, rule.antiregexes, rule.sentence_unless, rule.sentence_requires):
            for lazy in group:
                assert lazy.compiled is not None, (rule.path, rule.id, lazy.pattern)
                count += 1
        for pattern in rule.patterns + rule.antipatterns:
            assert pattern.regex is not None, (rule.path, rule.id, pattern.source)
    assert count > 0


def test_loading_one_language_skips_the_other(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "sk").mkdir(parents=True)
    (pack / "sk" / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    checker = Checker(packs=[pack], builtin_packs=False, plugin_packs=False)
    assert checker.load_rules("en") == []
    with pytest.raises(PackError, match="not valid YAML"):
        checker.load_rules("sk")


SAME_WORD_RULE = GOOD_RULE.replace('patterns: ["[ no <refund> ]"]', 'patterns: ["[ a|an|the? !it|that@x <be> a|the? =x ]"]').replace(
    """      flag: ["There are [[no refunds]] at all.", "We give [[no refund]] for this."]
      pass: ["Refunds are possible under clause 9.", "We refund within 14 days."]""",
    """      flag: ["Sorry, [[rules are rules]].", "[[A deal's a deal]]."]
      pass: ["A deal is a contract.", "It is it."]""",
)


def test_captured_word_and_same_lemma_reference(tmp_path: Path) -> None:
    from invoicetone._selftest import run_examples

    pack = write_pack(tmp_path, SAME_WORD_RULE)
    checker = Checker(packs=[pack])
    rules = [r for r in checker.load_rules() if r.id.startswith("acme.")]
    assert run_examples(rules, packs=[pack]) == []
    found = [f.text for f in checker.check("Well, the fee was the fee. The fee was the price.", lang="en").findings if f.rule_id == "acme.no-refunds"]
    assert found == ["the fee was the fee"]
