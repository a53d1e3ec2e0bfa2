"""Phrase packs: find, validate and compile the YAML rule files.

A pack is a directory of YAML files, one per category (``data/phrases/en/blame.yaml``). Every file
is checked strictly when it loads: unknown fields, a bad severity, a pattern spaCy's Matcher rejects,
a bad regular expression or a duplicate rule id stop the load with the file, rule id and field named.
See ``docs/packs.md`` for the format and the pattern language.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from ._model import Category, Severity
from ._regexes import LazyRegex
from .errors import PackError

RULE_FIELDS = frozenset(
    {
        "id", "severity", "message", "rationale", "patterns", "phrases", "regex",
        "antipatterns", "antiregex", "sentence_unless", "sentence_requires", "suggestions",
        "autofix", "examples", "link", "short", "description", "case_sensitive", "detector",
    }
)
ELEMENT_FIELDS = frozenset(
    {
        "id", "message", "suggestion", "patterns", "phrases", "regex", "antipatterns",
        "antiregex", "sentence_unless", "sentence_requires", "examples", "description",
        "case_sensitive", "required",
    }
)
FILE_FIELDS = frozenset({"category", "lang", "rules", "kind", "elements", "description"})
_MARK_RE = regex.compile(r"\[\[(.+?)\]\]", regex.DOTALL)


@dataclass(frozen=True)
class Example:
    """A pack example. ``span`` is the marked ``[[...]]`` span in ``text`` (flag examples)."""

    text: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class CompiledPattern:
    """A pattern translated to a regex over encoded tokens; group ``mark`` is the reported part.

    The regex is compiled on first use (most patterns never meet a document with their anchor, and
    compiling hundreds of regexes up front would double the time of a first check).
    """

    source: str
    regex_source: str
    anchor: Any  # Anchor | None: None means "always run"
    before: int = 0  # tokens a match can take before its anchor token
    after: int = 0  # tokens a match can take after it
    also: tuple[Any, ...] = ()  # the other required words: all must occur for a match to be possible
    # (compiled regex, whether it has a ``mark`` group), filled in on first use
    _compiled: tuple[re.Pattern[str], bool] | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def regex(self) -> re.Pattern[str]:
        return self.compiled[0]

    @property
    def compiled(self) -> tuple[re.Pattern[str], bool]:
        """The compiled regex and whether it has a ``mark`` group (kept on the pattern once built)."""
        found = self._compiled
        if found is None:
            pattern = _compiled_token_regex(self.regex_source)
            found = (pattern, "mark" in pattern.groupindex)
            object.__setattr__(self, "_compiled", found)  # frozen: a cache, not a change of value
        return found

    @property
    def literal_start(self) -> bool:
        """Whether every match starts with a literal word, which the matcher finds by fast search."""
        return _literal_start(self.regex_source)


@cache
def _literal_start(source: str) -> bool:
    body = source.removeprefix("(?P<mark>")
    return body.startswith(r"\x01") and not body.startswith(r"\x01[")


@cache
def _compiled_token_regex(source: str) -> re.Pattern[str]:
    # A match always starts at a token (\x01). A pattern that opens with optional tokens hides that
    # from the matcher; saying it with a lookahead lets it skip other positions (3-4x faster). A
    # pattern that opens with a required token already starts with the literal (faster without).
    starts_with_token = source.startswith((r"\x01", r"(?P<mark>\x01"))
    return re.compile(source if starts_with_token else "(?=\x01)" + source)


@dataclass(frozen=True)
class Rule:
    """One phrase rule (or element detector) as loaded from a pack."""

    id: str
    lang: str
    category: Category
    severity: Severity
    message: str
    rationale: str
    patterns: tuple[CompiledPattern, ...]
    regexes: tuple[Any, ...]
    antipatterns: tuple[CompiledPattern, ...]
    antiregexes: tuple[Any, ...]
    sentence_unless: tuple[Any, ...]
    sentence_requires: tuple[Any, ...]
    suggestions: tuple[str, ...]
    autofix: bool
    flag_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    path: str
    link: str = ""
    short: str = ""
    kind: str = "rule"  # "rule" or "element"
    element_suggestion: str = ""
    required: bool = True
    detector: str = ""


def selects(selector: str, rule_id: str, category: str = "") -> bool:
    """``blame`` selects the category or the id prefix ``blame.``; a full id selects one rule."""
    return rule_id == selector or rule_id.startswith(selector + ".") or (bool(category) and category == selector)


def builtin_data_dir() -> Path:
    """The packs shipped with invoicetone (inside the wheel, or the repo's ``data/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent.parent / "data"):
        if (candidate / "phrases").is_dir():
            return candidate
    raise PackError("the built-in phrase packs are missing from this installation")  # pragma: no cover


# ---------------------------------------------------------------------------- pattern language
#
# Patterns compile to regular expressions over an encoded token string (see ``_engine.encode``):
# every token is  \x01 norm \x02 lemma \x03 flags \x04  and sentences are separated by \x05, so a
# match can never cross a sentence. The `regex` module runs them in C; an anchor word per pattern
# lets the engine skip patterns whose words are absent from the document.

T_START, T_LEMMA, T_FLAGS, T_END, SENT_BREAK = "\x01", "\x02", "\x03", "\x04", "\x05"
_REST_AFTER_NORM = r"\x02[^\x04]*\x04"
_REST_AFTER_LEMMA = r"\x03[^\x04]*\x04"
_STOPS = r"(?:\.|!|\?|\.\.\.|;)"
_ANY = r"\x01(?!" + _STOPS + r"\x02)[^\x04]*\x04"


@dataclass(frozen=True)
class Anchor:
    """Words one of which must be in the document for a pattern to be worth running."""

    attr: str  # "norm" or "lemma"
    exact: frozenset[str]
    stems: tuple[str, ...]

    def positions(self, where: Mapping[str, list[int]]) -> list[int]:
        """Token indexes where the anchor occurs, given a value → indexes map of the document."""
        found: list[int] = []
        for value in self.exact:
            found.extend(where.get(value, ()))
        if self.stems:
            for value, indexes in where.items():
                if value.startswith(self.stems) and value not in self.exact:
                    found.extend(indexes)
        return found


def _fold_value(value: str, folding: bool) -> str:
    from ._nlp import fold

    return fold(value) if folding else value.lower()


def _alternatives(body: str, folding: bool, what: str) -> tuple[list[str], list[str]]:
    exact: list[str] = []
    stems: list[str] = []
    for alt in body.replace("\\|", "\x00").split("|"):
        alt = alt.replace("\x00", "|")
        if not alt:
            raise ValueError(f"empty alternative in {what!r}")
        if alt.endswith("*") and len(alt) > 1:
            stems.append(_fold_value(alt[:-1], folding))
        else:
            exact.append(_fold_value(alt, folding))
    return exact, stems


def _values_regex(exact: list[str], stems: list[str]) -> str:
    parts = [re.escape(s) + r"[^\x02\x03]*" for s in sorted(stems, key=len, reverse=True)]
    parts += [re.escape(e) for e in sorted(exact, key=len, reverse=True)]
    return "(?:" + "|".join(parts) + ")"


def _user_regex(pattern: str) -> str:
    """A /regex/ token matches a whole form: keep its ``.``, ``\\S`` and ``[^…]`` inside the token."""
    re.compile(pattern)  # token regexes use Python's re syntax; a mistake fails at load
    out = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append(r"[^\s\x01-\x05]" if pair == r"\S" and not in_class else pair)
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            out.append(ch)
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                out.append(r"[^\x01-\x05")
                i += 2
                continue
            out.append(ch)
        elif ch == ".":
            out.append(r"[^\x01-\x05]")
        elif ch in "^$":
            pass  # the form is matched whole anyway
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# "@name" captures a word's lemma ("!a|b@name": a word that is none of a|b); "=name" is a word with
# the same lemma later in the pattern ("a deadline is a deadline": "@x <be> a|the? =x")
_CAPTURE = re.compile(r"(?:!(.+))?@([a-z][a-z0-9]*)")
_REFERENCE = re.compile(r"=[a-z][a-z0-9]*")


@cache
def compile_token(spec: str, folding: bool) -> tuple[str, Anchor | None]:
    """One pattern token (see docs/packs.md) as a regex over the encoded tokens, and its anchor.

    Cached: the same tokens ("you", "<be>", "~3") recur in hundreds of patterns.
    """
    if spec == "_":
        return _ANY, None
    if spec.startswith("~") and spec[1:].isdigit():
        # lazy: a gap takes as few tokens as the rest of the pattern allows (a trailing gap takes none)
        return f"(?:{_ANY}){{0,{int(spec[1:])}}}?", None
    op = ""
    if len(spec) > 1 and spec[-1] in "?+" and not spec.endswith("\\?") and not spec.endswith("\\+"):
        op = spec[-1]
        spec = spec[:-1]
    anchor: Anchor | None = None
    capture = _CAPTURE.fullmatch(spec)
    if capture or _REFERENCE.fullmatch(spec):
        if op:
            raise ValueError(f"{spec + op!r}: a captured or repeated word cannot be optional or repeated")
        if capture:
            excluded, name = capture.groups()
            guard = _STOPS if excluded is None else "(?:" + _values_regex(*_alternatives(excluded, folding, spec)) + "|" + _STOPS + ")"
            return r"\x01(?!" + guard + r"\x02)[^\x02]*\x02(?P<ref_" + name + r">[^\x03]+)\x03[^\x04]*\x04", None
        return r"\x01[^\x02]*\x02(?P=ref_" + spec[1:] + r")\x03[^\x04]*\x04", None
    if spec.startswith("\\") and len(spec) > 1:
        value = _fold_value(spec[1:], folding)
        body = r"\x01" + re.escape(value) + _REST_AFTER_NORM
        anchor = Anchor("norm", frozenset([value]), ())
    elif spec == "#NUM":
        body = r"\x01[^\x03]*\x03N\x04"
    elif spec == "#PLACEHOLDER":
        body = r"\x01placeholder" + _REST_AFTER_NORM
        anchor = Anchor("norm", frozenset(["placeholder"]), ())
    elif spec.startswith("!") and len(spec) > 1:
        inner = spec[1:]
        if inner.startswith("<") and inner.endswith(">") and len(inner) > 2:
            exact, stems = _alternatives(inner[1:-1], folding, spec)
            body = r"\x01(?!" + _STOPS + r"\x02)[^\x02]*\x02(?!" + _values_regex(exact, stems) + r"\x03)" + r"[^\x04]*\x04"
        else:
            exact, stems = _alternatives(inner, folding, spec)
            body = r"\x01(?!(?:" + _values_regex(exact, stems) + "|" + _STOPS + r")\x02)[^\x04]*\x04"
    elif spec.startswith("<") and spec.endswith(">") and len(spec) > 2:
        exact, stems = _alternatives(spec[1:-1], folding, spec)
        body = r"\x01[^\x02]*\x02" + _values_regex(exact, stems) + _REST_AFTER_LEMMA
        anchor = Anchor("lemma", frozenset(exact), tuple(stems))
    elif spec.startswith("/") and spec.endswith("/") and len(spec) > 2:
        body = r"\x01(?:" + _user_regex(spec[1:-1]) + ")" + _REST_AFTER_NORM
    else:
        exact, stems = _alternatives(spec, folding, spec)
        body = r"\x01" + _values_regex(exact, stems) + _REST_AFTER_NORM
        anchor = Anchor("norm", frozenset(exact), tuple(stems))
    if op:
        return f"(?:{body}){op}", (anchor if op == "+" else None)
    return body, anchor


@cache
def _common_words() -> frozenset[str]:
    """Words in nearly every reply (``data/style/common-words.txt``): poor anchors, folded too."""
    from ._nlp import fold

    path = builtin_data_dir() / "style" / "common-words.txt"
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        for word in line.split("#", 1)[0].split():
            words.update((word.lower(), fold(word)))
    return frozenset(words)


def _anchor_weight(anchor: Anchor) -> tuple[int, int]:
    """Prefer anchors made of uncommon words, then the longest shortest word."""
    values = list(anchor.exact) + list(anchor.stems)
    common = any(v in _common_words() for v in values)
    return (0 if common else 1, min((len(v) for v in values), default=0))


def _is_optional(part: str) -> bool:
    return len(part) > 1 and part.endswith("?") and not part.endswith("\\?")


def _optional_chain(items: list[tuple[str, str]]) -> str:
    """Trailing gaps and optional tokens: a gap only counts when the optional token after it matches."""
    out = []
    gaps = ""
    for kind, body in items:
        if kind == "gap":
            gaps += body
        else:
            out.append(f"(?:{gaps}{body})?")
            gaps = ""
    return "".join(out)


UNBOUNDED = 10_000  # width of a "+" token: the rest of the sentence


def _leading_chain(items: list[tuple[str, str]]) -> str:
    """Leading optional tokens: a gap only counts when the optional token before it matched."""
    out: list[str] = []
    segment = ""
    for kind, body in items:
        if kind == "open":
            if segment:
                out.append(f"(?:{segment})?")
                segment = ""
            out.append(body)
        elif kind == "opt":
            if segment:
                out.append(f"(?:{segment})?")
            segment = body
        elif kind == "gap" and segment:
            segment += body
    if segment:
        out.append(f"(?:{segment})?")
    return "".join(out)


def compile_pattern(source: str, folding: bool) -> CompiledPattern:
    """Compile a pattern: optional tokens taken when present, gaps never pad the ends of a match."""
    parts = source.split()
    if not parts:
        raise ValueError("empty pattern")
    items: list[tuple[str, str]] = []  # (kind, regex): kind in req opt gap open close
    widths: list[int] = []  # most tokens each item can take
    anchors: list[tuple[Anchor, int]] = []  # anchor and its item index
    captured: set[str] = set()
    for part in parts:
        bare = part.rstrip("?+")
        if bare != part and (_CAPTURE.fullmatch(bare) or _REFERENCE.fullmatch(bare)):
            raise ValueError(f"{part!r}: a captured or repeated word cannot be optional or repeated")
        if _CAPTURE.fullmatch(part):
            name = part.rsplit("@", 1)[1]
            if name in captured:
                raise ValueError(f"'@{name}' captured twice")
            captured.add(name)
        elif _REFERENCE.fullmatch(part) and part[1:] not in captured:
            raise ValueError(f"{part!r} refers to a word not captured before it (write '@{part[1:]}' first)")
        if part == "[":
            if any(kind == "open" for kind, _ in items):
                raise ValueError("more than one '[' marker")
            items.append(("open", "(?P<mark>"))
            widths.append(0)
            continue
        if part == "]":
            if not any(kind == "open" for kind, _ in items) or any(kind == "close" for kind, _ in items):
                raise ValueError("']' without '['")
            if items[-1][0] == "open":
                raise ValueError("empty '[ ]' marker")
            items.append(("close", ")"))
            widths.append(0)
            continue
        if part.startswith("~") and part[1:].isdigit():
            items.append(("gap", compile_token(part, folding)[0]))
            widths.append(int(part[1:]))
            continue
        if _is_optional(part):
            body, _ = compile_token(part[:-1], folding)
            items.append(("opt", f"(?:{body})"))
            widths.append(1)
            continue
        body, anchor = compile_token(part, folding)
        items.append(("req", body))
        widths.append(UNBOUNDED if part.endswith("+") and len(part) > 1 and not part.endswith("\\+") else 1)
        if anchor is not None:
            anchors.append((anchor, len(items) - 1))
    kinds = [kind for kind, _ in items]
    if "open" in kinds and "close" not in kinds:
        raise ValueError("'[' without ']'")
    if "req" not in kinds:
        raise ValueError("pattern can match nothing: every token is optional")
    first_req = kinds.index("req")
    last_req = len(kinds) - 1 - kinds[::-1].index("req")

    def render(kind: str, body: str) -> str:
        return body + "?" if kind == "opt" else body

    head = _leading_chain(items[:first_req])
    middle = "".join(render(kind, body) for kind, body in items[first_req : last_req + 1])
    tail_items = items[last_req + 1 :]
    if any(kind == "open" for kind, _ in tail_items):
        raise ValueError("the '[ ]' part needs a required token")
    if ("close", ")") in tail_items:
        cut = tail_items.index(("close", ")"))
        tail = _optional_chain(tail_items[:cut]) + ")" + _optional_chain(tail_items[cut + 1 :])
    else:
        tail = _optional_chain(tail_items)
    # Greedy optional tokens, lazy gaps and longest-first alternatives give the longest reading
    # (POSIX leftmost-longest matching would too, at several times the cost).
    compiled = head + middle + tail
    if not anchors:
        return CompiledPattern(source=source, regex_source=compiled, anchor=None)
    best, index = max(anchors, key=lambda pair: _anchor_weight(pair[0]))
    # how many tokens a match can reach before and after its anchor: matches are searched only there
    before = min(UNBOUNDED, sum(widths[:index]))
    after = min(UNBOUNDED, sum(widths[index + 1 :]))
    others = tuple(anchor for anchor, _ in anchors if anchor is not best)
    return CompiledPattern(
        source=source, regex_source=compiled, anchor=best, before=before, after=after, also=others
    )


def phrase_to_pattern(phrase: str, lang: str = "en") -> str:
    """A literal phrase as a pattern: every token matched exactly (case- and accent-insensitively).

    The phrase is split by the language's own tokenizer, so "don't" becomes ``do n't`` as in text.
    """
    from ._nlp import get_pipeline, norm_of

    words = []
    for token in get_pipeline(lang).make_doc(" ".join(phrase.split())):
        word = norm_of(token.lower_, lang).replace("|", "\\|")
        words.append("\\" + word if word[0] in "[]<>!/~_#\\" or word in ("?", "+") else word)
    return " ".join(words)


def parse_example(text: Any, *, flagged: bool, path: str, rule_id: str) -> Example:
    if not isinstance(text, str) or not text.strip():
        raise PackError("examples must be non-empty strings", path=path, rule_id=rule_id, field="examples")
    marks = list(_MARK_RE.finditer(text))
    if flagged:
        if len(marks) != 1:
            raise PackError(
                f"a flag example marks exactly one span with [[...]]: {text!r}",
                path=path, rule_id=rule_id, field="examples.flag",
            )
        mark = marks[0]
        clean = text[: mark.start()] + mark.group(1) + text[mark.end():]
        return Example(clean, (mark.start(), mark.start() + len(mark.group(1))))
    if marks:
        raise PackError(
            f"a pass example has no [[...]] mark: {text!r}", path=path, rule_id=rule_id, field="examples.pass"
        )
    return Example(text, None)


# ---------------------------------------------------------------------------- loading


def _str_list(value: Any, *, path: str, rule_id: str, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PackError("must be a list of non-empty strings", path=path, rule_id=rule_id, field=name)
    return list(value)


_ESCAPES = re.compile(r"\\[pPN]\{[^}]*\}|\\.|\(\?P[<=>]", re.DOTALL)


def _has_upper_literal(pattern: str) -> bool:
    """Whether a regex names an upper-case letter itself (escapes such as ``\\S`` or ``\\p{Lu}`` aside)."""
    return any(c != c.lower() for c in _ESCAPES.sub("", pattern))


def _compile_regexes(
    values: list[str], *, path: str, rule_id: str, name: str, flags: int, validate: bool = True
) -> tuple[Any, ...]:
    compiled = []
    for value in values:
        try:
            # validated now (Python's re compiles fast; the built-in packs are validated by the test
            # suite instead), compiled on first use by the regex module, which matches these long
            # alternations faster; re-invalid syntax (\p{L}, …) is checked by regex
            # the text is lower-cased already: case-insensitive matching would only cost time
            own_flags = flags if _has_upper_literal(value) else flags & ~regex.IGNORECASE
            if validate:
                try:
                    re.compile(value, own_flags)
                except re.error:
                    regex.compile(value, own_flags)
            compiled.append(LazyRegex(value, own_flags))
        except regex.error as exc:
            raise PackError(f"bad regular expression {value!r}: {exc}", path=path, rule_id=rule_id, field=name) from exc
    return tuple(compiled)


def _compile_patterns(values: list[str], *, path: str, rule_id: str, name: str, folding: bool) -> list[CompiledPattern]:
    compiled = []
    for value in values:
        try:
            compiled.append(compile_pattern(value, folding))
        except (ValueError, re.error) as exc:
            raise PackError(f"bad pattern {value!r}: {exc}", path=path, rule_id=rule_id, field=name) from exc
    return compiled


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)
    except UnicodeDecodeError as exc:
        raise PackError(f"not UTF-8: {exc}", path=str(path)) from exc
    except yaml.YAMLError as exc:
        raise PackError(f"not valid YAML: {exc}", path=str(path)) from exc
    except OSError as exc:
        raise PackError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc


def load_file(path: Path, lang: str | None = None, *, validate_regex: bool = True) -> list[Rule]:
    """Load and validate one pack file."""
    spath = str(path)
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise PackError("a pack file is a mapping with 'rules' (or 'elements')", path=spath)
    unknown = set(data) - FILE_FIELDS
    if unknown:
        raise PackError(f"unknown top-level field(s) {sorted(unknown)}; allowed: {sorted(FILE_FIELDS)}", path=spath, field=sorted(unknown)[0])
    kind = data.get("kind", "rules")
    if kind not in ("rules", "elements"):
        raise PackError("kind must be 'rules' or 'elements'", path=spath, field="kind")
    file_lang = data.get("lang", lang)
    from ._nlp import FOLDING_LANGS, SUPPORTED_LANGS

    if file_lang not in SUPPORTED_LANGS:
        raise PackError(f"lang must be one of {list(SUPPORTED_LANGS)}, not {file_lang!r}", path=spath, field="lang")
    folding = file_lang in FOLDING_LANGS
    if kind == "elements":
        category = Category.CUSTOM
        entries = data.get("elements")
        allowed = ELEMENT_FIELDS
    else:
        try:
            category = Category(data.get("category"))
        except ValueError:
            raise PackError(
                f"category must be one of {[c.value for c in Category]}, not {data.get('category')!r}",
                path=spath, field="category",
            ) from None
        entries = data.get("rules")
        allowed = RULE_FIELDS
    if not isinstance(entries, list) or not entries:
        raise PackError("needs a non-empty list of rules", path=spath, field="rules" if kind == "rules" else "elements")
    rules = []
    for index, entry in enumerate(entries):
        rules.append(_load_rule(entry, index, spath, file_lang, category, folding, kind, allowed, validate_regex))
    return rules


def _load_rule(
    entry: Any,
    index: int,
    spath: str,
    lang: str,
    category: Category,
    folding: bool,
    kind: str,
    allowed: frozenset[str],
    validate_regex: bool = True,
) -> Rule:
    if not isinstance(entry, dict):
        raise PackError(f"entry #{index + 1} is not a mapping", path=spath)
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not regex.fullmatch(r"[a-z0-9_]+(?:[.\-][a-z0-9_]+)*", rule_id):
        raise PackError(f"entry #{index + 1} needs an id like 'blame.should-have-known'", path=spath, rule_id=str(rule_id) if rule_id else None, field="id")
    unknown = set(entry) - allowed
    if unknown:
        raise PackError(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}", path=spath, rule_id=rule_id, field=sorted(unknown)[0])
    message = entry.get("message")
    if not isinstance(message, str) or not message.strip():
        raise PackError("needs a message", path=spath, rule_id=rule_id, field="message")
    if kind == "rules":
        try:
            severity = Severity(entry.get("severity", "warning"))
        except ValueError:
            raise PackError("severity must be info, warning or error", path=spath, rule_id=rule_id, field="severity") from None
    else:
        severity = Severity.WARNING
    flags = 0 if entry.get("case_sensitive") else regex.IGNORECASE
    patterns = _compile_patterns(_str_list(entry.get("patterns"), path=spath, rule_id=rule_id, name="patterns"), path=spath, rule_id=rule_id, name="patterns", folding=folding)
    phrases = _str_list(entry.get("phrases"), path=spath, rule_id=rule_id, name="phrases")
    patterns += _compile_patterns([phrase_to_pattern(p, lang) for p in phrases], path=spath, rule_id=rule_id, name="phrases", folding=folding)
    regexes = _compile_regexes(_str_list(entry.get("regex"), path=spath, rule_id=rule_id, name="regex"), path=spath, rule_id=rule_id, name="regex", flags=flags, validate=validate_regex)
    detector = entry.get("detector", "")
    if detector:
        from ._sentence_model import MODEL_DETECTOR
        from ._style import DETECTORS

        if detector not in DETECTORS and detector != MODEL_DETECTOR:
            known = sorted([*DETECTORS, MODEL_DETECTOR])
            raise PackError(f"unknown detector {detector!r}; known: {known}", path=spath, rule_id=rule_id, field="detector")
    if not patterns and not regexes and not detector:
        raise PackError("needs at least one of patterns, phrases, regex or detector", path=spath, rule_id=rule_id, field="patterns")
    antipatterns = _compile_patterns(_str_list(entry.get("antipatterns"), path=spath, rule_id=rule_id, name="antipatterns"), path=spath, rule_id=rule_id, name="antipatterns", folding=folding)
    antiregexes = _compile_regexes(_str_list(entry.get("antiregex"), path=spath, rule_id=rule_id, name="antiregex"), path=spath, rule_id=rule_id, name="antiregex", flags=flags, validate=validate_regex)
    unless = _compile_regexes(_str_list(entry.get("sentence_unless"), path=spath, rule_id=rule_id, name="sentence_unless"), path=spath, rule_id=rule_id, name="sentence_unless", flags=flags, validate=validate_regex)
    requires = _compile_regexes(_str_list(entry.get("sentence_requires"), path=spath, rule_id=rule_id, name="sentence_requires"), path=spath, rule_id=rule_id, name="sentence_requires", flags=flags, validate=validate_regex)
    suggestions_raw = entry.get("suggestions", [])
    if kind == "rules":
        suggestions = _str_list(suggestions_raw, path=spath, rule_id=rule_id, name="suggestions") if suggestions_raw else []
        if severity is not Severity.INFO and not suggestions and not detector:
            raise PackError("warning and error rules need at least one suggestion", path=spath, rule_id=rule_id, field="suggestions")
    else:
        suggestions = []
    autofix = entry.get("autofix", False)
    if not isinstance(autofix, bool):
        raise PackError("autofix is true or false", path=spath, rule_id=rule_id, field="autofix")
    examples = entry.get("examples")
    if not isinstance(examples, dict) or set(examples) - {"flag", "pass"}:
        raise PackError("examples is a mapping with 'flag' and 'pass' lists", path=spath, rule_id=rule_id, field="examples")
    flag_raw = examples.get("flag") or []
    pass_raw = examples.get("pass") or []
    if not isinstance(flag_raw, list) or not isinstance(pass_raw, list) or not flag_raw or not pass_raw:
        raise PackError("needs at least one 'flag' and one 'pass' example", path=spath, rule_id=rule_id, field="examples")
    flag_examples = tuple(parse_example(t, flagged=True, path=spath, rule_id=rule_id) for t in flag_raw)
    pass_examples = tuple(parse_example(t, flagged=False, path=spath, rule_id=rule_id) for t in pass_raw)
    text_fields = {}
    for name in ("rationale", "link", "short", "description", "suggestion"):
        value = entry.get(name, "")
        if not isinstance(value, str):
            raise PackError("must be a string", path=spath, rule_id=rule_id, field=name)
        text_fields[name] = value.strip()
    required = entry.get("required", True)
    if not isinstance(required, bool):
        raise PackError("required is true or false", path=spath, rule_id=rule_id, field="required")
    if kind == "elements" and not text_fields["suggestion"]:
        raise PackError("an element needs a suggestion sentence", path=spath, rule_id=rule_id, field="suggestion")
    return Rule(
        id=rule_id,
        lang=lang,
        category=category,
        severity=severity,
        message=message.strip(),
        rationale=text_fields["rationale"] or text_fields["description"],
        patterns=tuple(patterns),
        regexes=regexes,
        antipatterns=tuple(antipatterns),
        antiregexes=antiregexes,
        sentence_unless=unless,
        sentence_requires=requires,
        suggestions=tuple(s.strip() if s.strip() != "''" else "" for s in suggestions),
        autofix=autofix,
        flag_examples=flag_examples,
        pass_examples=pass_examples,
        path=spath,
        link=text_fields["link"],
        short=text_fields["short"],
        kind="element" if kind == "elements" else "rule",
        element_suggestion=text_fields["suggestion"],
        required=required,
        detector=detector,
    )


def pack_files(directory: Path) -> list[tuple[Path, str | None]]:
    """YAML files of a pack directory. A directory named after a language sets the default lang."""
    if not directory.is_dir():
        raise PackError("pack directory not found", path=str(directory))
    found: list[tuple[Path, str | None]] = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        root_path = Path(root)
        lang = root_path.name if root_path.name in ("en", "sk") else None
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                found.append((root_path / name, lang))
    return found


def load_rules(
    directories: Sequence[Path], *, lang: str | None = None, trusted: Collection[Path] = ()
) -> list[Rule]:
    """Load every rule and element from ``directories`` (in order), rejecting duplicate ids.

    With ``lang``, files in a directory named after another language are not read. Regexes of
    ``trusted`` directories (the built-in packs, which the test suite compiles) are compiled on
    first use instead of at load.
    """
    rules: list[Rule] = []
    seen: dict[tuple[str, str, str], str] = {}
    for directory in directories:
        validate = directory not in trusted
        for path, dir_lang in pack_files(directory):
            if lang is not None and dir_lang is not None and dir_lang != lang:
                continue
            for rule in load_file(path, dir_lang, validate_regex=validate):
                key = (rule.kind, rule.lang, rule.id)
                if key in seen:
                    raise PackError(f"duplicate id (first defined in {seen[key]})", path=str(path), rule_id=rule.id, field="id")
                seen[key] = str(path)
                rules.append(rule)
    return rules


def builtin_pack_dirs() -> list[Path]:
    data = builtin_data_dir()
    return [data / "phrases", data / "elements"] if (data / "elements").is_dir() else [data / "phrases"]


def entry_point_pack_dirs() -> list[Path]:
    """Third-party packs installed as packages (entry point group ``invoicetone.packs``)."""
    from importlib.metadata import entry_points

    dirs: list[Path] = []
    for entry in entry_points(group="invoicetone.packs"):
        try:
            target = entry.load()
        except Exception as exc:
            raise PackError(f"pack plugin {entry.name!r} failed to load: {exc}") from exc
        value = target() if callable(target) else target
        dirs.append(Path(str(value)))
    return dirs
