"""Every example of every built-in rule and element, LanguageTool-style (see ``_selftest``)."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone._selftest import MIN_EXAMPLES, check_rule_example

_RULES = invoicetone.Checker().load_rules()
_CASES = [
    pytest.param(rule, example, flagged, id=f"{rule.lang}:{rule.id}:{'flag' if flagged else 'pass'}{index}")
    for rule in _RULES
    for flagged, examples in ((True, rule.flag_examples), (False, rule.pass_examples))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example", "flagged"), _CASES)
def test_example(rule: invoicetone.Rule, example: object, flagged: bool) -> None:
    problems = check_rule_example(rule, example, flagged)  # type: ignore[arg-type]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule", _RULES, ids=lambda r: f"{r.lang}:{r.id}")
def test_rule_has_enough_examples(rule: invoicetone.Rule) -> None:
    assert len(rule.flag_examples) >= MIN_EXAMPLES
    assert len(rule.pass_examples) >= MIN_EXAMPLES


@pytest.mark.parametrize("rule", [r for r in _RULES if r.kind == "rule"], ids=lambda r: f"{r.lang}:{r.id}")
def test_warning_rules_have_suggestions_or_detector(rule: invoicetone.Rule) -> None:
    if rule.severity is not invoicetone.Severity.INFO:
        assert rule.suggestions or rule.detector
