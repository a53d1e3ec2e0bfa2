"""Regular expressions compiled on first use (the `regex` module's compiler is slow, its matcher fast)."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from typing import Any

import regex

_lock = threading.Lock()


_UNKNOWN: Any = object()


def literal_prefixes(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literal strings (lower-cased) one of which every match of ``pattern`` contains, or None.

    Lets a caller skip a regex with a few substring tests when none of them occurs in the text. Taken
    from the mandatory part of the pattern's top level with the longest literals (a run of literal
    characters, or a group whose every alternative starts with one). Conservative: None when unsure.
    """
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as constants
        import sre_parse as parser
    try:
        tree = parser.parse(pattern, flags)
    except Exception:  # syntax only the regex module knows: no shortcut
        return None
    zero_width = {constants.AT, constants.ASSERT, constants.ASSERT_NOT}

    def first(items: list[Any]) -> set[str] | None:
        """Literal prefixes that every match of the sequence ``items`` starts with."""
        index = 0
        while index < len(items) and items[index][0] in zero_width:
            index += 1
        if index == len(items):
            return None
        op, argument = items[index]
        if op is constants.LITERAL:
            text = ""
            while index < len(items) and items[index][0] is constants.LITERAL:
                text += chr(items[index][1])
                index += 1
            return {text.lower()}
        if op is constants.SUBPATTERN:
            return first(list(argument[-1]))
        if op is constants.BRANCH:
            found: set[str] = set()
            for alternative in argument[1]:
                part = first(list(alternative))
                if not part:
                    return None
                found |= part
            return found
        if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and argument[0] >= 1:
            return first(list(argument[2]))
        return None

    def weight(found: set[str]) -> tuple[int, int]:
        return min(len(p) for p in found), -len(found)

    def required(items: list[Any]) -> set[str] | None:
        """The best set of literals one of which every match of the sequence ``items`` contains."""
        candidates: list[set[str]] = []
        for index, (op, argument) in enumerate(items):
            if op in zero_width or op in (constants.IN, constants.ANY, constants.NOT_LITERAL, constants.CATEGORY):
                continue
            if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and argument[0] == 0:
                continue
            found = first(items[index:])
            if found:
                candidates.append(found)
            if op is constants.SUBPATTERN:  # a mandatory group: what it requires, the whole requires
                inner = required(list(argument[-1]))
                if inner:
                    candidates.append(inner)
            elif op is constants.BRANCH:  # every alternative requires something: one of those
                union: set[str] = set()
                for alternative in argument[1]:
                    part = required(list(alternative))
                    if not part:
                        break
                    union |= part
                else:
                    candidates.append(union)
        usable = [c for c in candidates if min(len(p) for p in c) >= 2]
        return max(usable, key=weight) if usable else None

    best = required(list(tree))
    return frozenset(best) if best else None


# -- the optional RE2 matcher (``pip install 'invoicetone[fast]'``, the google-re2 package)
#
# RE2 matches without backtracking, in time linear in the text; for the long alternations of the
# structure and phrase regexes it is several times faster than the `regex` module. It gives the same
# matches (leftmost-first, lazy quantifiers honoured) for the patterns it accepts, provided the text
# is read the same way: RE2's \w, \b and \s know only ASCII, so it runs only on text that is ASCII
# once every non-ASCII character that is neither a word character nor a space (for the `regex`
# module) is written as \x7f, a character both engines treat as such a symbol. Patterns with
# lookaround, back-references, anchors other than \b, possessive or atomic parts, a match that can be
# empty, or flags other than IGNORECASE stay with the `regex` module.

_re2_module: Any = _UNKNOWN
_FAST_CHARS: dict[str, str | None] = {}  # non-ASCII character → "\x7f" when it is a plain symbol, else None
_PLAIN_SYMBOL = regex.compile(r"[\w\s]")


def _re2() -> Any:
    """The google-re2 module, or None when it is not installed."""
    global _re2_module
    if _re2_module is _UNKNOWN:
        try:
            import re2  # type: ignore[import-not-found,import-untyped,unused-ignore]
        except ImportError:
            re2 = None
        _re2_module = re2
    return _re2_module


def fast_matcher_available() -> bool:
    """True when google-re2 is installed, so that eligible regexes run on RE2."""
    return _re2() is not None


def _fast_eligible(pattern: str, flags: int) -> bool:
    """Whether RE2 gives ``pattern`` the `regex` module's matches on fast text (see above)."""
    if flags & ~regex.IGNORECASE:
        return False
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as constants
        import sre_parse as parser
    try:
        with warnings.catch_warnings():  # "possible nested set": syntax the regex module reads its own way
            warnings.simplefilter("error")
            tree = parser.parse(pattern, flags & regex.IGNORECASE)
    except Exception:  # syntax only the regex module knows
        return False
    if tree.getwidth()[0] == 0:  # an empty match: the engines step past it differently
        return False
    blocked = {constants.ASSERT, constants.ASSERT_NOT, constants.GROUPREF, constants.GROUPREF_EXISTS}
    for name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE"):
        if hasattr(constants, name):
            blocked.add(getattr(constants, name))
    boundaries = {constants.AT_BOUNDARY, constants.AT_NON_BOUNDARY}

    def allowed(items: Any) -> bool:
        for op, argument in items:
            if op in blocked or (op is constants.AT and argument not in boundaries):
                return False
            if op is constants.SUBPATTERN:
                parts = [argument[-1]] if not (argument[1] or argument[2]) else None  # no inline flags
            elif op is constants.BRANCH:
                parts = list(argument[1])
            elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
                parts = [argument[2]]
            else:
                continue
            if parts is None or not all(allowed(part) for part in parts):
                return False
        return True

    return allowed(tree)


