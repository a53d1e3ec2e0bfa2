"""Load and validate the quality corpus (``tests/corpus/<lang>/clients.jsonl`` and ``replies.jsonl``).

The format is described in ``tests/corpus/README.md``. Offending phrases are marked inline in a
reply's text as ``[[category|the exact phrase]]``; :func:`parse_marks` strips the marks and returns
the clean text with exact character spans. Every mistake in a corpus file raises
:class:`CorpusError` naming the file, the line and what to fix.

This module has no dependency on invoicetone, so the corpus can be validated on its own::

    python tests/corpus/loader.py            # validates every language directory, prints counts
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).resolve().parent

CATEGORIES: tuple[str, ...] = (
    "denial",
    "blame",
    "policy",
    "condescension",
    "passive_aggression",
    "threat",
    "absolute",
    "sarcasm",
    "minimising",
    "emotional",
    "insult",
    "shouting",
)
DISPUTE_TYPES: tuple[str, ...] = (
    "amount",
    "hours",
    "scope",
    "due_date",
    "late_fee",
    "duplicate",
    "wrong_rate",
    "tax",
    "already_paid",
    "cancelled",
    "missing_po",
    "discount",
)
ELEMENTS: tuple[str, ...] = (
    "acknowledgement",
    "contract_reference",
    "solution",
    "next_steps",
    "paraphrase",
    "evidence",
    "invitation",
    "summary",
)
QUALITIES: tuple[str, ...] = ("good", "bad", "mixed")

MARK_OPEN = "[["
MARK_CLOSE = "]]"
MARK_SEPARATOR = "|"

_CLIENT_FIELDS = frozenset({"id", "text", "dispute_types", "heated"})
_REPLY_FIELDS = frozenset({"id", "client", "quality", "text", "elements"})


class CorpusError(ValueError):
    """A mistake in a corpus file; the message names the file, the line and what to fix."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + message)


@dataclass(frozen=True)
class Mark:
    """One labelled offending phrase: ``text[start:end] == phrase`` in the clean reply text."""

    start: int
    end: int
    category: str
    phrase: str


@dataclass(frozen=True)
class ClientMessage:
    id: str
    lang: str
    text: str
    dispute_types: tuple[str, ...]
    heated: bool
    line: int = 0


@dataclass(frozen=True)
class Reply:
    id: str
    lang: str
    client: str | None
    quality: str
    text: str
    marks: tuple[Mark, ...]
    elements: Mapping[str, bool]
    marked_text: str = ""
    line: int = 0

    @property
    def clean(self) -> bool:
        """A clean reply carries no offending-phrase label."""
        return not self.marks


@dataclass(frozen=True)
class Corpus:
    """Client messages and replies of one or more languages."""

    clients: dict[str, ClientMessage] = field(default_factory=dict)
    replies: tuple[Reply, ...] = ()

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(sorted({r.lang for r in self.replies} | {c.lang for c in self.clients.values()}))

    def for_lang(self, lang: str) -> Corpus:
        return Corpus(
            clients={k: c for k, c in self.clients.items() if c.lang == lang},
            replies=tuple(r for r in self.replies if r.lang == lang),
        )


# ------------------------------------------------------------------------------------ marks


def parse_marks(marked: str) -> tuple[str, tuple[Mark, ...]]:
    """Strip ``[[category|phrase]]`` marks; return the clean text and the marks' exact spans.

    Raises :class:`ValueError` (position and fix in the message) for an unclosed or stray mark,
    a nested mark, a missing ``|``, an unknown category, or an empty or space-padded phrase.
    """
    out: list[str] = []
    marks: list[Mark] = []
    length = 0  # length of the clean text built so far
    pos = 0
    while True:
        open_at = marked.find(MARK_OPEN, pos)
        close_at = marked.find(MARK_CLOSE, pos)
        if close_at != -1 and (open_at == -1 or close_at < open_at):
            raise ValueError(f"stray '{MARK_CLOSE}' at character {close_at} with no '{MARK_OPEN}' before it")
        if open_at == -1:
            out.append(marked[pos:])
            break
        out.append(marked[pos:open_at])
        length += open_at - pos
        body_start = open_at + len(MARK_OPEN)
        body_end = marked.find(MARK_CLOSE, body_start)
        if body_end == -1:
            raise ValueError(
                f"unbalanced mark: '{MARK_OPEN}' at character {open_at} is never closed with '{MARK_CLOSE}'"
            )
        body = marked[body_start:body_end]
        if MARK_OPEN in body:
            raise ValueError(f"nested mark inside the mark opened at character {open_at}; marks cannot nest")
        category, separator, phrase = body.partition(MARK_SEPARATOR)
        if not separator:
            raise ValueError(f"mark at character {open_at} has no category: write [[category|phrase]], got [[{body}]]")
        if category not in CATEGORIES:
            raise ValueError(
                f"unknown category {category!r} in the mark at character {open_at}; use one of {list(CATEGORIES)}"
            )
        if not phrase.strip():
            raise ValueError(f"empty phrase in the mark at character {open_at}")
        if phrase != phrase.strip():
            raise ValueError(
                f"the phrase in the mark at character {open_at} starts or ends with whitespace; mark only the words"
            )
        marks.append(Mark(length, length + len(phrase), category, phrase))
        out.append(phrase)
        length += len(phrase)
        pos = body_end + len(MARK_CLOSE)
    text = "".join(out)
    for mark in marks:
        # the invariant every consumer relies on
        assert text[mark.start : mark.end] == mark.phrase, mark
    return text, tuple(marks)


