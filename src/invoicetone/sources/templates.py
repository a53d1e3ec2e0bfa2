"""Templates (Jinja2 / Django, Liquid, Handlebars / Mustache): placeholders masked, every branch checked.

The template is parsed into text, output tags (placeholders), silent tags (``{% set %}``, comments:
they render nothing) and conditionals (``{% if %}…{% elif %}…{% else %}…{% endif %}``,
``{% unless %}``, Liquid ``{% case %}{% when %}``, ``{% for %}…{% else %}``, ``{{#if}}…{{else}}…{{/if}}``,
``{{#unless}}``, Mustache sections ``{{#x}}…{{/x}}`` and ``{{^x}}…{{/x}}``). A conditional without an
``else`` has an empty alternative. Each *variant* keeps one branch of every conditional plus all the
surrounding text, so a phrase is checked the way the client will read it. When the number of
combinations is at most ``max_variants`` (16) every combination is produced; above that, a greedy
cover is produced instead: every branch appears in at least one variant, and no more variants than
branches. Offsets always point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ._common import SENTINEL, Lines, Mapped, MappedBuilder, SourceError, lines_of, substitute_placeholders

MAX_VARIANTS = 16

_JINJA = regex.compile(
    r"(?P<comment>\{#.*?#\})"
    r"|(?P<block_comment>\{%-?\s*comment\b.*?%\}.*?\{%-?\s*endcomment\s*-?%\})"
    r"|(?P<raw>\{%-?\s*(?:raw|verbatim)\s*-?%\}.*?\{%-?\s*end(?:raw|verbatim)\s*-?%\})"
    r"|(?P<tag>\{%-?\s*(?P<kw>\w*)(?P<args>.*?)-?%\})"
    r"|(?P<out>\{\{.*?\}\})",
    regex.DOTALL,
)
_HANDLEBARS = regex.compile(
    r"(?P<comment>\{\{~?!--.*?--~?\}\}|\{\{~?!.*?\}\})"
    r"|(?P<out>\{\{\{\{?.*?\}\}\}\}?)"
    r"|(?P<tag>\{\{~?\s*(?P<sigil>[#^/>&]|else\b)?\s*(?P<body>.*?)\s*~?\}\})",
    regex.DOTALL,
)
# Jinja / Django / Liquid tags that render nothing where they stand.
_SILENT = frozenset(
    {
        "set", "endset", "assign", "extends", "import", "from", "load", "block", "endblock", "macro", "endmacro",
        "call", "endcall", "filter", "endfilter", "with", "endwith", "autoescape", "endautoescape", "capture",
        "endcapture", "break", "continue", "spaceless", "endspaceless", "do", "tablerow", "endtablerow", "liquid",
        "layout", "paginate", "endpaginate", "form", "endform", "style", "endstyle", "localize", "endlocalize",
        "schema", "endschema", "javascript", "endjavascript", "stylesheet", "endstylesheet", "ifchanged",
        "endifchanged", "trans_end", "endtrans", "endblocktrans", "decrement_silent",
    }
)
_CONDITIONAL_OPEN = {"if": "if", "ifequal": "if", "ifnotequal": "if", "unless": "unless", "case": "case", "for": "for"}
_CLOSE = {"endif": "if", "endifequal": "if", "endifnotequal": "if", "endunless": "unless", "endcase": "case", "endfor": "for"}


@dataclass
class Cond:
    branches: list[list[object]]
    ids: list[int] = field(default_factory=list)


@dataclass
class _Frame:
    kind: str  # if | unless | case | for | section | block | root
    name: str
    line: int
    branches: list[list[object]]
    has_else: bool = False
    empty_alternative: bool = True


class _TreeBuilder:
    def __init__(self, mapped: Mapped, lines: Lines, fmt: str) -> None:
        self.mapped = mapped
        self.lines = lines
        self.fmt = fmt
        self.stack = [_Frame("root", "", 0, [[]])]
        self.next_id = 0

    def line(self, pos: int) -> int:
        return self.lines.line(self.mapped.point(pos))

    def error(self, message: str, pos: int) -> SourceError:
        return SourceError(message, line=self.line(pos), fmt=self.fmt)

    @property
    def current(self) -> list[object]:
        return self.stack[-1].branches[-1]

    def text(self, start: int, end: int) -> None:
        if end > start:
            self.current.append(("text", start, end))

    def placeholder(self, start: int, end: int) -> None:
        self.current.append(("ph", start, end))

    def open(self, kind: str, name: str, pos: int, empty_alternative: bool = True) -> None:
        self.stack.append(_Frame(kind, name, self.line(pos), [[]], empty_alternative=empty_alternative))

    def branch(self, pos: int, tag: str, *, is_else: bool) -> None:
        frame = self.stack[-1]
        if frame.kind == "root":
            raise self.error(f"{tag} outside any conditional", pos)
        if frame.has_else:
            raise self.error(f"{tag} after the else branch of the conditional opened at line {frame.line}", pos)
        if frame.kind == "case" and not is_else and len(frame.branches) == 1 and not frame.name.endswith(":started"):
            frame.branches = [[]]  # text between {% case %} and the first {% when %} is not rendered
            frame.name += ":started"
            return
        frame.branches.append([])
        frame.has_else = is_else

    def close(self, kind: str, tag: str, pos: int) -> None:
        frame = self.stack[-1]
        if frame.kind == "root":
            raise self.error(f"{tag} without a matching opening tag", pos)
        if kind and frame.kind != kind and not (kind == "section" and frame.kind in ("if", "unless", "section", "block")):
            raise self.error(f"{tag} closes the {frame.kind!r} block opened at line {frame.line}", pos)
        if kind == "section" and frame.name.split(":")[0] not in ("", tag.strip("{}/~ ")):
            raise self.error(f"{tag} closes the block '{frame.name}' opened at line {frame.line}", pos)
        self.stack.pop()
        branches = frame.branches
        if frame.kind in ("for", "block") and len(branches) == 1:
            self.current.extend(branches[0])
            return
        if not frame.has_else and frame.empty_alternative:
            branches = [*branches, []]
        cond = Cond(branches)
        cond.ids = list(range(self.next_id, self.next_id + len(branches)))
        self.next_id += len(branches)
        self.current.append(cond)

    def finish(self) -> list[object]:
        if len(self.stack) > 1:
            frame = self.stack[-1]
            raise SourceError(f"the {frame.kind!r} block opened here is never closed", line=frame.line, fmt=self.fmt)
        return self.stack[0].branches[0]


def _check_unclosed(text: str, start: int, end: int, tree: _TreeBuilder, openers: tuple[str, ...]) -> None:
    for opener in openers:
        pos = text.find(opener, start, end)
        if pos >= 0:
            closer = {"{%": "%}", "{{": "}}", "{#": "#}"}[opener]
            raise tree.error(f"{opener!r} is never closed with {closer!r}", pos)


def parse_jinja(mapped: Mapped, lines: Lines, fmt: str) -> list[object]:
    """The tree of a Jinja2 / Django / Liquid template."""
    text = mapped.text
    tree = _TreeBuilder(mapped, lines, fmt)
    pos = 0
    for m in _JINJA.finditer(text):
        _check_unclosed(text, pos, m.start(), tree, ("{%", "{{", "{#"))
        tree.text(pos, m.start())
        pos = m.end()
        if m.group("out") or m.group("raw"):
            tree.placeholder(m.start(), m.end())
            continue
        if m.group("comment") or m.group("block_comment"):
            continue
        keyword = (m.group("kw") or "").lower()
        raw = m.group("tag").strip()
        args = (m.group("args") or "").strip()
        if keyword in _CONDITIONAL_OPEN:
            kind = _CONDITIONAL_OPEN[keyword]
            tree.open(kind, keyword, m.start(), empty_alternative=kind != "for")
        elif keyword in ("elif", "elsif", "when"):
            tree.branch(m.start(), raw, is_else=False)
        elif (keyword == "else" and not args) or (keyword == "empty" and tree.stack[-1].kind == "for"):
            tree.branch(m.start(), raw, is_else=True)
        elif keyword in _CLOSE:
            tree.close(_CLOSE[keyword], raw, m.start())
        elif keyword in _SILENT or keyword.startswith("end"):
            continue
        else:
            # output-like tags ({% include %}, {% url %}, {%customer.firstName,fallback=there%}): a placeholder
            tree.placeholder(m.start(), m.end())
    _check_unclosed(text, pos, len(text), tree, ("{%", "{{", "{#"))
    tree.text(pos, len(text))
    return tree.finish()


def parse_handlebars(mapped: Mapped, lines: Lines, fmt: str) -> list[object]:
    """The tree of a Handlebars / Mustache template."""
    text = mapped.text
    tree = _TreeBuilder(mapped, lines, fmt)
    pos = 0
    for m in _HANDLEBARS.finditer(text):
        _check_unclosed(text, pos, m.start(), tree, ("{{",))
        tree.text(pos, m.start())
        pos = m.end()
        if m.group("comment"):
            continue
        if m.group("out"):
            tree.placeholder(m.start(), m.end())
            continue
        sigil = m.group("sigil") or ""
        body = (m.group("body") or "").strip()
        raw = m.group("tag")
        words = body.split()
        name = words[0] if words else ""
        if sigil == "#":
            if name in ("if", "unless"):
                tree.open(name, name, m.start())
            elif name in ("each", "with", "let") or len(words) > 1 or name.startswith("*"):
                tree.open("block", name, m.start(), empty_alternative=False)
            else:
                tree.open("section", name, m.start())
        elif sigil == "^":
            if not name:
                tree.branch(m.start(), raw, is_else=True)
            else:
                tree.open("section", name, m.start())
        elif sigil == "else":
            tree.branch(m.start(), raw, is_else=not words)
        elif sigil == "/":
            frame = tree.stack[-1]
            if frame.kind != "root" and frame.name.split(":")[0] != name:
                raise tree.error(f"{raw} closes the block '{{{{#{frame.name}}}}}' opened at line {frame.line}", m.start())
            tree.close("", raw, m.start())
        else:
            tree.placeholder(m.start(), m.end())
    _check_unclosed(text, pos, len(text), tree, ("{{",))
    tree.text(pos, len(text))
    return tree.finish()


# -- variants --------------------------------------------------------------------------------------


def _count(seq: list[object], cap: int) -> int:
    total = 1
    for node in seq:
        if isinstance(node, Cond):
            total *= sum(_count(b, cap) for b in node.branches)
            if total > cap:
                return cap + 1
    return total


def _all_variants(seq: list[object]) -> list[list[tuple[str, int, int]]]:
    results: list[list[tuple[str, int, int]]] = [[]]
    for node in seq:
        if isinstance(node, Cond):
            options = [v for branch in node.branches for v in _all_variants(branch)]
            results = [r + o for r in results for o in options]
        else:
            assert isinstance(node, tuple)
            results = [[*r, node] for r in results]
    return results


def _branch_ids(seq: list[object]) -> set[int]:
    ids: set[int] = set()
    for node in seq:
        if isinstance(node, Cond):
            ids.update(node.ids)
            for branch in node.branches:
                ids |= _branch_ids(branch)
    return ids


def _cover_variants(seq: list[object]) -> list[list[tuple[str, int, int]]]:
    """Variants until every branch has been chosen at least once (greedy)."""
    uncovered = _branch_ids(seq)
    variants: list[list[tuple[str, int, int]]] = []

    def walk(nodes: list[object], out: list[tuple[str, int, int]]) -> None:
        for node in nodes:
            if isinstance(node, Cond):
                choice = 0
                for index, branch in enumerate(node.branches):
                    if node.ids[index] in uncovered or _branch_ids(branch) & uncovered:
                        choice = index
                        break
                uncovered.discard(node.ids[choice])
                walk(node.branches[choice], out)
            else:
                assert isinstance(node, tuple)
                out.append(node)

    while True:
        out: list[tuple[str, int, int]] = []
        before = len(uncovered)
        walk(seq, out)
        variants.append(out)
        if not uncovered or len(uncovered) == before:
            return variants


def template_variants(
    mapped: Mapped, original: str, fmt: str, placeholders: regex.Pattern[str] | None, *, max_variants: int = MAX_VARIANTS
) -> list[Mapped]:
    """One Mapped string per variant; placeholders (template and configured syntaxes) are SENTINELs."""
    lines = lines_of(original)
    tree = parse_handlebars(mapped, lines, fmt) if fmt == "handlebars" else parse_jinja(mapped, lines, fmt)
    variants = _all_variants(tree) if _count(tree, max_variants) <= max_variants else _cover_variants(tree)
    results: list[Mapped] = []
    for variant in variants:
        out = MappedBuilder()
        for kind, start, end in variant:
            if kind == "ph":
                a, b = mapped.span(start, end)
                out.add_char(SENTINEL, a, b)
            else:
                substitute_placeholders(mapped, placeholders, out, start, end)
        results.append(out.build())
    return results
