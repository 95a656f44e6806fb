"""The letters' PDFs and the combined print file's PDF, cut from the PDFs LibreOffice made.

Each converted document is read once: its pages go to their letter's own PDF and, in the
letters' order, to the combined PDF (so the print file is not laid out a second time, and a
chunk's fonts are stored once in it). Each file is written whole to memory first and then in
one write, into a folder the caller moves into place only when every file is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from crmbook.letters.pdf_batch import Piece


def write(pieces: Sequence[Piece], folder: Path, combined: str | None = None) -> list[Path]:
    """One PDF per piece in ``folder``, named as its letter, then ``combined`` (a file name)
    holding every piece's pages in order; the paths written, in that order."""
    readers: dict[Path, PdfReader] = {}
    joined = PdfWriter() if combined else None
    made = []
    for piece in pieces:
        reader = readers.get(piece.pdf) or readers.setdefault(piece.pdf, PdfReader(piece.pdf))
        writer = PdfWriter()
        for page in piece.pages:
            writer.add_page(reader.pages[page])
            if joined is not None:
                joined.add_page(reader.pages[page])
        made.append(_save(writer, folder / (piece.letter.stem + ".pdf")))
    if joined is not None and combined:
        made.append(_save(joined, folder / combined))
    return made


def _save(writer: PdfWriter, path: Path) -> Path:
    """Write the PDF in one call (pypdf writes an unbuffered file in thousands of pieces)."""
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path