# ------------------------------------------------------------------------------------ records


def _require(condition: bool, message: str, path: str | Path, line: int) -> None:
    if not condition:
        raise CorpusError(message, path=path, line=line)


def _check_fields(record: Mapping[str, Any], allowed: frozenset[str], path: str | Path, line: int) -> None:
    missing = sorted(allowed - record.keys())
    unknown = sorted(record.keys() - allowed)
    _require(not missing, f"missing field(s) {missing}; each line needs {sorted(allowed)}", path, line)
    _require(not unknown, f"unknown field(s) {unknown}; allowed: {sorted(allowed)}", path, line)


def parse_client(record: Any, *, lang: str, path: str | Path = "<clients>", line: int = 0) -> ClientMessage:
    _require(isinstance(record, dict), "each line must be a JSON object", path, line)
    _check_fields(record, _CLIENT_FIELDS, path, line)
    ident = record["id"]
    _require(
        isinstance(ident, str) and ident.startswith(f"{lang}-c"),
        f"client id must be a string starting with '{lang}-c', got {ident!r}",
        path,
        line,
    )
    text = record["text"]
    _require(isinstance(text, str) and bool(text.strip()), f"{ident}: 'text' must be a non-empty string", path, line)
    types = record["dispute_types"]
    _require(
        isinstance(types, list) and bool(types) and all(isinstance(t, str) for t in types),
        f"{ident}: 'dispute_types' must be a non-empty list of strings",
        path,
        line,
    )
    unknown = [t for t in types if t not in DISPUTE_TYPES]
    _require(not unknown, f"{ident}: unknown dispute type(s) {unknown}; use {list(DISPUTE_TYPES)}", path, line)
    _require(len(set(types)) == len(types), f"{ident}: a dispute type is listed twice", path, line)
    _require(isinstance(record["heated"], bool), f"{ident}: 'heated' must be true or false", path, line)
    return ClientMessage(ident, lang, text, tuple(types), record["heated"], line)


def parse_reply(record: Any, *, lang: str, path: str | Path = "<replies>", line: int = 0) -> Reply:
    _require(isinstance(record, dict), "each line must be a JSON object", path, line)
    _check_fields(record, _REPLY_FIELDS, path, line)
    ident = record["id"]
    _require(
        isinstance(ident, str) and ident.startswith(f"{lang}-r"),
        f"reply id must be a string starting with '{lang}-r', got {ident!r}",
        path,
        line,
    )
    client = record["client"]
    _require(client is None or isinstance(client, str), f"{ident}: 'client' must be a client id or null", path, line)
    quality = record["quality"]
    _require(quality in QUALITIES, f"{ident}: 'quality' must be one of {list(QUALITIES)}, got {quality!r}", path, line)
    marked = record["text"]
    _require(
        isinstance(marked, str) and bool(marked.strip()), f"{ident}: 'text' must be a non-empty string", path, line
    )
    try:
        text, marks = parse_marks(marked)
    except ValueError as exc:
        raise CorpusError(f"{ident}: {exc}", path=path, line=line) from None
    if quality == "good":
        _require(
            not marks,
            f"{ident}: a 'good' reply has no offending phrase; use 'mixed' or 'bad', or remove the mark",
            path,
            line,
        )
    else:
        _require(bool(marks), f"{ident}: a '{quality}' reply needs at least one [[category|phrase]] mark", path, line)
    elements = record["elements"]
    _require(isinstance(elements, dict), f"{ident}: 'elements' must be an object", path, line)
    missing = [e for e in ELEMENTS if e not in elements]
    unknown = [e for e in elements if e not in ELEMENTS]
    _require(not unknown, f"{ident}: unknown element(s) {unknown}; use {list(ELEMENTS)}", path, line)
    _require(not missing, f"{ident}: element label(s) missing: {missing}; label all of {list(ELEMENTS)}", path, line)
    bad_values = [e for e, v in elements.items() if not isinstance(v, bool)]
    _require(not bad_values, f"{ident}: element label(s) {bad_values} must be true or false", path, line)
    return Reply(ident, lang, client, quality, text, marks, dict(elements), marked, line)


