"""Shared pieces of the input adapters: the public dataclasses, the error, and the *mapped string*.

A :class:`Mapped` string is text derived from a file (a decoded JSON string, a quoted-printable
e-mail body, one branch of a template) together with, for each of its characters, the half-open
range of the file it stands for. Adapters parse a Mapped string, build a Document over its text and
:func:`remap` that Document into file coordinates, so layers (JSON → template → HTML) compose
without any adapter knowing about the others.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import regex

from .._document import Document, DocumentBuilder
from .._packs import selects
from ..errors import InputError

# A private-use character that stands for one masked placeholder inside a Mapped string.
SENTINEL = "\ue000"


class SourceError(InputError):
    """A file cannot be read as its format says (malformed HTML, JSON, YAML, e-mail, template).

    ``line`` is the 1-based line of the file where the problem is, when known.
    """

    def __init__(self, message: str, *, line: int | None = None, fmt: str | None = None) -> None:
        self.reason = message
        self.line = line
        self.fmt = fmt
        where = []
        if fmt:
            where.append(f"{fmt} input")
        if line is not None:
            where.append(f"line {line}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


@dataclass(frozen=True)
class Suppression:
    """One suppression comment and the range of the original (file) text it covers."""

    rules: tuple[str, ...]
    start: int
    end: int
    line: int
    kind: str  # "disable" | "ignore-next-line" | "ignore-line"

    def covers(self, rule_id: str, category: str, offset: int) -> bool:
        """Does this suppression silence ``rule_id`` (of ``category``) at file offset ``offset``?"""
        if not self.start <= offset < self.end:
            return False
        return not self.rules or any(selects(s, rule_id, category) for s in self.rules)


@dataclass(frozen=True)
class Unit:
    """One checkable text inside a file. ``document.original`` is the whole file text."""

    document: Document
    label: str = ""
    client_message: str | None = None
    suppressions: tuple[Suppression, ...] = ()
    fmt: str = field(default="plain", compare=False)


@dataclass
class Mapped:
    """Text plus, per character, the half-open range of the file it stands for."""

    text: str
    starts: list[int]
    ends: list[int]
    # set when character i stands for exactly file[offset + i]: remapping is then a shift
    offset: int | None = None

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> Mapped:
        n = len(text)
        return cls(text, list(range(offset, offset + n)), list(range(offset + 1, offset + n + 1)), offset)

    def slice(self, start: int, end: int) -> Mapped:
        return Mapped(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """File range of ``text[start:end]`` (an empty span maps to a point)."""
        if end <= start:
            if start < len(self.starts):
                return self.starts[start], self.starts[start]
            last = self.ends[-1] if self.ends else 0
            return last, last
        return self.starts[start], self.ends[end - 1]

    def point(self, index: int) -> int:
        """File offset of position ``index`` (between characters)."""
        if index < len(self.starts):
            return self.starts[index]
        return self.ends[-1] if self.ends else 0


class MappedBuilder:
    """Concatenates pieces of Mapped strings (and synthetic characters) into a new Mapped."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, source: Mapped, start: int, end: int) -> None:
        if end > start:
            self._parts.append(source.text[start:end])
            self.starts.extend(source.starts[start:end])
            self.ends.extend(source.ends[start:end])

    def add_char(self, text: str, start: int, end: int) -> None:
        """Characters that stand for the file range ``[start, end)`` as a whole."""
        self._parts.append(text)
        self.starts.extend([start] * len(text))
        self.ends.extend([end] * len(text))

    def build(self) -> Mapped:
        return Mapped("".join(self._parts), self.starts, self.ends)


def remap(document: Document, mapped: Mapped, original: str, meta: dict[str, str] | None = None) -> Document:
    """A Document built over ``mapped.text``, re-expressed in the coordinates of ``original``."""
    if mapped.offset == 0 and document.original is original:
        return document if meta is None else replace(document, meta=dict(meta))
    if mapped.offset is not None:
        shift = mapped.offset
        new_starts = tuple(s + shift for s in document.starts)
        new_ends = tuple(e + shift for e in document.ends)
    else:
        # every analysed character has a non-empty source range, so ends are >= 1
        new_starts = tuple(map(mapped.starts.__getitem__, document.starts))
        new_ends = tuple(map(mapped.ends.__getitem__, [e - 1 for e in document.ends]))
    return Document(
        original=original,
        text=document.text,
        starts=new_starts,
        ends=new_ends,
        breaks=document.breaks,
        masked=document.masked,
        meta=dict(meta if meta is not None else document.meta),
    )


# -- placeholders ----------------------------------------------------------------------------------