def _re2_compile(pattern: str, flags: int) -> Any:
    """``pattern`` compiled by RE2 with the `regex` flags it shares, or None (RE2 missing or refusing)."""
    re2 = _re2()
    if re2 is None:
        return None
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not flags & regex.IGNORECASE
    try:
        return re2.compile(pattern, options=options)
    except Exception:  # RE2 refuses something the checks above let through
        return None


_LOOKAROUND_OPENERS = ("(?=", "(?!", "(?<=", "(?<!")


def without_lookarounds(pattern: str) -> str | None:
    """``pattern`` with its lookahead and lookbehind groups taken out, or None when unsure how to.

    A lookaround only ever rules a match out, so the result matches wherever ``pattern`` does (and
    maybe elsewhere). Escapes and character classes are skipped whole, so a bracket inside them is
    never read as a group.
    """
    out: list[str] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            out.append(pattern[index:end])
            index = end
        elif char == "(" and pattern.startswith(_LOOKAROUND_OPENERS, index):
            end = _group_end(pattern, index)
            if end is None:
                return None
            if end < length and pattern[end] in "*+?{":
                return None  # a repeated lookaround: leave such a pattern alone
            index = end
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int | None:
    """The index just after the character class opening at ``start`` (nested sets: None)."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":  # a leading ] is a literal
        index += 1
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
        elif char == "[":
            return None  # a nested set (the regex module's syntax) or a POSIX class
        elif char == "]":
            return index + 1
        else:
            index += 1
    return None


def _group_end(pattern: str, start: int) -> int | None:
    """The index just after the group opening at ``start``."""
    depth, index = 0, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            index = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def fast_text(text: str) -> bytes | None:
    """``text`` as RE2 reads it with the `regex` module's meaning (one byte per character, so
    offsets agree), or None when it holds a character the engines read differently (a non-ASCII
    letter or space, or a vertical tab)."""
    if "\x0b" in text:
        return None
    if text.isascii():
        return text.encode("ascii")
    known = _FAST_CHARS
    table: dict[int, str] = {}
    for char in set(text):
        if char <= "\x7f":
            continue
        replacement = known.get(char, "")
        if replacement == "":
            if len(known) >= 50_000:
                known.clear()
            replacement = known[char] = None if _PLAIN_SYMBOL.match(char) else "\x7f"
        if replacement is None:
            return None
        table[ord(char)] = replacement
    return text.translate(table).encode("ascii")


class LazyRegex:
    """A `regex` pattern compiled on first use, so that importing and loading stay cheap."""

    __slots__ = ("_compiled", "_fast", "_prefixes", "_relaxed", "_span_group", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: Any = None
        self._prefixes: Any = _UNKNOWN
        self._fast: Any = _UNKNOWN
        self._relaxed: Any = _UNKNOWN
        self._span_group: Any = _UNKNOWN

    def may_match(self, lowered_text: str) -> bool:
        """False when no match is possible in ``lowered_text`` (it lacks all the required literals)."""
        prefixes = self._prefixes
        if prefixes is _UNKNOWN:
            found = literal_prefixes(self.pattern, self.flags)
            # shortest first: the likeliest to occur, so a text that has one is told soonest
            prefixes = self._prefixes = tuple(sorted(found, key=lambda p: (len(p), p))) if found else None
        return prefixes is None or any(prefix in lowered_text for prefix in prefixes)

    @property
    def compiled(self) -> Any:
        compiled = self._compiled
        if compiled is None:
            with _lock:
                if self._compiled is None:
                    self._compiled = regex.compile(self.pattern, self.flags)
                compiled = self._compiled
        return compiled

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def _fast_compiled(self) -> Any:
        """This pattern compiled by RE2, or None (not installed or not eligible)."""
        fast = self._fast
        if fast is _UNKNOWN:
            fast = self._fast = _re2_compile(self.pattern, self.flags) if _fast_eligible(self.pattern, self.flags) else None
        return fast

    def fast(self, symbols_replaced: bool) -> Any:
        """This pattern compiled by RE2 for fast text, or None (not installed, not eligible, or the
        text's symbols were replaced and the pattern names a non-ASCII character)."""
        fast = self._fast_compiled()
        if fast is not None and symbols_replaced and not self.pattern.isascii():
            return None
        return fast

    def _relaxed_compiled(self) -> Any:
        """For a pattern RE2 cannot run only because of its lookarounds: the pattern without them,
        compiled by RE2, or None. It matches wherever the pattern does (and more), so where it finds
        nothing the pattern finds nothing either (see :meth:`_prefiltered`)."""
        relaxed = self._relaxed
        if relaxed is _UNKNOWN:
            relaxed = None
            if self._fast_compiled() is None and _re2() is not None:
                pattern = without_lookarounds(self.pattern)
                # eligible includes "cannot match empty"; lookarounds have no width, so neither can the pattern
                if pattern is not None and pattern != self.pattern and _fast_eligible(pattern, self.flags):
                    relaxed = _re2_compile(pattern, self.flags)
            self._relaxed = relaxed
        return relaxed

    def _route(self, text: str, fast: bytes | None, symbols_replaced: bool) -> tuple[Any, Any, bool]:
        """(matcher, what it reads, whether it only pre-filters for the `regex` module), or
        (None, None, False) when only the `regex` module can run the pattern on this text.

        RE2 reads ``fast`` (one byte per character); a pattern that names a non-ASCII symbol reads
        ``text`` itself when the symbols were replaced in ``fast`` (the RE2 module then works in
        UTF-8 and maps offsets back to characters in one pass; ``fast`` being there means every
        non-ASCII character is a plain symbol, which both engines read alike). Such a pattern is
        not pre-filtered: every search from a position would encode the text again.
        """
        if fast is None:
            return None, None, False
        matcher = self._fast_compiled()
        prefilter = False
        if matcher is None:
            matcher = self._relaxed_compiled()
            if matcher is None:
                return None, None, False
            prefilter = True
        if symbols_replaced and not self.pattern.isascii():
            if prefilter:  # each search from a position would re-encode the text: quadratic on long drafts
                return None, None, False
            return matcher, text, prefilter
        return matcher, fast, prefilter

    def _prefiltered(self, relaxed: Any, subject: str | bytes, text: str) -> Iterator[Any]:
        """The `regex` module's matches of the pattern in ``text``, as ``finditer`` gives them, tried
        only where the relaxed pattern (on RE2) can start a match.

        Every match of the pattern starts where the relaxed one can, so the leftmost place RE2
        finds at or after a position is no later than the pattern's next match: try the pattern
        there (anchored, seeing the text around it), and move on one character when it fails.
        Patterns that can match the empty string never come here, so each match moves past itself.
        """
        compiled = self.compiled
        position = 0
        while True:
            found = relaxed.search(subject, position)
            if found is None:
                return
            start = found.start()
            match = compiled.match(text, start)
            if match is None:
                position = start + 1
            else:
                yield match
                position = match.end()

    def found_in(self, text: str, fast: bytes | None, symbols_replaced: bool = False) -> bool:
        """Whether the pattern matches somewhere in ``text`` (``fast``: ``fast_text(text)``, or None)."""
        matcher, subject, prefilter = self._route(text, fast, symbols_replaced)
        if matcher is None:
            return self.compiled.search(text) is not None
        if prefilter:
            return next(self._prefiltered(matcher, subject, text), None) is not None
        return matcher.search(subject) is not None

    def match_spans(self, text: str, fast: bytes | None, symbols_replaced: bool = False) -> list[tuple[int, int]]:
        """The spans of the pattern's matches in ``text`` (``fast``: ``fast_text(text)``, or None)."""
        matcher, subject, prefilter = self._route(text, fast, symbols_replaced)
        if matcher is None:
            return [m.span() for m in self.compiled.finditer(text)]
        if prefilter:
            return [m.span() for m in self._prefiltered(matcher, subject, text)]
        return [m.span() for m in matcher.finditer(subject)]

    def spans(self, text: str, fast: bytes | None, symbols_replaced: bool = False) -> Iterator[tuple[int, int, int, int]]:
        """(match start, match end, span start, span end) of each non-empty match in ``text``;
        the span is the ``span`` group's when the pattern has one and it matched something.

        ``fast`` is ``fast_text(text)`` (None: use the `regex` module).
        """
        matcher, subject, prefilter = self._route(text, fast, symbols_replaced)
        matches: Any
        if matcher is None:
            if not self.may_match(text):
                return
            matcher = self.compiled
            matches = matcher.finditer(text)
        elif prefilter:
            matches = self._prefiltered(matcher, subject, text)
            matcher = self.compiled  # the groups are the full pattern's
        else:
            # RE2 scans faster than the literal test would rule it out (and the regex module's
            # compiler, slow on these patterns, is never called); both number the groups alike
            matches = matcher.finditer(subject)
        span_group = self._span_group
        if span_group is _UNKNOWN:  # RE2's groupindex builds a new dict on every call
            span_group = self._span_group = matcher.groupindex.get("span")
        for match in matches:
            start, end = match.span()
            if end <= start:
                continue
            if span_group is not None:
                span_start, span_end = match.span(span_group)
                if span_end > span_start:
                    yield start, end, span_start, span_end
                    continue
            yield start, end, start, end

    def finditer(self, text: str, *args: Any) -> Any:
        return self.compiled.finditer(text, *args)

    def search(self, text: str, *args: Any) -> Any:
        return self.compiled.search(text, *args)

    def match(self, text: str, *args: Any) -> Any:
        return self.compiled.match(text, *args)

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r})"
