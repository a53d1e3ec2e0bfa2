"""The score: 100 minus documented penalties, never below 0. See ``docs/scoring.md``.

Every point lost is a :class:`Penalty` naming the finding's rule id or the missing element's id, so
the score is explainable and monotone: an added finding or a newly missing element only adds a
penalty; an added element only removes one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._model import Category, Finding, Missing, Penalty, Severity

SUBSCORES = ("defensiveness", "escalation", "tone", "empathy", "grounding", "resolution")

# Which sub-score each category weighs on.
CATEGORY_SUBSCORE: Mapping[Category, str] = {
    Category.DENIAL: "defensiveness",
    Category.BLAME: "defensiveness",
    Category.POLICY: "defensiveness",
    Category.CONDESCENSION: "defensiveness",
    Category.PASSIVE_AGGRESSION: "defensiveness",
    Category.ABSOLUTE: "defensiveness",
    Category.SARCASM: "defensiveness",
    Category.MINIMISING: "defensiveness",
    Category.THREAT: "escalation",
    Category.EMOTIONAL: "escalation",
    Category.INSULT: "escalation",
    Category.SHOUTING: "escalation",
    Category.HEATED: "tone",
    Category.CONTRACT: "grounding",
    Category.CUSTOM: "defensiveness",
}

# Points off the overall score for each finding, by severity.
FINDING_POINTS: Mapping[Severity, float] = {Severity.INFO: 3.0, Severity.WARNING: 15.0, Severity.ERROR: 25.0}
# Points off for each missing element; elements not listed cost MISSING_DEFAULT.
MISSING_POINTS: Mapping[str, float] = {
    "acknowledgement": 10.0,
    "contract_reference": 10.0,
    "solution": 8.0,
    "next_steps": 8.0,
    "paraphrase": 4.0,
    "evidence": 4.0,
    "invitation": 4.0,
    "summary": 3.0,
}
MISSING_DEFAULT = 5.0
ELEMENT_SUBSCORE: Mapping[str, str] = {
    "acknowledgement": "empathy",
    "paraphrase": "empathy",
    "invitation": "empathy",
    "contract_reference": "grounding",
    "evidence": "grounding",
    "solution": "resolution",
    "next_steps": "resolution",
    "summary": "resolution",
}
# A sub-score falls faster than the overall score: it only sees its own penalties.
SUBSCORE_SCALE = 2.0


def penalties_for(findings: Iterable[Finding], missing: Iterable[Missing]) -> list[Penalty]:
    penalties = [
        Penalty(f.rule_id, CATEGORY_SUBSCORE.get(f.category, "defensiveness"), FINDING_POINTS[f.severity])
        for f in findings
    ]
    penalties += [
        Penalty(m.id, ELEMENT_SUBSCORE.get(m.id, "resolution"), MISSING_POINTS.get(m.id, MISSING_DEFAULT))
        for m in missing
    ]
    return penalties


def score(penalties: Iterable[Penalty]) -> tuple[float, dict[str, float]]:
    """Overall score and sub-scores, each in 0..100."""
    lost = 0.0
    by_subscore = dict.fromkeys(SUBSCORES, 0.0)
    for penalty in penalties:
        lost += penalty.points
        by_subscore[penalty.subscore] = by_subscore.get(penalty.subscore, 0.0) + penalty.points
    overall = max(0.0, 100.0 - lost)
    subscores = {name: max(0.0, 100.0 - SUBSCORE_SCALE * points) for name, points in by_subscore.items()}
    return overall, subscores
