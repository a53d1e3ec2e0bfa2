"""Suppression comments: parsed per format, ranges in the file, applied to findings."""

from __future__ import annotations

import invoicetone
from invoicetone.sources import Suppression, apply_suppressions, line_col, parse_units

RULE = "denial.test-not-our-fault"


def check(checker: invoicetone.Checker, text: str, fmt: str) -> tuple[list[invoicetone.Finding], list[Suppression], list[Suppression]]:
    kept: list[invoicetone.Finding] = []
    used: list[Suppression] = []
    every: list[Suppression] = []
    for unit in parse_units(text, fmt):
        report = checker.check_document(unit.document, lang="en")
        k, u = apply_suppressions(report.findings, unit)
        kept.extend(k)
        used.extend(s for s in u if s not in used)
        every.extend(s for s in unit.suppressions if s not in every)
    return kept, used, every


def test_html_ignore_next_line(pack_checker: invoicetone.Checker) -> None:
    text = "<p>Hi,</p>\n<!-- invoicetone-ignore denial -->\n<p>That's not our fault.</p>\n<p>It's not our fault.</p>\n"
    kept, used, every = check(pack_checker, text, "html")
    assert [line_col(text, f.start)[0] for f in kept] == [4]
    assert used == every == [Suppression(("denial",), text.index("<p>That"), text.index("<p>It's"), 2, "ignore-next-line")]


def test_markdown_disable_enable_region(pack_checker: invoicetone.Checker) -> None:
    text = (
        "That's not our fault.\n\n<!-- invoicetone-disable denial.test-not-our-fault, blame -->\n\n"
        "That's not our fault.\n\nIt's not my fault.\n\n<!-- invoicetone-enable -->\n\nThat's not our fault.\n"
    )
    kept, used, every = check(pack_checker, text, "markdown")
    assert [line_col(text, f.start)[0] for f in kept] == [1, 11]
    [region] = every
    assert region.kind == "disable" and region.rules == (RULE, "blame") and region.line == 3
    assert text[region.start : region.end].strip() == "That's not our fault.\n\nIt's not my fault."
    assert used == [region]


def test_disable_without_enable_runs_to_the_end(pack_checker: invoicetone.Checker) -> None:
    text = "Fine.\n<!-- invoicetone-disable -->\nThat's not our fault.\n"
    kept, _used, [region] = check(pack_checker, text, "html")
    assert kept == [] and region.rules == () and region.end == len(text)


def test_unrelated_rule_is_not_suppressed_and_unused_is_reported(pack_checker: invoicetone.Checker) -> None:
    text = "<!-- invoicetone-ignore threat -->\nThat's not our fault.\n"
    kept, used, every = check(pack_checker, text, "html")
    assert len(kept) == 1 and used == [] and every[0].rules == ("threat",)


def test_jinja_comment_ignores_next_line_in_every_branch(pack_checker: invoicetone.Checker) -> None:
    text = "Hi,\n{# invoicetone: ignore denial #}\n{% if a %}That's not our fault.{% else %}It's not our fault.{% endif %}\nThat's not my fault.\n"
    kept, used, _ = check(pack_checker, text, "jinja")
    assert [line_col(text, f.start)[0] for f in kept] == [4, 4]  # one per branch, same place
    assert len(used) == 1 and used[0].line == 2


def test_handlebars_comment(pack_checker: invoicetone.Checker) -> None:
    text = "{{!-- invoicetone: ignore --}}\nThat's not our fault.\n"
    kept, used, _ = check(pack_checker, text, "handlebars")
    assert kept == [] and used[0].kind == "ignore-next-line"


def test_plain_line_end_marker(pack_checker: invoicetone.Checker) -> None:
    text = "That's not our fault.  invoicetone: ignore denial\nIt's not our fault.\n"
    [unit] = parse_units(text, "plain")
    assert "invoicetone" not in unit.document.text  # the marker itself is not analysed
    assert unit.document.text == "That's not our fault. It's not our fault."
    kept, used, _ = check(pack_checker, text, "plain")
    assert [line_col(text, f.start)[0] for f in kept] == [2]
    assert used == [Suppression(("denial",), 0, text.index("It's"), 1, "ignore-line")]


def test_marker_inside_a_sentence_is_prose() -> None:
    text = "The word invoicetone: ignore appears mid-line here.\n"
    [unit] = parse_units(text, "plain")
    assert unit.suppressions == ()
    assert unit.document.text == text.strip()


def test_suppression_inside_a_json_field_points_into_the_file(pack_checker: invoicetone.Checker) -> None:
    text = '{"body": "<p>Hi</p>\\n<!-- invoicetone-ignore -->\\n<p>That\'s not our fault.</p>"}'
    [unit] = parse_units(text, "json")
    [suppression] = unit.suppressions
    assert text[suppression.start : suppression.end].startswith("<p>That's")
    kept, used = apply_suppressions(pack_checker.check_document(unit.document, lang="en").findings, unit)
    assert kept == [] and used == [suppression]


def test_ignore_skips_blank_lines_to_the_next_text(pack_checker: invoicetone.Checker) -> None:
    text = "Intro.\n\n<!-- invoicetone-ignore -->\n\nThat's not our fault.\n\nThat's not our fault.\n"
    kept, used, _ = check(pack_checker, text, "markdown")
    assert [line_col(text, f.start)[0] for f in kept] == [7]
    assert text[used[0].start : used[0].end] == "That's not our fault.\n"
