"""Formats through the command line: positions in the original file, branches, stdin names, placeholders."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from invoicetone import ConfigError, cli
from invoicetone._config import load_config
from invoicetone._files import HAVE_SOURCES

pytestmark = pytest.mark.skipif(not HAVE_SOURCES, reason="invoicetone.sources is not installed yet")

CASES = {
    "a.txt": "Hi {name},\n\nThat's not our fault.\n",
    "a.md": "# Reply\n\nHi *{{ name }}*,\n\nThat's **not our fault**.\n",
    "a.html": "<p>Hi {{name}},</p>\n<p>That&#39;s not our fault.</p>\n",
    "a.eml": "From: a@example.com\nSubject: Re: invoice\n\nHi Dana,\n\nThat's not our fault.\n",
    "a.j2": "Hi {{ name }},\n{% if x %}\nThat's not our fault.\n{% else %}\nThank you.\n{% endif %}\n",
    "a.liquid": "Hi {{ name | default: 'there' }},\nThat's not our fault.\n",
    "a.hbs": "Hi {{name}},\n{{#if x}}That's not our fault.{{/if}}\n",
    "a.json": '{"macros": [{"body": "Hi {{name}},\\nThat\'s not our fault."}]}\n',
    "a.yaml": "macros:\n  - body: |\n      Hi {{name}},\n      That's not our fault.\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_finding_positions_are_file_positions(in_tmp: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = CASES[name]
    (in_tmp / name).write_text(text, encoding="utf-8")
    cli.main(["check", name, "--lang", "en", "--format", "json", "--select", "denial"])
    data = json.loads(capsys.readouterr().out)
    diags = data["files"][0]["diagnostics"]
    assert len(diags) == 1, diags  # once, even when several template branches contain it
    diag = diags[0]
    lines = text.split("\n")
    assert text[diag["start"]:diag["end"]] == diag["text"]
    assert "not our fault" in diag["text"].replace("**", "")
    assert lines[diag["line"] - 1][diag["column"] - 1:].startswith(diag["text"].split("\n")[0])


def test_stdin_filename_sets_the_format(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    html = "<p>Hi,</p>\n<p>That&#39;s NOT our fault!!!</p>\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(html.encode("utf-8"))))
    cli.main(["check", "-", "--stdin-filename", "reply.html", "--lang", "en", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["path"] == "reply.html" and data["files"][0]["input_format"] == "html"
    diags = data["files"][0]["diagnostics"]
    assert not any("<p>" in d["text"] for d in diags)
    assert ("shouting.caps", "NOT", 2, 15) in {(d["rule_id"], d["text"], d["line"], d["column"]) for d in diags}


def test_missing_element_reported_per_branch_only_where_lacking(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.j2").write_text(
        "Hello {{ name }},\n\nThank you for your message about invoice 7.\n"
        "{% if late %}\nPay now.\n{% else %}\nUnder clause 4 of our agreement, payment is due in 30 days.\n{% endif %}\n",
        encoding="utf-8",
    )
    cli.main(["check", "a.j2", "--lang", "en", "--format", "json", "--select", "missing.contract_reference"])
    diags = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    assert [(d["rule_id"], d["unit"]) for d in diags] == [("missing.contract_reference", "branch 1/2")]


def test_placeholder_syntaxes_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "invoicetone.toml"
    path.write_text('placeholders = ["double_brace", "curly"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "key 'placeholders'" in str(info.value) and "double_brace" in str(info.value)
    path.write_text('placeholders = ["double_brace"]\n', encoding="utf-8")
    assert load_config(path).base.placeholders == ("double_brace",)
