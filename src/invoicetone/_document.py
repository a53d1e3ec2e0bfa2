"""The analysed text and its map back to the caller's string.

Every adapter (plain text, HTML, Markdown, e-mail, templates) builds a :class:`Document`; nothing
downstream knows where the text came from. The analysed text is *normalised* (curly quotes made
straight, exotic spaces made plain, zero-width characters dropped, whitespace runs collapsed to one
space, placeholders replaced by an opaque noun) while ``starts``/``ends`` map each analysed
character back to the half-open range of the original it came from. A span ``[a, b)`` of the
analysed text therefore maps to ``original[starts[a]:ends[b - 1]]`` — exact, whatever the input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import regex

# Characters rewritten one-for-one so that rules see plain ASCII punctuation.
_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...",
}
# Dropped entirely: they are invisible and split words for no reason.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# Anything that is not plain text inside a line: handled in the slow path.
# Characters that need the slow path: every whitespace but the plain space, the characters above,
# control, surrogate, private-use and unassigned code points.
_NONSPACE_SPECIAL = (
    r"\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    r"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2018\u2019\u201a\u201b\u02bc\u2032`\u00b4"
    r"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2013\u2014\u2212\u2010\u2011\u2026"
    r"\p{Cc}\p{Cs}\p{Co}\p{Cn}"
)
# A single ASCII space between words stays on the fast path; runs that hold anything else do not:
# a maximal run of spaces and special characters, unless it is one plain space.
_SPECIAL = regex.compile(rf"[ {_NONSPACE_SPECIAL}]{{2,}}|[{_NONSPACE_SPECIAL}]")
# The same for an all-ASCII string, whose only special characters are the controls and the backtick
# (the standard library's matcher scans a short class faster than the Unicode properties above).
_SPECIAL_ASCII = re.compile(r"[ \x00-\x1f\x7f`]{2,}|[\x00-\x1f\x7f`]")
PLACEHOLDER_WORD = "Placeholder"

# Non-ASCII characters met so far → True when the Unicode scan would find them special.
_SPECIAL_CHAR: dict[str, bool] = {}
_SPECIAL_CHAR_MAX = 50_000


def _special_scan(original: str) -> Any:
    """The scan for ``original``: the ASCII one whenever its non-ASCII characters are all plain
    (letters such as "č" or "ö", "€"): then only ASCII characters can be special, and that scan finds
    the same runs faster (Slovak drafts, accented names)."""
    if original.isascii():
        return _SPECIAL_ASCII
    known = _SPECIAL_CHAR
    for char in set(original):
        if char <= "\x7f":
            continue
        special = known.get(char)
        if special is None:
            if len(known) >= _SPECIAL_CHAR_MAX:
                known.clear()
            special = known[char] = _SPECIAL.match(char) is not None
        if special:
            return _SPECIAL
    return _SPECIAL_ASCII


@dataclass(frozen=True)
class Document:
    """Normalised text plus the offset map into ``original``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    # Positions in ``text`` where a hard break (blank line, list item, <p>) stands: sentences end there.
    breaks: frozenset[int] = frozenset()
    # Spans of ``text`` that stand for placeholders: never analysed as words, never flagged.
    masked: tuple[tuple[int, int], ...] = ()
    # Optional per-adapter metadata (e.g. the quoted client message found in an e-mail).
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the analysed text to the caller's string."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def inside_mask(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies within one placeholder."""
        index = bisect_right(self.masked, (start, len(self.text) + 1)) - 1
        return index >= 0 and self.masked[index][0] <= start and end <= self.masked[index][1]

    def overlaps_mask(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches a placeholder (masked spans are sorted, never overlap)."""
        masked = self.masked
        if not masked:
            return False
        index = bisect_right(masked, (start, len(self.text) + 1)) - 1
        if index >= 0 and masked[index][1] > start:
            return True
        return index + 1 < len(masked) and masked[index + 1][0] < end


class DocumentBuilder:
    """Builds a :class:`Document` piece by piece from spans of the original string."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._chars: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._breaks: set[int] = set()
        self._masked: list[tuple[int, int]] = []
        self._last_space = True  # no leading space
        self._special_runs = _special_scan(original)

    def _length(self) -> int:
        return len(self._starts)

    def _emit_space(self, start: int, end: int, newlines: int) -> None:
        if self._last_space:
            if self._starts and self._chars[-1] == " ":
                # widen the existing space so that offsets stay contiguous
                self._ends[-1] = max(self._ends[-1], end)
            if newlines >= 2 and self._length():
                self._breaks.add(self._length())
            return
        self._chars.append(" ")
        self._starts.append(start)
        self._ends.append(end)
        self._last_space = True
        if newlines >= 2:
            self._breaks.add(self._length())

    def add_break(self, start: int, end: int) -> None:
        """A hard boundary (paragraph, list item, block element) covering ``original[start:end]``."""
        self._emit_space(start, end, 2)
        self._breaks.add(self._length())

    def add_text(self, start: int, end: int) -> None:
        """Append ``original[start:end]``, normalised."""
        source = self.original
        pos = start
        for match in self._special_runs.finditer(source, start, end):
            if match.start() > pos:
                self._plain(pos, match.start())
            self._special(match.start(), match.end())
            pos = match.end()
        if pos < end:
            self._plain(pos, end)

    def add_decoded(self, decoded: str, start: int, end: int) -> None:
        """Append text that stands for ``original[start:end]`` but differs from it (an entity)."""
        for ch in decoded:
            if ch.isspace():
                self._emit_space(start, end, 0)
                continue
            ch = _CHAR_MAP.get(ch, ch)
            if ch in _ZERO_WIDTH:
                continue
            for c in ch:
                self._chars.append(c)
                self._starts.append(start)
                self._ends.append(end)
            self._last_space = False

    def add_placeholder(self, start: int, end: int) -> None:
        """Mask ``original[start:end]`` as one opaque noun."""
        begin = self._length()
        self.add_decoded(PLACEHOLDER_WORD, start, end)
        self._masked.append((begin, self._length()))

    def _plain(self, start: int, end: int) -> None:
        if self._last_space and self.original[start] == " ":
            if self._chars and self._chars[-1] == " ":
                self._ends[-1] = start + 1
            start += 1
            if start == end:
                return
        self._chars.append(self.original[start:end])
        self._starts.extend(range(start, end))
        self._ends.extend(range(start + 1, end + 1))
        self._last_space = False

    def _special(self, start: int, end: int) -> None:
        source = self.original
        i = start
        while i < end:
            ch = source[i]
            if ch.isspace() or ch in "\x1c\x1d\x1e\x1f\x85":
                j = i
                newlines = 0
                while j < end and (source[j].isspace() or source[j] in _ZERO_WIDTH):
                    if source[j] in "\n\u2028\u2029":
                        newlines += 1
                    j += 1
                if newlines == 1:
                    newlines = self._single_newline_weight(i, j)
                self._emit_space(i, j, newlines)
                i = j
                continue
            if ch in _ZERO_WIDTH:
                i += 1
                continue
            mapped = _CHAR_MAP.get(ch)
            if mapped is None:
                category_control = ch < " " or "\x7f" <= ch <= "\x9f" or "\ud800" <= ch <= "\udfff"
                mapped = " " if category_control and not ("\ud800" <= ch <= "\udfff") else ch
                if "\ud800" <= ch <= "\udfff":
                    mapped = "\ufffd"
                if mapped == " ":
                    self._emit_space(i, i + 1, 0)
                    i += 1
                    continue
            for c in mapped:
                self._chars.append(c)
                self._starts.append(i)
                self._ends.append(i + 1)
            self._last_space = False
            i += 1

    def _single_newline_weight(self, start: int, end: int) -> int:
        """A lone line break ends a sentence after a greeting or before a list item."""
        original = self.original
        k = start - 1  # the last character before the break that is not white space (no copy of the prefix)
        while k >= 0 and original[k].isspace():
            k -= 1
        after = original[end : end + 2]
        if k >= 0 and original[k] in ".!?:;,":
            return 2
        if after[:1] in ("-", "*", "\u2022") or (after[:1].isdigit() and after[1:2] in (".", ")")):
            return 2
        return 1

    def build(self, meta: dict[str, str] | None = None) -> Document:
        chars = self._chars
        starts = self._starts
        ends = self._ends
        text = "".join(chars)
        # trailing space carries no meaning
        if text.endswith(" "):
            text = text[:-1]
            starts = starts[:-1]
            ends = ends[:-1]
        breaks = frozenset(b for b in self._breaks if 0 < b < len(text))
        return Document(
            original=self.original,
            text=text,
            starts=tuple(starts),
            ends=tuple(ends),
            breaks=breaks,
            masked=tuple(self._masked),
            meta=dict(meta or {}),
        )


def plain_document(text: str) -> Document:
    """The Document of a plain-text string."""
    builder = DocumentBuilder(text)
    builder.add_text(0, len(text))
    return builder.build()
