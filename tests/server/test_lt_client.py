"""Acceptance: the real ``language_tool_python`` client, pointed at our server with ``remote_server=``,
returns invoicetone's matches with correct offsets and replacements, in English and in Slovak."""

from __future__ import annotations

from collections.abc import Iterator

import language_tool_python
import pytest

import invoicetone

from .conftest import LiveServer

ENGLISH = "Hi Dana 👋,\n\nThat's not our fault, you should have read the contract!!!\nRegards, Tom"
SLOVAK = "Dobrý deň 👋,\n\nTo nie je naša chyba. Takto jednoducho funguje naša fakturácia - mali ste to vedieť."


@pytest.fixture()
def tool_for(server: LiveServer) -> Iterator[object]:
    tools: list[object] = []

    def make(language: str) -> object:
        tool = language_tool_python.LanguageTool(language, remote_server=server.url)
        tools.append(tool)
        return tool

    yield make
    for tool in tools:
        tool.close()  # type: ignore[attr-defined]


def _expected(text: str, lang: str) -> list[tuple[str, int, int, str, list[str]]]:
    report = invoicetone.Checker().check(text, lang=lang)
    return [
        (f.rule_id, f.start, f.end - f.start, text[f.start : f.end], [s.replacement for s in f.suggestions])
        for f in report.findings
    ]


def _got(tool: object, text: str) -> list[tuple[str, int, int, str, list[str]]]:
    matches = tool.check(text)  # type: ignore[attr-defined]
    return [
        (m.rule_id, m.offset, m.error_length, text[m.offset : m.offset + m.error_length], list(m.replacements))
        for m in matches
    ]


def test_english_draft_through_language_tool_python(tool_for: object) -> None:
    tool = tool_for("en-US")  # type: ignore[operator]
    got = _got(tool, ENGLISH)
    assert got == _expected(ENGLISH, "en")
    by_rule = {rule: (span, replacements) for rule, _o, _l, span, replacements in got}
    assert by_rule["denial.not-our-fault"][0] == "That's not our fault"
    assert by_rule["denial.not-our-fault"][1], "the client must receive the suggested paraphrases"
    assert by_rule["shouting.punctuation"] == ("!!!", ["."])
    corrected = language_tool_python.utils.correct(ENGLISH, tool.check(ENGLISH))  # type: ignore[attr-defined]
    assert "not our fault" not in corrected and "!!!" not in corrected


def test_slovak_draft_through_language_tool_python(tool_for: object) -> None:
    if not invoicetone.Checker().rules("sk"):
        pytest.skip("no Slovak phrase rules are installed yet (data/phrases/sk/ is empty)")
    tool = tool_for("sk-SK")  # type: ignore[operator]
    got = _got(tool, SLOVAK)
    assert got == _expected(SLOVAK, "sk")
    spans = {span for _r, _o, _l, span, _s in got}
    assert "To nie je naša chyba" in spans or any("nie je naša chyba" in s for s in spans), got
    assert all(replacements for *_rest, replacements in got if _rest[0].startswith(("denial.", "blame.")))


def test_auto_language_through_the_client(tool_for: object) -> None:
    tool = tool_for("auto")  # type: ignore[operator]
    assert _got(tool, ENGLISH) == _expected(ENGLISH, "en")
