"""Markdown: prose only, with an exact map back to the source.

Parsed with markdown-it-py (CommonMark + tables). Block tokens give line ranges; inline text is
located in the source by a forward-only cursor, so every analysed character maps to its source
character. Fenced and indented code, link destinations, images, HTML comments and YAML front matter
are skipped; inline code and images become opaque placeholders (the sentence around them still reads
as a sentence); the text of emphasis and links is kept; headings, list items, table cells and block
quotes are hard breaks; raw HTML blocks go through the HTML adapter.
"""

from __future__ import annotations

from typing import Any

import regex

from .._document import Document, DocumentBuilder
from ._common import Mapped, emit, remap
from .html import feed_fragment

_BREAK_BLOCKS = frozenset(
    {
        "paragraph_open", "heading_open", "list_item_open", "blockquote_open", "tr_open", "th_open", "td_open",
        "table_open", "bullet_list_open", "ordered_list_open", "hr",
    }
)
_LINE_END = regex.compile(r"\r\n|\r|\n")
_FRONT_MATTER = regex.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", regex.DOTALL | regex.MULTILINE)

_md: Any = None


def _parser() -> Any:
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        # text_join off: escapes and entities stay separate tokens, so their source span is known
        _md = MarkdownIt("commonmark").enable("table").disable("text_join")
    return _md


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_END.finditer(text)]


def _skip_balanced(text: str, pos: int, open_ch: str, close_ch: str) -> int:
    """``text[pos] == open_ch``: the index after its matching ``close_ch`` (backslash escapes honoured)."""
    depth = 0
    i = pos
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and open_ch == "(" and text[i + 1 : i + 2] == "\n":
            break
        i += 1
    return pos + 1


class _Walker:
    def __init__(self, text: str, builder: DocumentBuilder) -> None:
        self.text = text
        self.builder = builder
        self.cursor = 0
        self.starts = _line_starts(text)

    def line_start(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def find(self, needle: str) -> int:
        pos = self.text.find(needle, self.cursor)
        return pos

    def brk(self, pos: int) -> None:
        if pos < len(self.text):
            self.builder.add_break(pos, pos + 1)

    def block(self, token: Any) -> None:
        kind = token.type
        if token.map:
            first = max(self.cursor, self.line_start(token.map[0]))
            last = max(first, self.line_start(token.map[1]))
        else:
            first = last = self.cursor
        if kind in ("fence", "code_block"):
            self.brk(first)
            self.cursor = last
        elif kind == "html_block":
            self.brk(first)
            feed_fragment(self.builder, first, last)
            self.cursor = last
        elif kind in _BREAK_BLOCKS:
            self.brk(first)
            self.cursor = first
        elif kind == "inline":
            self.cursor = max(self.cursor, first)
            self.inline(token.children or [])

    def inline(self, children: list[Any]) -> None:
        text = self.text
        skip_until_close = False
        for child in children:
            kind = child.type
            if skip_until_close:
                if kind == "link_close":
                    skip_until_close = False
                continue
            if kind == "text":
                if not child.content:
                    continue
                pos = self.find(child.content)
                if pos >= 0:
                    emit(self.builder, pos, pos + len(child.content))
                    self.cursor = pos + len(child.content)
                else:
                    self.loose(child.content)
            elif kind == "text_special":
                pos = self.find(child.markup)
                if pos < 0:
                    continue
                end = pos + len(child.markup)
                if child.info == "escape":
                    self.builder.add_text(end - len(child.content), end)
                else:
                    self.builder.add_decoded(child.content, pos, end)
                self.cursor = end
            elif kind in ("softbreak", "hardbreak"):
                match = _LINE_END.search(text, self.cursor)
                if match:
                    self.builder.add_text(match.start(), match.end())
                    self.cursor = match.end()
            elif kind == "code_inline":
                pos = self.find(child.markup)
                if pos < 0:
                    continue
                close = text.find(child.markup, pos + len(child.markup) + len(child.content.strip()))
                end = len(text) if close < 0 else close + len(child.markup)
                self.builder.add_placeholder(pos, end)
                self.cursor = end
            elif kind == "html_inline":
                pos = self.find(child.content)
                if pos < 0:
                    continue
                end = pos + len(child.content)
                if regex.match(r"<br\b", child.content, regex.IGNORECASE):
                    self.builder.add_decoded(" ", pos, end)
                self.cursor = end
            elif kind == "image":
                pos = self.find("![")
                if pos < 0:
                    continue
                end = self._after_link(_skip_balanced(text, pos + 1, "[", "]"))
                self.builder.add_placeholder(pos, end)
                self.cursor = end
            elif kind == "link_open":
                if child.markup == "autolink":
                    pos = self.find("<")
                    if pos < 0:
                        continue
                    end = text.find(">", pos)
                    end = len(text) if end < 0 else end + 1
                    self.builder.add_placeholder(pos, end)
                    self.cursor = end
                    skip_until_close = True
                else:
                    pos = self.find("[")
                    if pos >= 0:
                        self.cursor = pos + 1
            elif kind == "link_close":
                pos = self.find("]")
                if pos >= 0:
                    self.cursor = self._after_link(pos + 1)

    def loose(self, content: str) -> None:
        """Text whose source differs by backslashes (``\\|`` in table cells): find it, drop the backslashes."""
        pattern = regex.compile("".join(r"\\?" + regex.escape(c) for c in content))
        match = pattern.search(self.text, self.cursor)
        if match is None:
            return
        pos = match.start()
        for index in range(match.start(), match.end()):
            if self.text[index] == "\\" and index + 1 < match.end() and not self.text[index + 1].isalnum():
                emit(self.builder, pos, index)
                pos = index + 1
        emit(self.builder, pos, match.end())
        self.cursor = match.end()

    def _after_link(self, pos: int) -> int:
        """Skip ``(destination "title")`` or ``[ref]`` after a link text ending at ``pos``."""
        text = self.text
        if text[pos : pos + 1] == "(":
            return _skip_balanced(text, pos, "(", ")")
        if text[pos : pos + 1] == "[":
            return _skip_balanced(text, pos, "[", "]")
        return pos


def markdown_mapped_document(mapped: Mapped, original: str) -> Document:
    """The Document of Markdown given as a Mapped string whose placeholders are SENTINELs."""
    # markdown-it replaces NUL with U+FFFD; do the same (length-preserving) so text tokens are found
    text = mapped.text.replace("\0", "\ufffd")
    builder = DocumentBuilder(text)
    walker = _Walker(text, builder)
    front = _FRONT_MATTER.match(text)
    skip_lines = 0
    if front:
        skip_lines = text.count("\n", 0, front.end())
        walker.cursor = front.end()
    for token in _parser().parse(text):
        if skip_lines and token.map and token.map[0] < skip_lines:
            continue
        walker.block(token)
    return remap(builder.build(), mapped, original)