def _json_lines(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=number) from None


def load_clients(path: Path, lang: str) -> dict[str, ClientMessage]:
    clients: dict[str, ClientMessage] = {}
    for number, record in _json_lines(path):
        client = parse_client(record, lang=lang, path=path, line=number)
        first = clients.get(client.id)
        _require(
            first is None,
            f"duplicate client id {client.id!r} (first on line {first.line if first else 0})",
            path,
            number,
        )
        clients[client.id] = client
    return clients


def load_replies(path: Path, lang: str, clients: Mapping[str, ClientMessage]) -> tuple[Reply, ...]:
    replies: list[Reply] = []
    seen: dict[str, int] = {}
    for number, record in _json_lines(path):
        reply = parse_reply(record, lang=lang, path=path, line=number)
        _require(
            reply.id not in seen, f"duplicate reply id {reply.id!r} (first on line {seen.get(reply.id)})", path, number
        )
        seen[reply.id] = number
        _require(
            reply.client is None or reply.client in clients,
            f"{reply.id}: client {reply.client!r} is not in {path.parent / 'clients.jsonl'}",
            path,
            number,
        )
        replies.append(reply)
    return tuple(replies)


def available_languages(root: Path = CORPUS_DIR) -> list[str]:
    """Language directories under ``root`` that hold a ``replies.jsonl``."""
    return sorted(p.parent.name for p in root.glob("*/replies.jsonl"))


def load_language(lang: str, root: Path = CORPUS_DIR) -> Corpus:
    directory = root / lang
    replies_path = directory / "replies.jsonl"
    if not replies_path.is_file():
        raise CorpusError(f"no corpus for language {lang!r}: {replies_path} does not exist")
    clients_path = directory / "clients.jsonl"
    clients = load_clients(clients_path, lang) if clients_path.is_file() else {}
    return Corpus(clients=clients, replies=load_replies(replies_path, lang, clients))


def load_corpus(langs: Sequence[str] | None = None, root: Path = CORPUS_DIR) -> Corpus:
    """Load ``langs`` (default: every language directory present) into one :class:`Corpus`."""
    wanted = list(langs) if langs is not None else available_languages(root)
    clients: dict[str, ClientMessage] = {}
    replies: list[Reply] = []
    for lang in wanted:
        part = load_language(lang, root)
        clients.update(part.clients)
        replies.extend(part.replies)
    return Corpus(clients=clients, replies=tuple(replies))


# ------------------------------------------------------------------------------------ statistics


def good_bad_pairs(corpus: Corpus) -> list[tuple[Reply, Reply]]:
    """Every (good, bad) pair of replies to the same client."""
    by_client: dict[str, list[Reply]] = {}
    for reply in corpus.replies:
        if reply.client is not None:
            by_client.setdefault(reply.client, []).append(reply)
    pairs: list[tuple[Reply, Reply]] = []
    for replies in by_client.values():
        goods = [r for r in replies if r.quality == "good"]
        bads = [r for r in replies if r.quality == "bad"]
        pairs.extend((g, b) for g in goods for b in bads)
    return pairs


def corpus_stats(corpus: Corpus) -> dict[str, Any]:
    """Counts that say whether the corpus is big and varied enough (see the README's targets)."""
    replies = corpus.replies
    clean = sum(1 for r in replies if r.clean)
    paired_clients = {g.client for g, _ in good_bad_pairs(corpus)}
    per_type = {t: sum(1 for c in corpus.clients.values() if t in c.dispute_types) for t in DISPUTE_TYPES}
    per_category = {c: sum(1 for r in replies for m in r.marks if m.category == c) for c in CATEGORIES}
    per_element = {e: sum(1 for r in replies if r.elements[e]) for e in ELEMENTS}
    return {
        "clients": len(corpus.clients),
        "heated_clients": sum(1 for c in corpus.clients.values() if c.heated),
        "replies": len(replies),
        "quality": {q: sum(1 for r in replies if r.quality == q) for q in QUALITIES},
        "clean": clean,
        "clean_share": clean / len(replies) if replies else 0.0,
        "labels": sum(len(r.marks) for r in replies),
        "good_bad_pairs": len(good_bad_pairs(corpus)),
        "clients_with_good_and_bad": len(paired_clients),
        "clients_per_dispute_type": per_type,
        "labels_per_category": per_category,
        "replies_with_element": per_element,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        corpus = load_corpus(args or None)
    except CorpusError as exc:
        print(f"corpus error: {exc}", file=sys.stderr)
        return 1
    for lang in corpus.langs:
        print(f"[{lang}] " + json.dumps(corpus_stats(corpus.for_lang(lang)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
