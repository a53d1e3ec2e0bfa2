"""Plain text: placeholders masked, line-end ``invoicetone: ignore`` markers left out."""

from __future__ import annotations

from .._document import Document, DocumentBuilder
from ._common import Mapped, emit, remap
from .suppressions import PLAIN_MARKER


def plain_mapped_document(mapped: Mapped, original: str, *, markers: bool = True) -> Document:
    """The Document of plain text given as a Mapped string whose placeholders are SENTINELs."""
    text = mapped.text
    builder = DocumentBuilder(text)
    pos = 0
    if markers and "invoicetone" in text.lower():
        for match in PLAIN_MARKER.finditer(text):
            if match.end() <= match.start():
                continue
            emit(builder, pos, match.start())
            pos = match.end()
    emit(builder, pos, len(text))
    return remap(builder.build(), mapped, original)
