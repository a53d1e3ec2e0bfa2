"""Run a pack's own examples, LanguageTool-style. Used by the test suite and ``invoicetone packs test``.

For each rule: every ``flag`` example yields exactly the marked span; every ``pass`` example yields
nothing from the rule; applying each suggestion removes the finding, adds no new warning and keeps
the facts (numbers, amounts, dates, references) of the sentence. Element detectors: every ``flag``
example finds the element at the marked span, every ``pass`` example does not find it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from ._checker import Checker
from ._fix import apply_suggestion
from ._model import Severity
from ._packs import Example, Rule

_FACT = regex.compile(r"\d[\d.,/:\-]*\d|\d")
MIN_EXAMPLES = 2


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    lang: str
    path: str
    example: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.rule_id} [{self.lang}]: {self.problem}\n    example: {self.example!r}"


def _warnings(checker: Checker, text: str, lang: str) -> Counter[str]:
    report = checker.check(text, lang=lang)
    return Counter(f.rule_id for f in report.findings if f.severity.rank >= Severity.WARNING.rank)


def check_rule_example(rule: Rule, example: Example, flagged: bool, *, packs: Sequence[str | Path] = (), builtin: bool = True) -> list[str]:
    """Problems with one example of one rule (empty when it behaves)."""
    problems: list[str] = []
    alone = Checker(select=[rule.id], packs=packs, builtin_packs=builtin, plugin_packs=False)
    report = alone.check(example.text, lang=rule.lang)
    if rule.kind == "element":
        spans = [(s.start, s.end) for s in report.elements.get(rule.id, ())]
        if flagged and example.span not in spans:
            problems.append(f"element expected at {example.span}, found at {spans}")
        if not flagged and spans:
            problems.append(f"element found at {spans} in a pass example")
        return problems
    own = [f for f in report.findings if f.rule_id == rule.id]
    if not flagged:
        if own:
            problems.append(f"flagged {[f.text for f in own]!r} in a pass example")
        return problems
    if [(f.start, f.end) for f in own] != [example.span]:
        assert example.span is not None
        problems.append(
            f"expected exactly [[{example.text[example.span[0]:example.span[1]]}]] at {example.span}, got "
            f"{[(f.text, f.start, f.end) for f in own]!r}"
        )
        return problems
    everything = Checker(packs=packs, builtin_packs=builtin, plugin_packs=False)
    before = _warnings(everything, example.text, rule.lang)
    facts = Counter(_FACT.findall(example.text))
    for index, suggestion in enumerate(own[0].suggestions):
        fixed = apply_suggestion(example.text, own[0], index)
        after = _warnings(everything, fixed, rule.lang)
        if after.get(rule.id, 0) >= before.get(rule.id, 0) and rule.severity is not Severity.INFO:
            problems.append(f"suggestion {suggestion.replacement!r} does not remove the finding: {fixed!r}")
        new = {k: v for k, v in (after - before).items() if k != rule.id}
        if new:
            problems.append(f"suggestion {suggestion.replacement!r} adds warnings {sorted(new)}: {fixed!r}")
        lost = facts - Counter(_FACT.findall(fixed))
        if lost:
            problems.append(f"suggestion {suggestion.replacement!r} loses facts {sorted(lost)}: {fixed!r}")
    return problems


def run_examples(rules: Iterable[Rule], *, packs: Sequence[str | Path] = (), builtin: bool = True, min_examples: int = MIN_EXAMPLES) -> list[ExampleFailure]:
    failures: list[ExampleFailure] = []
    for rule in rules:
        if len(rule.flag_examples) < min_examples or len(rule.pass_examples) < min_examples:
            failures.append(ExampleFailure(rule.id, rule.lang, rule.path, "", f"needs >= {min_examples} flag and >= {min_examples} pass examples"))
        for example in rule.flag_examples:
            failures += [ExampleFailure(rule.id, rule.lang, rule.path, example.text, p) for p in check_rule_example(rule, example, True, packs=packs, builtin=builtin)]
        for example in rule.pass_examples:
            failures += [ExampleFailure(rule.id, rule.lang, rule.path, example.text, p) for p in check_rule_example(rule, example, False, packs=packs, builtin=builtin)]
    return failures
