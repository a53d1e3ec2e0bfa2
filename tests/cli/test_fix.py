"""``invoicetone fix``: atomic writes, encodings, BOM, CRLF, placeholders, idempotence, --diff."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from invoicetone import cli
from invoicetone._files import HAVE_SOURCES

SHOUTY = "Hi {{ name }},\n\nYou MUST pay invoice 7 by Friday!!!\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_writes_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = in_tmp / "a.txt"
    path.write_text(SHOUTY, encoding="utf-8")
    code, out, err = run(capsys, "fix", "a.txt", "--diff", "--lang", "en")
    assert code == 1
    assert out.startswith("--- a/a.txt\n+++ b/a.txt\n")
    assert "-You MUST pay invoice 7 by Friday!!!\n+You must pay invoice 7 by Friday.\n" in out
    assert "would fix 2" in err
    assert path.read_text(encoding="utf-8") == SHOUTY


def test_fix_is_atomic_and_idempotent(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = in_tmp / "a.txt"
    path.write_text(SHOUTY, encoding="utf-8")
    path.chmod(0o640)
    assert run(capsys, "fix", "a.txt", "--lang", "en")[0] == 0
    fixed = path.read_text(encoding="utf-8")
    assert fixed == "Hi {{ name }},\n\nYou must pay invoice 7 by Friday.\n"
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["a.txt"]  # no temp file left behind
    code, out, err = run(capsys, "fix", "a.txt", "--diff", "--lang", "en")
    assert code == 0 and out == "" and "would fix 0" in err
    run(capsys, "fix", "a.txt", "--lang", "en")
    assert path.read_text(encoding="utf-8") == fixed


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_encoding_bom_and_crlf_are_kept(in_tmp: Path, capsys: pytest.CaptureFixture[str], codec: str, bom: bytes) -> None:
    text = SHOUTY.replace("\n", "\r\n")
    path = in_tmp / "a.txt"
    path.write_bytes(bom + text.encode(codec))
    assert run(capsys, "fix", "a.txt", "--lang", "en")[0] == 0
    data = path.read_bytes()
    assert data.startswith(bom)
    fixed = data[len(bom):].decode(codec)
    assert fixed == "Hi {{ name }},\r\n\r\nYou must pay invoice 7 by Friday.\r\n"


def test_stdin_fix_prints_the_fixed_text(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SHOUTY.encode("utf-8"))))
    code, out, _ = run(capsys, "fix", "-", "--lang", "en")
    assert code == 0 and out == "Hi {{ name }},\n\nYou must pay invoice 7 by Friday.\n"


FORMAT_CASES = {
    "a.txt": ("Hi {name},\n\nYou MUST pay by Friday!!!\n", "You must pay by Friday."),
    "a.md": ("# Reply\n\nHi {{ name }},\n\nYou MUST pay by Friday!!!\n\n```\nNOT CODE!!!\n```\n", "You must pay by Friday."),
    "a.html": ("<p>Hi {{name}},</p>\n<p>You MUST pay by Friday!!!</p>\n", "You must pay by Friday."),
    "a.j2": ("Hi {{ customer.first_name }},\n{% if late %}You MUST pay by Friday!!!{% endif %}\n", "You must pay by Friday."),
    "a.liquid": ("Hi {{ name | default: 'there' }},\nYou MUST pay by Friday!!!\n", "You must pay by Friday."),
    "a.hbs": ("Hi {{name}},\n{{#if late}}You MUST pay by Friday!!!{{/if}}\n", "You must pay by Friday."),
    "a.json": ('{"macros": [{"body": "Hi {{name}}, you MUST pay by Friday!!!"}]}\n', "you must pay by Friday."),
    "a.yaml": ("macros:\n  - body: Hi {{name}}, you MUST pay by Friday!!!\n", "you must pay by Friday."),
    "a.eml": ("From: a@example.com\nSubject: Re: invoice\n\nHi Dana,\n\nYou MUST pay by Friday!!!\n", "You must pay by Friday."),
}


@pytest.mark.parametrize("name", sorted(FORMAT_CASES))
def test_fix_on_every_format(in_tmp: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    if not HAVE_SOURCES and not name.endswith(".txt"):
        pytest.skip("invoicetone.sources (format adapters) is not installed yet")
    text, expected = FORMAT_CASES[name]
    path = in_tmp / name
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "fix", name, "--lang", "en")
    assert code == 0, err
    fixed = path.read_text(encoding="utf-8")
    assert expected in fixed
    for placeholder in ("{name}", "{{ name }}", "{{name}}", "{{ customer.first_name }}", "{% if late %}", "{{#if late}}"):
        assert text.count(placeholder) == fixed.count(placeholder)
    if name == "a.md":
        assert "NOT CODE!!!" in fixed  # code blocks are not prose
    if name == "a.eml":
        assert fixed.startswith("From: a@example.com\nSubject: Re: invoice\n")
    code, out, _ = run(capsys, "fix", name, "--diff", "--lang", "en")
    assert code == 0 and out == "", f"second run changed {name}"
