"""E-mail (``.eml`` / raw MIME): the reply being written, without headers, quotes or signature.

Parsed with the standard library (``email.policy.default``). The body chosen is the first
``text/plain`` part that is not an attachment (``multipart/alternative``: plain text preferred),
else the first ``text/html`` part (HTML → text with the offset map). Each part's payload is located
in the file, so offsets stay file offsets:

* ``7bit`` / ``8bit`` / ``binary`` bodies map character for character;
* ``quoted-printable`` bodies map exactly too: a literal character maps to itself, a decoded
  character to its ``=XX`` escapes (soft line breaks are dropped), so a finding's file span is
  exact but its text shows the escapes (``That=E2=80=99s``);
* ``base64`` bodies cannot map per character: each decoded character maps to the 4-character
  base64 groups that encode it, so a finding points at the right place in the file but its text
  is base64.

In a plain-text body, quoted lines (``> …``), attribution lines ("On … wrote:",
"Dňa … napísal(a):"), everything after "-----Original Message-----" / "-----Pôvodná správa-----"
or an Outlook ``From:``/``Sent:`` header block, the signature after ``-- `` and a closing block
("Best regards," / "S pozdravom," … followed by at most three short lines) are left out of the draft. The quoted text
(without ``>`` markers) becomes the unit's client message. In an HTML body, ``<blockquote>`` and the
quote containers of common mail clients (``gmail_quote``, ``moz-cite-prefix``, Outlook's
``divRplyFwdMsg``) are the quote, signature containers (``gmail_signature``, ``moz-signature``)
are left out.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.errors
import email.policy
from email.message import Message

import regex

from .._style import CLOSING_LINE, CLOSING_TAIL, TAIL_LINE
from ._common import Lines, Mapped, MappedBuilder, SourceError

QUOTE_SEPARATOR = regex.compile(
    r"(?m)^[ \t]*(?:-{2,}[ \t]*(?:Original Message|Forwarded message|P[ôo]vodn[áa] spr[áa]va|Preposlan[áa] spr[áa]va)[ \t]*-{2,}"
    r"|On[ \t][^\n]{0,300}?(?:\n[^\n]{0,200}?){0,2}\bwrote:(?=[ \t\r]*$)"
    r"|D[ňn]a[ \t][^\n]{0,300}?(?:\n[^\n]{0,200}?){0,2}\bnap[íi]sal(?:\(a\)|a)?:(?=[ \t\r]*$))",
    regex.IGNORECASE,
)
_QUOTED_LINE = regex.compile(r"^[ \t]{0,3}>")
_ATTRIBUTION_START = regex.compile(r"^[ \t]*(?:On|D[ňn]a)\b", regex.IGNORECASE)
_ATTRIBUTION_END = regex.compile(r"\b(?:wrote|nap[íi]sal(?:\(a\)|a)?):[ \t\r]*$", regex.IGNORECASE)
_SEPARATOR = regex.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Original Message|Forwarded message|P[ôo]vodn[áa] spr[áa]va|Preposlan[áa] spr[áa]va)[ \t]*-{2,}|_{8,})[ \t\r]*$",
    regex.IGNORECASE,
)
_OUTLOOK_FROM = regex.compile(r"^[ \t]*(?:From|Od):[ \t]", regex.IGNORECASE)
_OUTLOOK_NEXT = regex.compile(r"^[ \t]*(?:Sent|Date|Odoslan[ée]|D[áa]tum|To|Komu|Subject|Predmet):", regex.IGNORECASE)
_SIGNATURE_DELIMITER = regex.compile(r"^--[ \t]?\r?$")
_HEADER_START = regex.compile(r"\A(?:From [^\n]*\n)?[!-9;-~]+:")


def _header_end(text: str, pos: int) -> int:
    """Start of the body of the MIME entity whose headers start at ``pos``."""
    match = regex.compile(r"\r?\n\r?\n|\A\r?\n").search(text, pos)
    if pos < len(text) and text[pos] in "\r\n":
        return pos + (2 if text.startswith("\r\n", pos) else 1)
    return match.end() if match else len(text)


def _locate(message: Message, text: str, cursor: int, found: list[tuple[Message, int, int]]) -> int:
    """Find each leaf part's payload in ``text``; return the cursor after ``message``."""
    body = _header_end(text, cursor)
    if message.is_multipart():
        boundary = message.get_boundary()
        pos = body
        for part in message.get_payload():
            if not isinstance(part, Message):
                continue
            if boundary:
                marker = text.find("--" + boundary, pos)
                if marker < 0:
                    break
                line_end = text.find("\n", marker)
                pos = len(text) if line_end < 0 else line_end + 1
            pos = _locate(part, text, pos, found)
        return pos
    payload = message.get_payload()
    if not isinstance(payload, str):
        return body
    start = text.find(payload, body) if payload else body
    if start < 0:
        return body
    found.append((message, start, start + len(payload)))
    return start + len(payload)


