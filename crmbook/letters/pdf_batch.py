"""Letters laid out by LibreOffice a few dozen at a time, then cut into one PDF per letter.

LibreOffice spends most of a letter's conversion on opening a document and exporting a PDF, but
its layout grows faster than a document's length (LibreOffice's CPU per letter on 2 busy
cores, a section per letter: one file a letter ~55 ms, 10 letters a document ~28 ms, 50 ~22 ms,
200 ~30 ms, all 2,000 in one document ~170 ms, so converting the combined print file once is
the slowest way; on plain page breaks in one section: 25 to 100 letters ~12 ms, 500 ~20 ms).
So letters made from one template are joined up to ``CHUNK`` at a time into a document of their
own bodies (on page breaks, or each letter its own section where the template numbers its
pages, so numbers start at 1), with a bookmark in the first paragraph of each letter but the
first; LibreOffice exports the bookmarks as named destinations,
which give the page where each letter starts (``Piece``). A bookmark is a name, not text, so a
letter that quotes the name cannot move a cut. (A bookmark at a letter's end sits in the
paragraph holding its section break, which LibreOffice may place on the next letter's first
page.) A document whose destinations do not add up is not cut: its letters are converted one by
one instead.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from crmbook.letters.engine import _BREAK, _restarting

#: Letters per document LibreOffice lays out at most (measured fastest near 50).
CHUNK = 50
MAIN = "word/document.xml"
#: Named destinations LibreOffice makes of the bookmarks (letters only: it escapes "_").
MARK = "crmbookletterstart"
#: A paragraph's opening tag (not <w:pPr>, not an empty <w:p/>).
_PARAGRAPH = re.compile(r"<w:p(?:\s[^>]*)?>")
#: Parts whose fields are looked at, and the field names in their instructions.
_FIELDS_IN = re.compile(r"word/(?:document|header\d*|footer\d*|settings)\.xml$")
_INSTRUCTION = re.compile(rb'w:instr="([^"]*)"|<w:instrText(?:\s[^>]*)?>([^<]*)<')
_FIELD = re.compile(rb"\b(PAGE|NUMPAGES|SECTIONPAGES|PAGEREF|SECTION)\b")
_PAGE_BREAK = "<w:pageBreakBefore/>"
_OLD_BREAK = re.compile(r"<w:pageBreakBefore\b[^>]*/>")
_STYLE = re.compile(r"<w:pStyle\b[^>]*/>")
#: LibreOffice's PDF export with bookmarks as named destinations (JSON options: LO 7.4+).
FILTER = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


@dataclass(frozen=True)
class Chunk:
    """A document joining ``letters``, written at ``path`` for LibreOffice to convert."""

    path: Path
    letters: tuple[Path, ...]


@dataclass(frozen=True)
class Piece:
    """The pages ``pages`` (0-based) of the converted ``pdf`` are the letter ``letter``."""

    letter: Path
    pdf: Path
    pages: range


def plan(files: Sequence[Path], workdir: Path, parts: int = 1) -> tuple[list[Chunk], list[Path]]:
    """Join letters of one template and one section into chunks in ``workdir``, at least
    ``parts`` chunks of a group when it has the letters for them (one per LibreOffice); the
    files that cannot be joined are returned to be converted one by one."""
    groups: dict[tuple, list[Path]] = {}
    singles: list[Path] = []
    for file in files:
        key = _package_key(file)
        (singles if key is None else groups.setdefault(key, [])).append(file)
    chunks = []
    for letters in groups.values():
        plain = _joining(letters[0])
        if plain is None:
            singles.extend(letters)
            continue
        size = min(CHUNK, math.ceil(len(letters) / max(1, parts)))
        for start in range(0, len(letters), size):
            part = tuple(letters[start : start + size])
            if len(part) == 1:
                singles.extend(part)
                continue
            path = workdir / f"chunk-{len(chunks)}.docx"
            _write_chunk(part, path, plain)
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


def _joining(file: Path) -> bool | None:
    """How letters of this template can share a document: True on plain page breaks in one
    section (LibreOffice reads that about 40 % faster than a section per letter), False each
    in its own section (page numbers restart), None not at all (a page count or a page
    reference would count the other letters' pages too)."""
    with zipfile.ZipFile(file) as archive:
        parts = {n: archive.read(n) for n in archive.namelist() if _FIELDS_IN.match(n)}
    found = [m.group(1) or m.group(2) for xml in parts.values() for m in _INSTRUCTION.finditer(xml)]
    fields = set(_FIELD.findall(b" ".join(found).upper()))
    if fields - {b"PAGE"}:
        return None
    numbered = b"PAGE" in b"".join(found).upper()  # also an instruction split over runs
    settings = parts.get("word/settings.xml", b"")
    starts_anew = b"<w:titlePg" in parts.get(MAIN, b"") or b"<w:evenAndOddHeaders" in settings
    return not numbered and not starts_anew


def _write_chunk(letters: Sequence[Path], path: Path, plain: bool) -> None:
    """One document of the letters' bodies, each but the first marked and starting a page
    (``plain``) or a section of its own."""
    bodies = []
    for file in letters:
        with zipfile.ZipFile(file) as archive:
            bodies.append(_split_body(archive.read(MAIN).decode("utf-8")))
    prefix, _, sect, suffix = bodies[0]
    restart = sect if plain else _restarting(sect)
    joined = []
    for i, (_, body, _, _) in enumerate(bodies):
        if i > 0:
            body = _marked(_new_page(body) if plain else body, i)
        if i < len(bodies) - 1 and not plain:
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


def _new_page(body: str) -> str:
    """The body with its first paragraph starting a new page (in a table, the table does)."""
    found = _PARAGRAPH.search(body)
    if found is None:
        return body
    at = found.end()
    if body.startswith("<w:pPr/>", at):
        return f"{body[:at]}<w:pPr>{_PAGE_BREAK}</w:pPr>{body[at + len('<w:pPr/>') :]}"
    if not body.startswith("<w:pPr>", at):
        return f"{body[:at]}<w:pPr>{_PAGE_BREAK}</w:pPr>{body[at:]}"
    end = body.index("</w:pPr>", at)
    props = _OLD_BREAK.sub("", body[at:end])
    style = _STYLE.match(props, len("<w:pPr>"))
    cut = style.end() if style else len("<w:pPr>")
    return body[:at] + props[:cut] + _PAGE_BREAK + props[cut:] + body[end:]


def _split_body(xml: str) -> tuple[str, str, str, str]:
    """(up to and with <w:body>, the body, its section properties, from </w:body> on)."""
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.rindex("</w:body>")
    sect = xml.rindex("<w:sectPr", start, end)
    return xml[:start], xml[start:sect], xml[sect:end], xml[end:]


def pieces(chunk: Chunk, pdf: Path) -> list[Piece] | None:
    """Each letter's pages in the converted chunk; None when the PDF cannot be read or its
    destinations do not give one page range per letter."""
    try:
        reader = PdfReader(pdf)
        ends = _letter_ends(reader, len(chunk.letters))
    except (OSError, PyPdfError, ValueError, KeyError):
        return None
    if ends is None:
        return None
    starts = [0, *(end + 1 for end in ends[:-1])]
    return [
        Piece(letter, pdf, range(first, last + 1))
        for letter, first, last in zip(chunk.letters, starts, ends, strict=True)
    ]


def whole(letter: Path, pdf: Path) -> Piece | None:
    """The letter converted on its own: every page of ``pdf``; None if it is not a PDF with
    pages."""
    try:
        count = len(PdfReader(pdf).pages)
    except (OSError, PyPdfError, ValueError, KeyError):
        return None
    return Piece(letter, pdf, range(count)) if count else None


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
