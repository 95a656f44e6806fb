"""Letters laid out by LibreOffice a few at a time, then split into one PDF per letter.

LibreOffice spends most of a letter's conversion on opening a document and exporting a PDF
(about 150 ms a letter one file at a time on 2 busy cores, against about 60 ms when ten letters
go through as one document; one document of 2,000 letters is slower again, since its layout
grows faster than its length). So letters made from one template are joined ten at a time into
a document of their own bodies (each letter its own section, page numbers from 1), with a
bookmark in the first paragraph of each letter but the first; LibreOffice exports the bookmarks
as named destinations, which give the page where each letter starts. (A bookmark at a letter's
end sits in the paragraph holding its section break, which LibreOffice may place on the next
letter's first page.) A document whose destinations do not add up is not split: its letters are
converted one by one instead.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from crmbook.letters.engine import _BREAK, _restarting

#: Letters per document LibreOffice lays out (measured: 10 is as fast as 50 and fails small).
CHUNK = 10
MAIN = "word/document.xml"
#: Named destinations LibreOffice makes of the bookmarks (letters only: it escapes "_").
MARK = "crmbookletterstart"
#: A paragraph's opening tag (not <w:pPr>, not an empty <w:p/>).
_PARAGRAPH = re.compile(r"<w:p(?:\s[^>]*)?>")
#: LibreOffice's PDF export with bookmarks as named destinations (JSON options: LO 7.4+).
FILTER = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


@dataclass(frozen=True)
class Chunk:
    """A document joining ``letters``, written at ``path`` for LibreOffice to convert."""

    path: Path
    letters: tuple[Path, ...]


def plan(files: Sequence[Path], workdir: Path) -> tuple[list[Chunk], list[Path]]:
    """Join letters of one template and one section into chunks in ``workdir``; the files
    that cannot be joined are returned to be converted one by one."""
    groups: dict[tuple, list[Path]] = {}
    singles: list[Path] = []
    for file in files:
        key = _package_key(file)
        (singles if key is None else groups.setdefault(key, [])).append(file)
    chunks = []
    for letters in groups.values():
        for start in range(0, len(letters), CHUNK):
            part = tuple(letters[start : start + CHUNK])
            if len(part) == 1:
                singles.extend(part)
                continue
            path = workdir / f"chunk-{len(chunks)}.docx"
            _write_chunk(part, path)
            chunks.append(Chunk(path, part))
    return chunks, singles


def _package_key(file: Path) -> tuple | None:
    """What must be equal for two letters to share one document: every part but the body
    (same template, same pictures, same headers). None for a letter of several sections."""
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if archive.read(MAIN).count(b"<w:sectPr") != 1:
                return None
    except (OSError, KeyError, zipfile.BadZipFile):
        return None  # LibreOffice gets it as it is, and says what is wrong
    return tuple(sorted((i.filename, i.CRC, i.file_size) for i in infos if i.filename != MAIN))


def _write_chunk(letters: Sequence[Path], path: Path) -> None:
    """One document of the letters' bodies, each its own section, each but the first marked."""
    bodies = []
    for file in letters:
        with zipfile.ZipFile(file) as archive:
            bodies.append(_split_body(archive.read(MAIN).decode("utf-8")))
    prefix, _, sect, suffix = bodies[0]
    restart = _restarting(sect)
    joined = []
    for i, (_, body, _, _) in enumerate(bodies):
        if i > 0:
            body = _marked(body, i)
        if i < len(bodies) - 1:
            body += _BREAK.format(restart)
        joined.append(body)
    xml = prefix + "".join(joined) + restart + suffix
    with zipfile.ZipFile(letters[0]) as donor, zipfile.ZipFile(path, "w") as out:
        for info in donor.infolist():
            data = xml.encode("utf-8") if info.filename == MAIN else donor.read(info)
            out.writestr(info, data, zipfile.ZIP_DEFLATED, 1)


def _marked(body: str, i: int) -> str:
    """The body with bookmark ``i`` in its first paragraph (a letter with no paragraph gets
    none, and its chunk is then converted letter by letter)."""
    found = _PARAGRAPH.search(body)
    if found is None:
        return body
    at = found.end()
    if body.startswith("<w:pPr/>", at):
        at += len("<w:pPr/>")
    elif body.startswith("<w:pPr", at):
        at = body.index("</w:pPr>", at) + len("</w:pPr>")
    mark = f'<w:bookmarkStart w:id="{900_000 + i}" w:name="{MARK}{i}"/>'
    return body[:at] + mark + f'<w:bookmarkEnd w:id="{900_000 + i}"/>' + body[at:]


def _split_body(xml: str) -> tuple[str, str, str, str]:
    """(up to and with <w:body>, the body, its section properties, from </w:body> on)."""
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.rindex("</w:body>")
    sect = xml.rindex("<w:sectPr", start, end)
    return xml[:start], xml[start:sect], xml[sect:end], xml[end:]


def split(chunk: Chunk, pdf: Path, outdir: Path) -> list[Path] | None:
    """One PDF per letter of the converted chunk, named as the letter; None when the chunk's
    destinations do not give one page range per letter."""
    reader = PdfReader(pdf)
    ends = _letter_ends(reader, len(chunk.letters))
    if ends is None:
        return None
    made, first = [], 0
    for letter, last in zip(chunk.letters, ends, strict=True):
        writer = PdfWriter()
        for page in range(first, last + 1):
            writer.add_page(reader.pages[page])
        target = outdir / (letter.stem + ".pdf")
        writer.write(target)
        made.append(target)
        first = last + 1
    return made


def _letter_ends(reader: PdfReader, letters: int) -> list[int] | None:
    """The last page (0-based) of each letter, or None if they cannot be trusted."""
    pages = len(reader.pages)
    found = {}
    for name, dest in reader.named_destinations.items():
        if name.lstrip("/").startswith(MARK):
            found[name.lstrip("/")] = reader.get_destination_page_number(dest)
    starts = [0] + [found.get(f"{MARK}{i}", -1) for i in range(1, letters)] + [pages]
    if len(found) != letters - 1 or any(b <= a for a, b in pairwise(starts)):
        return None
    return [start - 1 for start in starts[1:]]


def concatenate(pdfs: Sequence[Path], out: Path) -> Path:
    """The letters' PDFs one after the other: the combined print file as PDF."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(pdf)
    writer.write(out)
    return out