class _Decoder:
    """Bytes with source ranges in, characters with source ranges out."""

    def __init__(self, charset: str, line: int) -> None:
        try:
            self.decoder = codecs.getincrementaldecoder(charset)(errors="replace")
        except LookupError:
            raise SourceError(f"unknown charset {charset!r} in the body part", line=line, fmt="email") from None
        self.out = MappedBuilder()
        self.pending: int | None = None

    def byte(self, value: int, start: int, end: int) -> None:
        if self.pending is None:
            self.pending = start
        chars = self.decoder.decode(bytes([value]))
        if chars:
            for c in chars:
                self.out.add_char(c, self.pending, end)
            self.pending = None

    def char(self, ch: str, start: int) -> None:
        self.flush(start)
        self.out.add_char(ch, start, start + 1)

    def flush(self, at: int) -> None:
        chars = self.decoder.decode(b"", final=True)
        for c in chars:
            self.out.add_char(c, self.pending if self.pending is not None else at, at)
        self.pending = None
        self.decoder.reset()


def decode_quoted_printable(text: str, start: int, end: int, charset: str, line: int) -> Mapped:
    decoder = _Decoder(charset, line)
    i = start
    while i < end:
        ch = text[i]
        if ch == "=":
            if text.startswith("\r\n", i + 1):
                i += 3
                continue
            if text.startswith("\n", i + 1):
                i += 2
                continue
            pair = text[i + 1 : i + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                decoder.byte(int(pair, 16), i, i + 3)
                i += 3
                continue
        if ord(ch) < 128:
            decoder.byte(ord(ch), i, i + 1)
        else:
            decoder.char(ch, i)
        i += 1
    decoder.flush(end)
    return decoder.out.build()


def decode_base64(text: str, start: int, end: int, charset: str, line: int) -> Mapped:
    positions = [i for i in range(start, end) if not text[i].isspace()]
    encoded = "".join(text[i] for i in positions)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SourceError(f"the base64 body cannot be decoded ({exc})", line=line, fmt="email") from None
    decoder = _Decoder(charset, line)
    for k, value in enumerate(data):
        group = 4 * (k // 3)
        last = min(group + 3, len(positions) - 1)
        decoder.byte(value, positions[group], positions[last] + 1)
    decoder.flush(end)
    return decoder.out.build()


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl + 1
        spans.append((pos, end))
        pos = end
    return spans


def split_plain_reply(body: Mapped) -> tuple[Mapped, str | None]:
    """The draft (quotes, attributions and signature left out) and the quoted client message."""
    text = body.text
    spans = _line_spans(text)
    kinds = ["draft"] * len(spans)
    index = 0
    while index < len(spans):
        a, b = spans[index]
        line = text[a:b].rstrip("\r\n")
        if _SEPARATOR.match(line) or (
            _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(text[x:y]) for x, y in spans[index + 1 : index + 4])
        ):
            for rest in range(index, len(spans)):
                kinds[rest] = "after"
            kinds[index] = "attribution"
            break
        if _QUOTED_LINE.match(line):
            kinds[index] = "quote"
        elif _ATTRIBUTION_START.match(line):
            for extra in range(3):
                if index + extra >= len(spans):
                    break
                x, y = spans[index + extra]
                if _ATTRIBUTION_END.search(text[x:y].rstrip("\r\n")):
                    for k in range(index, index + extra + 1):
                        kinds[k] = "attribution"
                    index += extra
                    break
        index += 1
    # signature: "-- " up to the next quoted block
    for index, (a, b) in enumerate(spans):
        if kinds[index] == "draft" and _SIGNATURE_DELIMITER.match(text[a:b].rstrip("\n")):
            k = index
            while k < len(spans) and kinds[k] == "draft":
                kinds[k] = "signature"
                k += 1
    # closing block near the end of each draft run
    draft_lines = [i for i, k in enumerate(kinds) if k == "draft" and text[spans[i][0] : spans[i][1]].strip()]
    for position, i in enumerate(draft_lines):
        a, b = spans[i]
        tail = draft_lines[position + 1 :]
        if (
            len(tail) <= CLOSING_TAIL
            and CLOSING_LINE.match(text[a:b].rstrip("\n"))
            and all(TAIL_LINE.match(text[spans[t][0] : spans[t][1]].rstrip("\n")) for t in tail)
        ):
            k = i
            while k < len(spans) and kinds[k] in ("draft", "signature"):
                kinds[k] = "signature"
                k += 1
            break
    draft = MappedBuilder()
    quoted: list[str] = []
    for (a, b), kind in zip(spans, kinds, strict=True):
        if kind == "draft":
            draft.add(body, a, b)
        elif kind == "quote":
            quoted.append(regex.sub(r"^(?:[ \t]{0,3}>[ \t]?)+", "", text[a:b].rstrip("\r\n")))
        elif kind == "after":
            quoted.append(text[a:b].rstrip("\r\n"))
    client = "\n".join(quoted).strip()
    return draft.build(), client or None


def parse_email(text: str) -> tuple[Mapped, str]:
    """The chosen body part as a Mapped string (file offsets) and its subtype (plain | html)."""
    if not _HEADER_START.match(text):
        raise SourceError("no header block: an e-mail file starts with headers such as 'From:' and 'Subject:'", line=1, fmt="email")
    message = email.message_from_string(text, policy=email.policy.default)
    lines = Lines(text)
    for defect in message.defects:
        if isinstance(defect, (email.errors.StartBoundaryNotFoundDefect, email.errors.NoBoundaryInMultipartDefect, email.errors.MultipartInvariantViolationDefect)):
            raise SourceError(f"broken MIME structure: {type(defect).__name__.removesuffix('Defect')} ({defect})", fmt="email")
    found: list[tuple[Message, int, int]] = []
    _locate(message, text, 0, found)
    chosen: tuple[Message, int, int] | None = None
    for wanted in ("text/plain", "text/html"):
        for part, start, end in found:
            if part.get_content_type() == wanted and part.get_content_disposition() != "attachment":
                chosen = (part, start, end)
                break
        if chosen:
            break
    if chosen is None:
        types = ", ".join(sorted({p.get_content_type() for p, _, _ in found})) or "none"
        raise SourceError(f"no text/plain or text/html body part (parts: {types})", fmt="email")
    part, start, end = chosen
    line = lines.line(start)
    encoding = str(part.get("content-transfer-encoding", "7bit")).strip().lower()
    charset = part.get_content_charset() or "utf-8"
    if encoding == "quoted-printable":
        body = decode_quoted_printable(text, start, end, charset, line)
    elif encoding == "base64":
        body = decode_base64(text, start, end, charset, line)
    else:
        body = Mapped.identity(text[start:end], start)
    subtype = "html" if part.get_content_type() == "text/html" else "plain"
    return body, subtype
