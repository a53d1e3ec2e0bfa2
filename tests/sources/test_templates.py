"""Template branches: one unit per combination (capped), each with only its branch's text."""

from __future__ import annotations

import pytest

from invoicetone.sources import MAX_VARIANTS, SourceError, parse_units


def texts(text: str, fmt: str) -> list[tuple[str, str]]:
    return [(u.label, u.document.text) for u in parse_units(text, fmt)]


def test_if_elif_else() -> None:
    text = "Hi {{ name }}. {% if a %}One.{% elif b %}Two.{% else %}Three.{% endif %} Bye."
    assert texts(text, "jinja") == [
        ("branch 1/3", "Hi Placeholder. One. Bye."),
        ("branch 2/3", "Hi Placeholder. Two. Bye."),
        ("branch 3/3", "Hi Placeholder. Three. Bye."),
    ]


def test_if_without_else_has_an_empty_alternative_and_nesting_multiplies() -> None:
    text = "A{% if x %} B{% if y %} C{% endif %}{% endif %}."
    assert [t for _, t in texts(text, "jinja")] == ["A B C.", "A B.", "A."]


def test_for_loop_body_is_kept_and_for_else_is_a_branch() -> None:
    assert [t for _, t in texts("Items:{% for i in xs %} {{ i }}{% endfor %}.", "jinja")] == ["Items: Placeholder."]
    assert [t for _, t in texts("{% for i in xs %}Got {{ i }}.{% else %}Nothing.{% endfor %}", "jinja")] == [
        "Got Placeholder.",
        "Nothing.",
    ]
    # Django spells the loop's else "empty"
    assert [t for _, t in texts("{% for i in xs %}Got it.{% empty %}Nothing.{% endfor %}", "jinja")] == ["Got it.", "Nothing."]


def test_silent_tags_and_comments_render_nothing() -> None:
    text = "{% set x = 1 %}Hello{# note #}, {% include 'sig.txt' %} there.{% comment %}That's not our fault{% endcomment %}"
    [(label, doc)] = texts(text, "jinja")
    assert label == "" and doc == "Hello, Placeholder there."


def test_liquid_unless_and_case() -> None:
    text = "{% unless paid %}Please pay.{% endunless %}{% case t %} ignored {% when 'a' %} A.{% when 'b' %} B.{% endcase %}"
    assert [t for _, t in texts(text, "liquid")] == ["Please pay. A.", "Please pay. B.", "Please pay.", "A.", "B.", ""]


def test_handlebars_blocks() -> None:
    text = "Hi {{name}}. {{#if a}}Yes.{{else if b}}Maybe.{{else}}No.{{/if}} {{^items}}Empty.{{/items}}{{#each xs}} {{this}}{{/each}}"
    got = [t for _, t in texts(text, "handlebars")]
    assert got == [
        "Hi Placeholder. Yes. Empty. Placeholder",
        "Hi Placeholder. Yes. Placeholder",
        "Hi Placeholder. Maybe. Empty. Placeholder",
        "Hi Placeholder. Maybe. Placeholder",
        "Hi Placeholder. No. Empty. Placeholder",
        "Hi Placeholder. No. Placeholder",
    ]


def test_many_conditionals_fall_back_to_covering_every_branch() -> None:
    # five independent if/else: 32 combinations > cap, so each branch is covered at least once
    text = " ".join(f"{{% if c{i} %}}yes{i}.{{% else %}}no{i}.{{% endif %}}" for i in range(5))
    units = parse_units(text, "jinja")
    assert MAX_VARIANTS < 2 ** 5
    assert len(units) == 2
    joined = " ".join(u.document.text for u in units)
    for i in range(5):
        assert f"yes{i}." in joined and f"no{i}." in joined
    # four of them: 16 combinations, all produced
    text4 = " ".join(f"{{% if c{i} %}}yes{i}.{{% else %}}no{i}.{{% endif %}}" for i in range(4))
    assert len({u.document.text for u in parse_units(text4, "jinja")}) == 16


def test_html_template_is_read_as_html() -> None:
    text = "<p>Hi {{ name }},</p>{% if late %}<p>That&#39;s late.</p>{% endif %}"
    assert [t for _, t in texts(text, "jinja")] == ["Hi Placeholder, That's late.", "Hi Placeholder,"]


@pytest.mark.parametrize(
    ("text", "fmt", "message", "line"),
    [
        ("Hi\n{% if a %}x", "jinja", "'if' block opened here is never closed", 2),
        ("Hi\n\n{% endif %}", "jinja", "without a matching opening tag", 3),
        ("{% if a %}x{% endfor %}", "jinja", "closes the 'if' block opened at line 1", 1),
        ("Hi {{ name", "jinja", "'{{' is never closed", 1),
        ("{% else %}", "liquid", "outside any conditional", 1),
        ("{% if a %}x{% else %}y{% else %}z{% endif %}", "jinja", "after the else branch", 1),
        ("{{#if a}}x\n{{/each}}", "handlebars", "closes the block", 2),
        ("{{#if a}}x", "handlebars", "never closed", 1),
        ("Hi {{name", "handlebars", "never closed", 1),
    ],
)
def test_malformed_templates(text: str, fmt: str, message: str, line: int) -> None:
    with pytest.raises(SourceError, match=message) as info:
        parse_units(text, fmt)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)