# name -> regex source. Order matters: longer delimiters first.
PLACEHOLDER_SYNTAXES: dict[str, str] = {
    "triple_brace": r"\{\{\{[^{}\n]*?\}\}\}",                      # {{{raw}}}
    "double_brace": r"\{\{(?:[^{}]|\{[^{}]*\})*?\}\}",              # {{ customer.first_name }}
    "brace_percent": r"\{%.*?%\}",                                  # {% if %}, {%customer.firstName,fallback=there%}
    "brace_hash": r"\{#.*?#\}",                                     # {# comment #}
    "dollar_brace": r"\$\{[^{}\n]+\}",                              # ${name}
    "double_bracket": r"\[\[[^\[\]\n]+\]\]",                        # [[name]]
    "single_brace": r"\{[A-Za-z_][\w.\-]*(?:[:!|][^{}\n]*)?\}",     # {invoice_number}, {amount:.2f}
    "percent": r"%[A-Za-z_][\w.\-]*%",                              # %NAME%
}
DEFAULT_PLACEHOLDERS: tuple[str, ...] = tuple(PLACEHOLDER_SYNTAXES)
_regex_cache: dict[tuple[str, ...], regex.Pattern[str] | None] = {}


def placeholder_regex(names: Sequence[str] | None) -> regex.Pattern[str] | None:
    """The regex that finds any of the named placeholder syntaxes (None: all; empty: none)."""
    key = tuple(DEFAULT_PLACEHOLDERS if names is None else names)
    if key in _regex_cache:
        return _regex_cache[key]
    for name in key:
        if name not in PLACEHOLDER_SYNTAXES:
            raise InputError(
                f"unknown placeholder syntax {name!r}; known: {', '.join(PLACEHOLDER_SYNTAXES)}"
            )
    ordered = [n for n in PLACEHOLDER_SYNTAXES if n in key]
    pattern = regex.compile("|".join(f"(?:{PLACEHOLDER_SYNTAXES[n]})" for n in ordered), regex.DOTALL) if ordered else None
    _regex_cache[key] = pattern
    return pattern


def substitute_placeholders(source: Mapped, pattern: regex.Pattern[str] | None, out: MappedBuilder, start: int = 0, end: int | None = None) -> None:
    """Copy ``source.text[start:end]`` into ``out``, each placeholder replaced by one SENTINEL."""
    stop = len(source.text) if end is None else end
    pos = start
    if pattern is not None:
        for match in pattern.finditer(source.text, start, stop):
            if match.end() == match.start():
                continue
            out.add(source, pos, match.start())
            a, b = source.span(match.start(), match.end())
            out.add_char(SENTINEL, a, b)
            pos = match.end()
    out.add(source, pos, stop)


def with_sentinels(source: Mapped, pattern: regex.Pattern[str] | None) -> Mapped:
    if pattern is None or not pattern.search(source.text):
        return source
    out = MappedBuilder()
    substitute_placeholders(source, pattern, out)
    return out.build()


def emit(builder: DocumentBuilder, start: int, end: int) -> None:
    """Add ``builder.original[start:end]``: text, with each SENTINEL added as a placeholder."""
    text = builder.original
    pos = start
    while pos < end:
        nxt = text.find(SENTINEL, pos, end)
        if nxt < 0:
            builder.add_text(pos, end)
            return
        if nxt > pos:
            builder.add_text(pos, nxt)
        builder.add_placeholder(nxt, nxt + 1)
        pos = nxt + 1


# -- lines -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def lines_of(text: str) -> Lines:
    """The (cached) :class:`Lines` of a file text: many units of one file share them."""
    return Lines(text)


class Lines:
    """Line starts of a text, for offset → (line, column) look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line(self, offset: int) -> int:
        """1-based line of ``offset``."""
        return bisect.bisect_right(self.starts, offset)

    def offset(self, line: int, column: int = 0) -> int:
        """Offset of the 1-based ``line`` and 0-based ``column``."""
        if line - 1 >= len(self.starts):
            return len(self.text)
        return self.starts[line - 1] + column

    def line_end(self, line: int) -> int:
        """Offset just after the 1-based ``line``'s newline (or the end of the text)."""
        if line < len(self.starts):
            return self.starts[line]
        return len(self.text)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def is_verbatim(document: Document, start: int, end: int) -> bool:
    """Is ``original[start:end]`` plain prose that was analysed as it stands?

    False when the span holds markup, an entity or escape, a placeholder, a template tag, a
    quoted-printable or base64 encoding, or text left out of the analysis: replacing it as text
    (fix mode) would then damage the file.
    """
    if end <= start:
        return True
    original = document.original
    first = bisect.bisect_left(document.starts, start)
    pos = start
    masked = document.masked
    for i in range(first, len(document.starts)):
        s, e = document.starts[i], document.ends[i]
        if s >= end:
            break
        if s != pos or e > end:
            return False
        if masked and any(a <= i < b for a, b in masked):
            return False
        ch = document.text[i]
        if ch == " ":
            if not original[s:e].isspace():
                return False
        elif e - s != 1:
            return False
        pos = e
    return pos == end
