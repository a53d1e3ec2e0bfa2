"""E-mail: body not headers, quoted replies and signatures out of the draft, the quote as context."""

from __future__ import annotations

import base64

import pytest

from invoicetone.sources import SourceError, parse_units

HEADERS = "From: Support <s@example.com>\nTo: Jane <j@example.org>\nSubject: Re: Invoice 1042\nMIME-Version: 1.0\n"


def unit_of(text: str) -> tuple[str, str | None]:
    [unit] = parse_units(text, "email")
    return unit.document.text, unit.client_message


def test_plain_reply_with_english_quote_and_signature() -> None:
    text = HEADERS + (
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Hi Jane,\n\nWe fixed invoice 1042.\n\nKind regards,\nTom\n\n"
        "On Tue, 4 May 2026, Jane <j@example.org> wrote:\n> You billed me twice.\n>> older\n"
    )
    draft, client = unit_of(text)
    assert draft == "Hi Jane, We fixed invoice 1042."
    assert client == "You billed me twice.\nolder"


def test_slovak_attribution_and_closing() -> None:
    text = HEADERS + (
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        "Dobrý deň,\n\nfaktúru sme opravili.\n\nS pozdravom\nTomáš\n\n"
        "Dňa 3. 5. 2026 o 10:00 Jana Nováková <jana@example.sk>\nnapísal(a):\n> Účtovali ste mi dvakrát.\n"
    )
    draft, client = unit_of(text)
    assert draft == "Dobrý deň, faktúru sme opravili."
    assert client == "Účtovali ste mi dvakrát."


def test_outlook_original_message_block() -> None:
    text = HEADERS + (
        "Content-Type: text/plain\n\nHello,\nThe credit note is attached.\n\n"
        "-----Original Message-----\nFrom: Jane\nSent: Monday\nSubject: invoice\n\nWhy two charges?\n"
    )
    draft, client = unit_of(text)
    assert draft == "Hello, The credit note is attached."
    assert client is not None and client.endswith("Why two charges?") and "Original Message" not in client


def test_signature_delimiter_and_bottom_posting() -> None:
    text = HEADERS + "Content-Type: text/plain\n\n> Is this right?\nYes, it is correct.\n-- \nTom\nACME Ltd\n"
    assert unit_of(text) == ("Yes, it is correct.", "Is this right?")


def test_multipart_prefers_plain_and_skips_attachments() -> None:
    text = HEADERS + (
        'Content-Type: multipart/mixed; boundary="m"\n\n--m\n'
        'Content-Type: multipart/alternative; boundary="a"\n\n--a\n'
        "Content-Type: text/html\n\n<p>HTML version.</p>\n--a\n"
        "Content-Type: text/plain\n\nPlain version.\n--a--\n--m\n"
        'Content-Type: text/plain\nContent-Disposition: attachment; filename="x.txt"\n\nAttachment text.\n--m--\n'
    )
    [unit] = parse_units(text, "email")
    assert unit.document.text == "Plain version."
    assert text[unit.document.starts[0] : unit.document.ends[-1]] == "Plain version."


def test_html_only_body_excludes_blockquote_and_signature() -> None:
    text = HEADERS + (
        "Content-Type: text/html; charset=utf-8\n\n"
        "<p>Hi Jane,</p><p>We&rsquo;ve fixed it.</p><div class=\"gmail_signature\">Tom</div>"
        "<p>On Mon, Jane wrote:</p><blockquote><p>Billed twice!</p></blockquote>"
    )
    draft, client = unit_of(text)
    assert draft == "Hi Jane, We've fixed it."
    assert client is not None and "Billed twice!" in client


def test_quoted_printable_maps_each_character_to_its_escapes() -> None:
    text = HEADERS + (
        "Content-Type: text/plain; charset=iso-8859-2\nContent-Transfer-Encoding: quoted-printable\n\n"
        "Fakt=FAra je opraven=E1, =\nd=E1ky.\n"
    )
    [unit] = parse_units(text, "email")
    doc = unit.document
    assert doc.text == "Faktúra je opravená, dáky."
    for i, ch in enumerate(doc.text):
        source = text[doc.starts[i] : doc.ends[i]]
        assert source == ch or (source.startswith("=") and len(source) == 3), (ch, source)
    i = doc.text.index("ú")
    assert text[doc.starts[i] : doc.ends[i]] == "=FA"


def test_base64_utf8_body() -> None:
    body = base64.encodebytes("Dobrý deň, ďakujeme.\n".encode()).decode()
    text = HEADERS + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body
    [unit] = parse_units(text, "email")
    assert unit.document.text == "Dobrý deň, ďakujeme."
    body_start = text.index(body)
    assert all(body_start <= s < e <= body_start + len(body) for s, e in zip(unit.document.starts, unit.document.ends, strict=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Just some text without headers.\n", "no header block"),
        (HEADERS + "Content-Type: image/png\n\nxx\n", "no text/plain or text/html body part"),
        (HEADERS + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n@@not base64@@\n", "base64 body cannot be decoded"),
        (HEADERS + "Content-Type: text/plain; charset=klingon\nContent-Transfer-Encoding: quoted-printable\n\nx=41\n", "unknown charset 'klingon'"),
        (HEADERS + 'Content-Type: multipart/alternative; boundary="zz"\n\nno boundary ever\n', "broken MIME structure"),
    ],
)
def test_malformed_email(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_units(text, "email")


def test_a_thanks_line_inside_the_reply_is_not_a_closing() -> None:
    text = HEADERS + "Content-Type: text/plain\n\nHi Jane,\nThanks!\nWe fixed the invoice today.\n"
    assert unit_of(text) == ("Hi Jane, Thanks! We fixed the invoice today.", None)
    signed = HEADERS + "Content-Type: text/plain\n\nWe fixed it.\n\nThanks,\nTom Baker\nBilling, ACME\n"
    assert unit_of(signed) == ("We fixed it.", None)


def test_wrote_inside_an_html_sentence_is_not_an_attribution() -> None:
    text = HEADERS + "Content-Type: text/html\n\n<p>On Monday we wrote: the invoice is correct.</p><p>Sorry for the wait.</p>"
    assert unit_of(text) == ("On Monday we wrote: the invoice is correct. Sorry for the wait.", None)
