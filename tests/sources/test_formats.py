"""Each input format: a known defensive phrase at a known place, found at the right file position."""

from __future__ import annotations

from pathlib import Path

import pytest

import invoicetone
from invoicetone.sources import FORMATS, Unit, detect_format, line_col, parse_units

FIXTURES = Path(__file__).parent / "fixtures"
RULE = "denial.test-not-our-fault"


def read(name: str) -> str:
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def findings(checker: invoicetone.Checker, units: list[Unit], rule: str = RULE) -> list[tuple[str, invoicetone.Finding]]:
    out = []
    for unit in units:
        assert unit.document.original is not None
        report = checker.check_document(unit.document, lang="en")
        out.extend((unit.label, f) for f in report.findings if f.rule_id == rule)
    return out


# file, expected raw span text in the file, 1-based (line, column), number of units
CASES = [
    ("reply.txt", "That's not our fault", (4, 28), 1),
    ("reply.md", "That&rsquo;s not our fault", (13, 14), 1),
    ("reply.html", "That&#8217;s not our&nbsp;<b>fault", (7, 1), 1),
    ("reply.eml", "That=E2=80=99s not our fault", (13, 40), 1),
    ("reply_html.eml", "That&#39;s not our fault", (8, 34), 1),
    ("reply.j2", "That's not our fault", (3, 61), 2),
    ("reply.liquid", 'It is {% case tone %}{% when "soft" %}sadly{% else %}simply{% endcase %} not our fault', (2, 18), 3),
    ("reply.hbs", "That's not our fault", (3, 3), 2),
]


@pytest.mark.parametrize(("name", "span", "position", "n_units"), CASES)
def test_finding_points_into_the_file(pack_checker: invoicetone.Checker, name: str, span: str, position: tuple[int, int], n_units: int) -> None:
    text = read(name)
    units = parse_units(text, detect_format(name))
    assert len(units) == n_units
    assert all(u.document.original == text for u in units)
    found = findings(pack_checker, units)
    assert found, f"no finding in {name}: {[u.document.text for u in units]}"
    starts = {f.start for _, f in found}
    assert starts == {text.index(span)}  # one place, whatever the branch
    for _, finding in found:
        assert text[finding.start : finding.end] == finding.text == span
        assert line_col(text, finding.start) == position


def test_base64_body_maps_to_the_encoding_groups(pack_checker: invoicetone.Checker) -> None:
    text = read("reply_b64.eml")
    [unit] = parse_units(text, "email")
    assert unit.document.text == "Hi Jane, We checked it. That's not our fault, sorry."
    [(_, finding)] = findings(pack_checker, [unit])
    # "That’s not our fault" is bytes 24..46 of the body: base64 groups 8..15, characters 32..64
    body_start = text.index("\n\n") + 2
    assert finding.start == body_start + 32
    assert finding.end == body_start + 64
    assert finding.text == text[finding.start : finding.end]
    assert line_col(text, finding.start) == (8, 33)


def test_json_fields_map_through_escapes(pack_checker: invoicetone.Checker) -> None:
    text = read("macros.json")
    units = parse_units(text, "json", key_paths=["macros[*].body"])
    assert [u.label for u in units] == ["macros[0].body", "macros[1].body", "macros[2].body branch 1/2", "macros[2].body branch 2/2"]
    assert units[0].document.text == "Hi Placeholder, That's not our fault, the bank was late. \"Sorry\" \U0001f600"
    assert units[1].document.text == "Hello, That's not our fault."  # HTML detected inside the field
    found = findings(pack_checker, units)
    spans = [(label, f.text, line_col(text, f.start)) for label, f in found]
    assert spans == [
        ("macros[0].body", "That\\u2019s not our fault", (3, 84)),
        ("macros[1].body", "That&#39;s not our fault", (4, 68)),
        ("macros[2].body branch 2/2", "That's not our fault", (5, 82)),
    ]
    for _, finding in found:
        assert text[finding.start : finding.end] == finding.text
    # the emoji escape (a surrogate pair) maps to all twelve characters
    doc = units[0].document
    i = doc.text.index("\U0001f600")
    a, b = doc.to_original(i, i + 1)
    assert text[a:b] == "\\ud83d\\ude00"


def test_yaml_scalars_of_every_style(pack_checker: invoicetone.Checker) -> None:
    text = read("macros.yaml")
    units = parse_units(text, "yaml", key_paths=["macros[*].body"])
    assert [u.label for u in units] == [f"macros[{i}].body" for i in range(5)]
    texts = [u.document.text for u in units]
    assert texts == [
        "Hi Placeholder, that's not our fault, the bank was late.",
        "It's sadly not our fault.",
        "Café \"note\": That's not our fault.",
        "Hello, That's not our fault, sorry.",
        "Hello, That's not our fault, sorry.",
    ]
    found = findings(pack_checker, units)
    got = [(f.text, line_col(text, f.start)) for _, f in found]
    assert got == [
        ("that's not our\n      fault", (4, 32)),
        ("It''s sadly not our fault", (7, 12)),
        ("That's not our fault", (9, 32)),
        ("That's not our fault", (13, 7)),
        ("That's not our fault", (17, 7)),
    ]
    for _, finding in found:
        assert text[finding.start : finding.end] == finding.text


