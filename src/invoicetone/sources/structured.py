"""JSON and YAML files that hold many templates: the selected string fields, mapped into the file.

``key_paths`` are glob-like paths over the data: ``macros[*].body``, ``**.text``, ``responses.*.html``.
A path is a list of segments separated by ``.``; ``[*]`` / ``[3]`` select list items, ``*`` one
key or item, ``**`` any number of segments, and a key segment may use shell wildcards (``body_*``).

JSON: string content is decoded with its escapes (``\\n``, ``\\"``, ``\\uXXXX``, surrogate pairs),
each decoded character mapped to the escape it came from, so findings are exact file spans.
YAML: PyYAML's ``compose()`` gives each scalar's start and end; plain, single- and double-quoted
scalars and block scalars (``|`` and ``>``) are aligned with the source character by character
(folded line breaks map to the source line break); if alignment ever fails the whole scalar is the
span of each character (a finding then covers the whole field).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Sequence

import regex
import yaml

from ..errors import InputError
from ._common import Mapped, MappedBuilder, SourceError

Path = tuple[str | int, ...]

_SEGMENT = regex.compile(r"\*\*|\[(?:\*|\d+)\]|[^.\[\]]+|(?P<bad>[\[\]])")


def compile_key_path(pattern: str) -> tuple[str, ...]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise InputError(f"key path {pattern!r} is empty; use e.g. 'macros[*].body' or '**'")
    segments = []
    for match in _SEGMENT.finditer(pattern.strip()):
        if match.group("bad"):
            raise InputError(f"key path {pattern!r}: unbalanced '[' or ']' at column {match.start() + 1}")
        segments.append(match.group(0))
    return tuple(segments)


def _match(segments: Sequence[str], path: Path) -> bool:
    if not segments:
        return not path
    head, rest = segments[0], segments[1:]
    if head == "**":
        return any(_match(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    item = path[0]
    if head == "*":
        ok = True
    elif head == "[*]":
        ok = isinstance(item, int)
    elif head.startswith("["):
        ok = isinstance(item, int) and item == int(head[1:-1])
    else:
        ok = isinstance(item, str) and fnmatch.fnmatchcase(item, head)
    return ok and _match(rest, path[1:])


def path_label(path: Path) -> str:
    out = ""
    for item in path:
        if isinstance(item, int):
            out += f"[{item}]"
        elif regex.fullmatch(r"[\w\-]+", item):
            out += ("." if out else "") + item
        else:
            out += f"[{json.dumps(item, ensure_ascii=False)}]"
    return out


def selected(path: Path, patterns: Sequence[tuple[str, ...]]) -> bool:
    return any(_match(p, path) for p in patterns)


# -- JSON ------------------------------------------------------------------------------------------

_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def decode_json_string(text: str, start: int, end: int) -> Mapped:
    """The value of the JSON string whose content (inside the quotes) is ``text[start:end]``."""
    if text.find("\\", start, end) < 0:
        return Mapped.identity(text[start:end], start)
    out = MappedBuilder()
    source = Mapped.identity(text[start:end], start)
    i = start
    while i < end:
        nxt = text.find("\\", i, end)
        if nxt < 0:
            out.add(source, i - start, end - start)
            break
        out.add(source, i - start, nxt - start)
        kind = text[nxt + 1]
        if kind == "u":
            code = int(text[nxt + 2 : nxt + 6], 16)
            stop = nxt + 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", stop):
                low = int(text[stop + 2 : stop + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    stop += 6
            out.add_char(chr(code), nxt, stop)
            i = stop
        else:
            out.add_char(_JSON_ESCAPES[kind], nxt, nxt + 2)
            i = nxt + 2
    return out.build()


class _JsonScanner:
    """Positions of every string value of a (valid) JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def ws(self, i: int) -> int:
        text = self.text
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def string_end(self, i: int) -> int:
        """``text[i] == '"'``: index of the closing quote."""
        text = self.text
        j = i + 1
        while True:
            quote = text.find('"', j)
            backslashes = 0
            k = quote - 1
            while text[k] == "\\":
                backslashes += 1
                k -= 1
            if backslashes % 2 == 0:
                return quote
            j = quote + 1

    def value(self, i: int, path: Path, out: list[tuple[Path, int, int]]) -> int:
        text = self.text
        i = self.ws(i)
        ch = text[i]
        if ch == "{":
            i = self.ws(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = self.ws(i)
                key_end = self.string_end(i)
                key = json.loads(text[i : key_end + 1])
                i = self.ws(key_end + 1) + 1  # past ':'
                i = self.ws(self.value(i, (*path, key), out))
                if text[i] == "}":
                    return i + 1
                i += 1
        if ch == "[":
            i = self.ws(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = self.ws(self.value(i, (*path, index), out))
                index += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        if ch == '"':
            end = self.string_end(i)
            out.append((path, i + 1, end))
            return end + 1
        match = regex.compile(r"[^\s,\]}]+").match(text, i)
        return match.end() if match else i + 1


def json_fields(text: str) -> Iterator[tuple[Path, Mapped]]:
    """Every string field of a JSON document, decoded, with file offsets."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{exc.msg} (column {exc.colno})", line=exc.lineno, fmt="json") from None
    except RecursionError:
        raise SourceError("nested too deeply", fmt="json") from None
    found: list[tuple[Path, int, int]] = []
    try:
        _JsonScanner(text).value(0, (), found)
    except RecursionError:
        raise SourceError("nested too deeply", fmt="json") from None
    for path, start, end in found:
        yield path, decode_json_string(text, start, end)


# -- YAML ------------------------------------------------------------------------------------------

_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}


def _yaml_escape(text: str, i: int) -> tuple[str, int]:
    """``text[i] == '\\\\'`` in a double-quoted scalar: the decoded text and the index after it."""
    kind = text[i + 1 : i + 2]
    if kind in _HEX_LENGTH:
        n = _HEX_LENGTH[kind]
        return chr(int(text[i + 2 : i + 2 + n], 16)), i + 2 + n
    if kind in ("\n", "\r"):
        return "", i + 2 + (1 if text[i + 1 : i + 3] == "\r\n" else 0)
    return _YAML_ESCAPES.get(kind, kind), i + 2


def _common_prefix(a: str, a_start: int, a_stop: int, b: str, b_start: int, b_stop: int) -> int:
    """Length of the common prefix of ``a[a_start:a_stop]`` and ``b[b_start:b_stop]`` (slice compares in C)."""
    high = min(a_stop - a_start, b_stop - b_start)
    if high <= 0:
        return 0
    if a[a_start : a_start + high] == b[b_start : b_start + high]:
        return high
    low = 0  # a prefix of length low matches, of length high does not
    while high - low > 1:
        middle = (low + high) // 2
        if a[a_start : a_start + middle] == b[b_start : b_start + middle]:
            low = middle
        else:
            high = middle
    return low


def align_scalar(text: str, start: int, end: int, value: str, style: str | None) -> Mapped:
    """Map each character of a YAML scalar's ``value`` to its source in ``text[start:end]``."""
    if style in ('"', "'"):
        start, end = start + 1, end - 1
    elif style in ("|", ">"):
        header_end = text.find("\n", start, end)
        start = end if header_end < 0 else header_end + 1
    if text[start:end] == value:
        return Mapped.identity(value, start)
    out = MappedBuilder()
    source = Mapped.identity(text[start:end], start)
    j = start
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        k = j
        if not ch.isspace():
            while k < end and (text[k].isspace() or (style == '"' and text[k] == "\\" and text[k + 1 : k + 2] in ("\n", "\r"))):
                k += 2 if text[k] == "\\" else 1
        # copy the longest stretch that is identical in value and source (stopping where quoting differs)
        value_stop = n
        source_stop = end
        if style == "'":
            quote = value.find("'", i)
            value_stop = n if quote < 0 else quote
        elif style == '"':
            backslash = text.find("\\", k, end)
            source_stop = end if backslash < 0 else backslash
        length = _common_prefix(value, i, value_stop, text, k, source_stop)
        if length:
            out.add(source, k - start, k - start + length)
            i += length
            j = k + length
            continue
        i += 1
        if style == '"' and j < end and text[j] == "\\":
            # skip escaped line breaks, then an escape that produces this character
            while j < end and text[j] == "\\" and text[j + 1 : j + 2] in ("\n", "\r"):
                _, j = _yaml_escape(text, j)
                while j < end and text[j] in " \t":
                    j += 1
            if j < end and text[j] == "\\":
                decoded, stop = _yaml_escape(text, j)
                if decoded == ch:
                    out.add_char(ch, j, stop)
                    j = stop
                    continue
        if ch.isspace():
            if j < end and text[j].isspace():
                out.add_char(ch, j, j + 1)
                j += 1
            else:
                out.add_char(ch, j, j)
            continue
        while j < end and (text[j].isspace() or (style == '"' and text[j] == "\\" and text[j + 1 : j + 2] in ("\n", "\r"))):
            j += 2 if text[j] == "\\" else 1
        if style == "'" and ch == "'" and text.startswith("''", j):
            out.add_char(ch, j, j + 2)
            j += 2
        elif style == '"' and j < end and text[j] == "\\":
            decoded, stop = _yaml_escape(text, j)
            if decoded != ch:
                return _whole(value, start, end)
            out.add_char(ch, j, stop)
            j = stop
        elif j < end and text[j] == ch:
            out.add_char(ch, j, j + 1)
            j += 1
        else:
            return _whole(value, start, end)
    return out.build()


def _whole(value: str, start: int, end: int) -> Mapped:
    out = MappedBuilder()
    for ch in value:
        out.add_char(ch, start, end)
    return out.build()


# libyaml's marks count characters like PyYAML's (tested); the pure-Python loader is the fallback.
LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_fields(text: str) -> Iterator[tuple[Path, Mapped]]:
    """Every string scalar of a YAML stream, aligned with the file."""
    try:
        documents = list(yaml.compose_all(text, Loader=LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "malformed YAML"
        raise SourceError(f"{reason} (column {mark.column + 1})" if mark else reason, line=mark.line + 1 if mark else None, fmt="yaml") from None
    except yaml.YAMLError as exc:
        raise SourceError(str(exc).splitlines()[0] if str(exc) else "malformed YAML", fmt="yaml") from None
    multi = len(documents) > 1
    str_tag = "tag:yaml.org,2002:str"
    for doc_index, root in enumerate(documents):
        stack: list[tuple[Path, yaml.Node, int]] = [((doc_index,) if multi else (), root, 0)]
        while stack:
            path, node, depth = stack.pop()
            if depth > 200:
                raise SourceError("nested too deeply", line=node.start_mark.line + 1, fmt="yaml")
            if isinstance(node, yaml.MappingNode):
                for key, child in reversed(node.value):
                    name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line + 1)
                    stack.append(((*path, str(name)), child, depth + 1))
            elif isinstance(node, yaml.SequenceNode):
                for index in range(len(node.value) - 1, -1, -1):
                    stack.append(((*path, index), node.value[index], depth + 1))
            elif isinstance(node, yaml.ScalarNode) and node.tag == str_tag:
                yield path, align_scalar(text, node.start_mark.index, node.end_mark.index, node.value, node.style)


def fields(text: str, fmt: str, key_paths: Sequence[str]) -> list[tuple[str, Mapped]]:
    """The selected string fields of a JSON / YAML file: (label, mapped value)."""
    patterns = [compile_key_path(p) for p in key_paths]
    source = json_fields(text) if fmt == "json" else yaml_fields(text)
    out = []
    for path, mapped in source:
        if mapped.text.strip() and selected(path, patterns):
            out.append((path_label(path), mapped))
    return out
