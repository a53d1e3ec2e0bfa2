"""Regular expressions compiled on first use (the `regex` module's compiler is slow, its matcher fast)."""

from __future__ import annotations

import threading
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


class LazyRegex:
    """A `regex` pattern compiled on first use, so that importing and loading stay cheap."""

    __slots__ = ("_compiled", "_prefixes", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: Any = None
        self._prefixes: Any = _UNKNOWN

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

    def finditer(self, text: str, *args: Any) -> Any:
        return self.compiled.finditer(text, *args)

    def search(self, text: str, *args: Any) -> Any:
        return self.compiled.search(text, *args)

    def match(self, text: str, *args: Any) -> Any:
        return self.compiled.match(text, *args)

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r})"
