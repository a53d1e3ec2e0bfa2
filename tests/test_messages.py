"""Every message exists in both languages; reports speak the text's language or ui_lang."""

from __future__ import annotations

import pytest

import invoicetone
from invoicetone import Checker

RULES = Checker(plugin_packs=False).load_rules()


def ids(kind: str, lang: str) -> set[str]:
    return {r.id for r in RULES if r.kind == kind and r.lang == lang}


@pytest.mark.parametrize("kind", ["rule", "element"])
def test_every_rule_and_element_has_both_languages(kind: str) -> None:
    english, slovak = ids(kind, "en"), ids(kind, "sk")
    assert english - slovak == set(), f"{kind}s without a Slovak translation"
    assert slovak - english == set(), f"{kind}s without an English translation"


def test_messages_follow_the_text_language_by_default() -> None:
    sk = invoicetone.check("To nie je naša chyba.", lang="sk")
    en = invoicetone.check("That is not our fault.", lang="en")
    sk_finding = next(f for f in sk.findings if f.rule_id == "denial.not-our-fault")
    en_finding = next(f for f in en.findings if f.rule_id == "denial.not-our-fault")
    assert sk_finding.message != en_finding.message
    assert any(c in sk_finding.message for c in "áäčďéíľňóôšťúýž")


@pytest.mark.parametrize(("text", "lang", "ui"), [("To nie je naša chyba.", "sk", "en"), ("That is not our fault.", "en", "sk")])
def test_ui_lang_switches_messages_not_suggestions(text: str, lang: str, ui: str) -> None:
    native = invoicetone.check(text, lang=lang)
    other = invoicetone.check(text, lang=lang, ui_lang=ui)
    reference = invoicetone.check("That is not our fault." if ui == "en" else "To nie je naša chyba.", lang=ui)
    finding = next(f for f in other.findings if f.rule_id == "denial.not-our-fault")
    expected = next(f for f in reference.findings if f.rule_id == "denial.not-our-fault")
    assert finding.message == expected.message
    native_finding = next(f for f in native.findings if f.rule_id == "denial.not-our-fault")
    assert finding.suggestions == native_finding.suggestions  # pasted into the draft: its language
    for missing in other.missing:
        assert missing.message in {m.message for m in reference.missing} | {
            r.message for r in RULES if r.kind == "element" and r.lang == ui
        }


def test_checker_level_ui_lang_and_bad_value() -> None:
    checker = Checker(ui_lang="en")
    report = checker.check("To nie je naša chyba.", lang="sk")
    assert all(not any(c in f.message for c in "čšžťľ") for f in report.findings)
    with pytest.raises(invoicetone.ConfigError, match="ui_lang"):
        Checker(ui_lang="de")
