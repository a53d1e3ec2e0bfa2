"""Placeholders: masked as one opaque noun in every format, never flagged, never breaking a phrase."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone.errors import InputError
from invoicetone.sources import PLACEHOLDER_SYNTAXES, parse_units

SAMPLES = {
    "double_brace": "{{ customer.first_name }}",
    "triple_brace": "{{{raw}}}",
    "single_brace": "{invoice_number}",
    "percent": "%NAME%",
    "double_bracket": "[[name]]",
    "brace_percent": "{%customer.firstName,fallback=there%}",
    "brace_hash": "{# a comment #}",
    "dollar_brace": "${amount}",
}


@pytest.mark.parametrize(("syntax", "placeholder"), sorted(SAMPLES.items()))
@pytest.mark.parametrize("fmt", ["plain", "markdown", "html"])
def test_each_syntax_is_masked(fmt: str, syntax: str, placeholder: str) -> None:
    text = f"Dear {placeholder}, here is the invoice."
    [unit] = parse_units(text, fmt)
    doc = unit.document
    assert doc.text == "Dear Placeholder, here is the invoice."
    [(a, b)] = doc.masked
    start, end = doc.to_original(a, b)
    assert text[start:end] == placeholder


def test_syntaxes_are_configurable() -> None:
    text = "Dear %NAME%, invoice {number} is {{ state }}."
    [unit] = parse_units(text, "plain", placeholders=["percent"])
    assert unit.document.text == "Dear Placeholder, invoice {number} is {{ state }}."
    [unit] = parse_units(text, "plain", placeholders=[])
    assert unit.document.text == text
    with pytest.raises(InputError, match=r"unknown placeholder syntax 'mustache'.*double_brace"):
        parse_units(text, "plain", placeholders=["mustache"])
    assert set(SAMPLES) == set(PLACEHOLDER_SYNTAXES)


def test_percent_signs_and_braces_in_prose_are_not_placeholders() -> None:
    text = "We refunded 50% and 20% of the total; see [1], [ 2 ] and {}."
    [unit] = parse_units(text, "plain")
    assert unit.document.masked == ()


def test_shouted_placeholder_is_never_flagged() -> None:
    """The default packs flag SHOUTING; a placeholder in capitals is not prose."""
    checker = invoicetone.Checker()
    text = "Dear {{ CUSTOMER_NAME }}, invoice %INVOICE_ID% for [[COMPANY_NAME]] is attached."
    for fmt in ("plain", "jinja", "handlebars", "markdown", "html"):
        for unit in parse_units(text, fmt):
            report = checker.check_document(unit.document, lang="en")
            for finding in report.findings:
                assert "{{" not in finding.text and "%" not in finding.text and "[[" not in finding.text, (fmt, finding)


def test_phrase_across_a_placeholder(pack_checker: invoicetone.Checker) -> None:
    text = "It is {{ sadly }} not our fault."
    for fmt in ("plain", "jinja", "handlebars"):
        [unit] = parse_units(text, fmt)
        [finding] = pack_checker.check_document(unit.document, lang="en").findings
        assert finding.text == "It is {{ sadly }} not our fault"
        assert text[finding.start : finding.end] == finding.text
    # unmasked, the braces are several tokens and break the "~2" gap: only the shorter pattern matches
    [raw] = parse_units(text, "plain", placeholders=[])
    assert [f.text for f in pack_checker.check_document(raw.document, lang="en").findings] == ["not our fault"]


def test_possessive_placeholder(pack_checker: invoicetone.Checker) -> None:
    """``not {{company}}'s fault``: the placeholder may be the client ("not your fault" is kind) or us.

    The generic denial rule must not guess; a company pack that knows its placeholder names writes a
    ``#PLACEHOLDER`` pattern, and the finding then spans the placeholder exactly.
    """
    text = "It is not {{company}}'s fault."
    [unit] = parse_units(text, "jinja")
    found = pack_checker.check_document(unit.document, lang="en").findings
    assert [f.rule_id for f in found] == ["custom.test-not-company-fault"]
    assert found[0].text == "not {{company}}'s fault" == text[found[0].start : found[0].end]
    # the placeholder alone is never a finding
    assert all(f.text != "{{company}}" for f in found)