def test_key_paths_select_fields() -> None:
    text = read("macros.yaml")
    assert [u.label for u in parse_units(text, "yaml", key_paths=["meta.note"])] == ["meta.note"]
    assert [u.label for u in parse_units(text, "yaml", key_paths=["macros[1].*"])] == ["macros[1].id", "macros[1].body"]
    every = [u.label for u in parse_units(text, "yaml")]
    assert "meta.note" in every and "macros[0].id" in every
    assert [u.label for u in parse_units(read("macros.json"), "json", key_paths=["**.title"])] == [
        "macros[0].title", "macros[1].title", "macros[2].title",
    ]
    assert parse_units(text, "yaml", key_paths=["nothing.here"]) == []


def test_markdown_skips_code_and_urls(pack_checker: invoicetone.Checker) -> None:
    text = read("reply.md")
    [unit] = parse_units(text, "markdown")
    doc = unit.document
    assert doc.text.count("not our fault") == 1  # not the fenced block, inline code, or the link URL / title
    assert "example.com" not in doc.text
    assert "Thanks for the message." in doc.text  # link text kept
    assert "Hi Placeholder," in doc.text  # emphasis markers dropped, placeholder masked
    # a heading and list items are hard breaks
    assert doc.text.index("Hi") in doc.breaks or doc.text.index("Hi") - 1 in doc.breaks


def test_html_skips_head_script_style() -> None:
    text = read("reply.html")
    [unit] = parse_units(text, "html")
    assert unit.document.text == "Hi Placeholder, Café order & invoice checked. That's not our fault, the bank was late."


def test_detect_format() -> None:
    expected = {
        "a.txt": "plain", "a.md": "markdown", "a.markdown": "markdown", "a.html": "html", "a.HTM": "html",
        "a.eml": "email", "a.j2": "jinja", "reply.html.jinja2": "jinja", "a.jinja": "jinja", "a.liquid": "liquid",
        "a.hbs": "handlebars", "a.handlebars": "handlebars", "a.mustache": "handlebars", "a.json": "json",
        "a.yaml": "yaml", "a.yml": "yaml", "README": "plain", "notes.rst": "plain",
    }
    assert {name: detect_format(name) for name in expected} == expected
    assert set(expected.values()) == set(FORMATS)


def test_default_checker_on_every_fixture() -> None:
    """The real packs: the phrase is flagged in every format and spans stay exact."""
    checker = invoicetone.Checker()
    for name, _span, _position, _n in CASES:
        text = read(name)
        reports = [checker.check_document(u.document, lang="en") for u in parse_units(text, detect_format(name))]
        flagged = [f for r in reports for f in r.findings if f.category.value == "denial"]
        assert flagged, name
        for report in reports:
            for finding in report.findings:
                assert text[finding.start : finding.end] == finding.text


def test_yaml_pure_python_loader_gives_the_same_spans(pack_checker: invoicetone.Checker, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from invoicetone.sources import structured

    text = read("macros.yaml")
    fast = [(u.label, u.document.starts, u.document.ends) for u in parse_units(text, "yaml")]
    monkeypatch.setattr(structured, "LOADER", yaml.SafeLoader)
    slow = [(u.label, u.document.starts, u.document.ends) for u in parse_units(text, "yaml")]
    assert fast == slow


def test_markdown_blocks_tables_and_html_blocks() -> None:
    text = (
        "Intro.\n\n<div class=\"x\">\n<p>Html &amp; block</p>\n</div>\n\n1. first *item*\n   continued\n"
        "2. second\n\n   > nested `code`\n\n| h1 | h2 |\n|----|----|\n| c1 | a\\|b |\n\nSetext\n======\nDone.\n"
    )
    [unit] = parse_units(text, "markdown")
    doc = unit.document
    assert doc.text == "Intro. Html & block first item continued second nested Placeholder h1 h2 c1 a|b Setext Done."
    for i, ch in enumerate(doc.text):
        source = text[doc.starts[i] : doc.ends[i]]
        assert source == ch or ch == " " or source in ("&amp;", "`code`"), (ch, source)


def test_is_verbatim_tells_plain_prose_from_markup(pack_checker: invoicetone.Checker) -> None:
    from invoicetone.sources import is_verbatim

    expected = {
        "reply.txt": True,
        "reply.md": False,  # &rsquo;
        "reply.html": False,  # entities and <b>
        "reply.eml": False,  # quoted-printable escapes
        "reply.j2": True,
        "reply.liquid": False,  # {% case %} tags inside the span
        "reply.hbs": True,
    }
    for name, verbatim in expected.items():
        text = read(name)
        for unit in parse_units(text, detect_format(name)):
            for finding in pack_checker.check_document(unit.document, lang="en").findings:
                assert is_verbatim(unit.document, finding.start, finding.end) is verbatim, name
    text = "It is {{ sadly }} not  our\nfault."
    [unit] = parse_units(text, "plain")
    end = text.index("fault") + len("fault")
    assert not is_verbatim(unit.document, 0, end)  # a placeholder inside
    assert is_verbatim(unit.document, text.index("not"), end)  # "not  our\nfault": whitespace runs are fine
    [html_unit] = parse_units("<p>not our <!-- x --> fault</p>", "html")
    assert not is_verbatim(html_unit.document, 3, 27)  # a comment left out of the analysis
