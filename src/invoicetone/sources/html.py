"""HTML: the visible text, entities decoded, with an exact map back to the source.

Uses the standard library's :mod:`html.parser` with ``convert_charrefs=False`` so that every text
chunk, entity and tag arrives separately with its source position (``getpos()``). ``script``,
``style``, ``head``, ``template`` and ``noscript`` are skipped; block elements end sentences.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import regex

from .._document import Document, DocumentBuilder
from ._common import Lines, Mapped, SourceError, emit, remap
from .email import QUOTE_SEPARATOR

SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "math", "object", "iframe"})
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    }
)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
# e-mail clients wrap quoted replies and signatures in these
_QUOTE_CLASSES = regex.compile(r"\b(gmail_quote|moz-cite-prefix|yahoo_quoted|protonmail_quote|OutlookMessageHeader)\b", regex.IGNORECASE)
_QUOTE_IDS = regex.compile(r"^(divRplyFwdMsg|appendonsend|x_divRplyFwdMsg|mail-editor-reference-message-container)$", regex.IGNORECASE)
_SIGNATURE_CLASSES = regex.compile(r"\b(gmail_signature|moz-signature|signature)\b", regex.IGNORECASE)
_LOOKS_HTML = regex.compile(r"^\s*<(?:!doctype|!--|html|[a-z][a-z0-9]*(?:\s[^<>]*)?/?>)|</(?:p|div|br|span|td|li|a|b|strong|em|body|html)\s*>|<br\s*/?>", regex.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Content sniffing for nested fields: a leading tag, or common closing tags anywhere."""
    return bool(_LOOKS_HTML.search(text))


class _Parser(HTMLParser):
    def __init__(self, text: str, builder: DocumentBuilder, email: bool, base: int = 0) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text  # the whole string the builder indexes; the parser is fed text[base:…]
        self.base = base
        self.lines = Lines(text[base:]) if base else Lines(text)
        self.builder = builder
        self.email = email
        self.skip: list[str] = []  # open skipped elements
        self.quote: list[str] = []  # open quoted-reply elements (e-mail)
        self.signature: list[str] = []
        self.quote_chunks: list[str] = []
        self.stopped = False  # e-mail: everything after an "Original Message" / "On … wrote:" line is quoted
        self.last_char = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.base + self.lines.offset(line, col)

    def _tag_end(self, start: int) -> int:
        end = self.text.find(">", start)
        return len(self.text) if end < 0 else end + 1

    @property
    def _quiet(self) -> bool:
        return bool(self.skip or self.quote or self.signature or self.stopped)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        if tag in SKIPPED:
            self.skip.append(tag)
            return
        if self.email and tag not in VOID:
            classes = " ".join(v or "" for k, v in attrs if k == "class")
            ident = " ".join(v or "" for k, v in attrs if k == "id")
            if tag == "blockquote" or _QUOTE_CLASSES.search(classes) or (ident and _QUOTE_IDS.search(ident)) or self.quote:
                self.quote.append(tag)
                if tag in BLOCKS:
                    self.quote_chunks.append("\n")
                return
            if _SIGNATURE_CLASSES.search(classes) or self.signature:
                self.signature.append(tag)
                return
        if self._quiet:
            return
        self._boundary(tag, start, end)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._quiet or tag in SKIPPED:
            return
        start = self._offset()
        self._boundary(tag, start, start + len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self._tag_end(start)
        for stack in (self.skip, self.quote, self.signature):
            if stack:
                if tag in stack:
                    while stack and stack.pop() != tag:
                        pass
                    if stack is self.quote and tag in BLOCKS:
                        self.quote_chunks.append("\n")
                return
        if self._quiet:
            return
        self._boundary(tag, start, end)

    def _boundary(self, tag: str, start: int, end: int) -> None:
        if tag == "br":
            if self.last_char and self.last_char in ".!?:;,":
                self.builder.add_break(start, end)
            else:
                self.builder.add_decoded(" ", start, end)
            self.last_char = " "
        elif tag in BLOCKS:
            self.builder.add_break(start, end)
            self.last_char = " "

    def handle_data(self, data: str) -> None:
        if self.skip or self.signature:
            return
        if self.email:
            if self.quote or self.stopped:
                self.quote_chunks.append(data)
                return
            match = QUOTE_SEPARATOR.search(data)
            if match:
                start = self._offset()
                self._data(start, start + match.start())
                self.stopped = True
                self.quote_chunks.append(data[match.end() :])
                return
        start = self._offset()
        self._data(start, start + len(data))

    def _data(self, start: int, end: int) -> None:
        if end <= start:
            return
        emit(self.builder, start, end)
        stripped = self.text[start:end].rstrip()
        if stripped:
            self.last_char = stripped[-1]

    def _reference(self, raw_prefix: str, name: str) -> None:
        if self._quiet and not (self.email and (self.quote or self.stopped)):
            return
        start = self._offset()
        end = start + len(raw_prefix) + len(name)
        if end < len(self.text) and self.text[end] == ";":
            end += 1
        raw = self.text[start:end]
        decoded = html.unescape(raw)
        if self.email and (self.quote or self.stopped):
            self.quote_chunks.append(decoded)
            return
        if decoded == raw:
            self._data(start, end)
        else:
            self.builder.add_decoded(decoded, start, end)
            self.last_char = decoded[-1:] or self.last_char

    def handle_entityref(self, name: str) -> None:
        self._reference("&", name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#", name)


_UNCLOSED_TAG = regex.compile(r"<[A-Za-z/][^<>]*\Z")


def check_wellformed(text: str, lines: Lines) -> None:
    """The few defects that make the visible text unknowable: raise :class:`SourceError`."""
    comment = text.rfind("<!--")
    if comment >= 0 and text.find("-->", comment + 4) < 0:
        raise SourceError("comment '<!--' is never closed with '-->'", line=lines.line(comment), fmt="html")
    match = _UNCLOSED_TAG.search(text)
    if match:
        raise SourceError(f"tag {text[match.start():match.start() + 20]!r} is never closed with '>'", line=lines.line(match.start()), fmt="html")


def feed_fragment(builder: DocumentBuilder, start: int, end: int) -> None:
    """Add the visible text of the HTML in ``builder.original[start:end]`` (e.g. a Markdown HTML block)."""
    parser = _Parser(builder.original[:end], builder, False, base=start)
    parser.feed(builder.original[start:end])
    parser.close()


def html_mapped_document(mapped: Mapped, original: str, *, email: bool = False) -> tuple[Document, str]:
    """The Document of an HTML string (placeholders as SENTINELs) and, in e-mail mode, the quoted text."""
    text = mapped.text
    lines = Lines(text)
    try:
        check_wellformed(text, lines)
    except SourceError as exc:
        line = Lines(original).line(mapped.point(lines.offset(exc.line or 1))) if exc.line else None
        raise SourceError(exc.reason, line=line, fmt="html") from None
    builder = DocumentBuilder(text)
    parser = _Parser(text, builder, email)
    parser.feed(text)
    parser.close()
    if parser.skip and parser.skip[-1] in ("script", "style"):
        raise SourceError(f"<{parser.skip[-1]}> element is never closed", fmt="html")
    quoted = regex.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(parser.quote_chunks)).strip()
    return remap(builder.build(), mapped, original), quoted
