"""Hostile PDF runs: LibreOffice killed half-way, hanging, or writing broken files; a letter that
quotes the cut marker; letters with page breaks; no letter and one letter. Each letter's PDF
holds its letter's pages only, and a run that fails leaves no PDF at all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from pypdf import PdfReader

from crmbook.letters import pdf, pdf_batch
from crmbook.letters.engine import LetterTemplate
from tests.letters.helpers import SHARED, TEMPLATES, recipient
from tests.office import SOFFICE, needs_office

#: A LibreOffice that converts its first document for real, writes the start of a PDF for the
#: rest, and is then killed (as by the user, the OOM killer or a crash).
KILLED = """#!{python}
import os, signal, subprocess, sys
args = sys.argv[1:]
docs = [a for a in args if a.endswith(".docx")]
head = [a for a in args if not a.endswith(".docx")]
outdir = args[args.index("--outdir") + 1]
subprocess.run([{real!r}, *head, docs[0]], check=True, capture_output=True)
for doc in docs[1:]:
    stem = os.path.splitext(os.path.basename(doc))[0]
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as half:
        half.write(b"%PDF-1.7\\n1 0 obj\\n<< /Type /Catalog /Pages 2 0 R >>\\nendobj\\n")
os.kill(os.getpid(), signal.SIGKILL)
"""

#: A LibreOffice that says it converted everything (exit 0) but wrote only half of each PDF.
BROKEN = """#!{python}
import os, sys
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
os.makedirs(outdir, exist_ok=True)
for doc in [a for a in args if a.endswith(".docx")]:
    stem = os.path.splitext(os.path.basename(doc))[0]
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as half:
        half.write(b"%PDF-1.7\\n1 0 obj\\n<< /Type /Catalog /Pages 2 0 R >>\\nendobj\\n")
"""


def fake_soffice(folder: Path, script: str) -> str:
    path = folder / "soffice"
    path.write_text(script.format(python=sys.executable, real=SOFFICE), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def letters(folder: Path, people: list[dict], template: Path | None = None) -> list[Path]:
    batch = LetterTemplate(template or TEMPLATES / "konferansetilbud.docx").batch(SHARED)
    files = []
    for i, person in enumerate(people):
        files.append(folder / f"{i + 1} {person['company']}.docx")
        batch.write(files[-1], person)
    batch.write_combined(folder / "alle brev.docx", people)
    return files


def text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def pdfs_and_hidden(folder: Path) -> list[str]:
    """The PDFs in ``folder`` and any hidden folder or file a run left there."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf" or p.name[0] == ".")


def running_under(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (a LibreOffice left running)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder) in (entry / "cmdline").read_text(
                errors="replace"
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def each_holds_only_its_own(made: list[Path], names: list[str]) -> None:
    for path, name in zip(made, names, strict=True):
        found = text(path)
        assert name in found, path.name
        others = [other for other in names if other != name and other in found]
        assert not others, (path.name, others)


@needs_office
def test_libreoffice_killed_half_way_leaves_a_message_and_no_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = letters(tmp_path, [recipient(f"Firma{i:02d} AS") for i in range(6)])
    out = tmp_path / "out"
    out.mkdir()
    stale = out / (files[0].stem + ".pdf")  # an earlier run's PDF must not pass for this one
    stale.write_bytes(b"%PDF old")
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, KILLED))
    monkeypatch.setattr(pdf_batch, "CHUNK", 2)  # several documents per LibreOffice
    with pytest.raises(pdf.PdfError, match=r"stoppet av signal 9.*ingen PDF er laget"):
        pdf.to_pdf(files, out, "nb", combined=tmp_path / "alle brev.docx")
    assert pdfs_and_hidden(out) == []


@needs_office
def test_libreoffice_that_hangs_is_stopped_with_all_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = letters(tmp_path, [recipient(f"Firma{i} AS") for i in range(3)])
    out, work = tmp_path / "out", tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # LibreOffice's files and profiles
    monkeypatch.setattr(pdf, "TIMEOUT", (0.3, 0.0))  # far less than LibreOffice needs to start
    with pytest.raises(pdf.PdfError, match=r"did not finish .* in 0 s and was stopped"):
        pdf.to_pdf(files, out, combined=tmp_path / "alle brev.docx")
    assert pdfs_and_hidden(out) == []
    assert running_under(work) == []
    assert list(work.iterdir()) == []


def test_pdfs_that_libreoffice_only_half_wrote_are_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = letters(tmp_path, [recipient(f"Firma{i} AS") for i in range(4)])
    out = tmp_path / "out"
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, BROKEN))
    with pytest.raises(pdf.PdfError, match="did not make 4 PDF file"):
        pdf.to_pdf(files, out, combined=tmp_path / "alle brev.docx")
    assert pdfs_and_hidden(out) == []


@needs_office
def test_letters_that_quote_the_cut_marker_are_cut_where_they_start(tmp_path: Path) -> None:
    names = [f"{pdf_batch.MARK}{i} Firma{i} AS" for i in range(5)]
    names[2] = f"Firma2 {pdf_batch.MARK} {pdf_batch.MARK}1 AS"
    files = letters(tmp_path, [recipient(n) for n in names])
    made = pdf.to_pdf(files, tmp_path / "out", combined=tmp_path / "alle brev.docx")
    each_holds_only_its_own(made[:-1], [f"Firma{i}" for i in range(5)])
    assert [len(PdfReader(p).pages) for p in made] == [1] * 5 + [5]


def _page_break_template(folder: Path) -> Path:
    """A letter of two pages: a page break in the template, the name on both pages."""
    doc = docx.Document()
    doc.add_paragraph("Til {{ company }}")
    doc.add_paragraph("Side 1").add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Vedlegg for {{ company }}")
    path = folder / "to sider.docx"
    doc.save(str(path))
    return path


@needs_office
def test_letters_with_a_page_break_keep_both_their_pages(tmp_path: Path) -> None:
    names = [f"Kunde{i:02d} AS" for i in range(7)]
    files = letters(tmp_path, [recipient(n) for n in names], _page_break_template(tmp_path))
    made = pdf.to_pdf(files, tmp_path / "out", combined=tmp_path / "alle brev.docx")
    each_holds_only_its_own(made[:-1], names)
    for path, name in zip(made[:-1], names, strict=True):
        pages = PdfReader(path).pages
        assert len(pages) == 2, path.name
        assert f"Vedlegg for {name}" in pages[1].extract_text(), path.name
    combined = [page.extract_text() for page in PdfReader(made[-1]).pages]
    assert len(combined) == 14
    assert [name for name in names for page in combined[::2] if name in page] == names


def test_no_letter_starts_no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = tmp_path / "ran"
    script = f"#!/bin/sh\ntouch {ran}\n"
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, script))
    assert pdf.to_pdf([], tmp_path / "out") == []
    assert not ran.exists()


@needs_office
def test_one_letter_makes_its_pdf_and_the_combined_one(tmp_path: Path) -> None:
    files = letters(tmp_path, [recipient("Eneste Kunde AS")])
    made = pdf.to_pdf(files, tmp_path / "out", combined=tmp_path / "alle brev.docx")
    assert [p.name for p in made] == ["1 Eneste Kunde AS.pdf", "alle brev.pdf"]
    assert [text(p) for p in made] == [text(made[0])] * 2
    assert "Eneste Kunde AS" in text(made[0])
    assert sorted(os.listdir(tmp_path / "out")) == sorted(p.name for p in made)


@needs_office
def test_a_letter_cut_from_a_joined_document_looks_as_the_letter_alone(tmp_path: Path) -> None:
    """The shipped letterhead's second letter, cut from the joined document, is the same
    picture as that letter converted on its own (page break, not layout, between letters)."""
    files = letters(tmp_path, [recipient(f"Firma{i} AS", employees=10 + i) for i in range(3)])
    joined = pdf.to_pdf(files, tmp_path / "joined")[1]
    alone = pdf.to_pdf(files[1:2], tmp_path / "alone")[0]
    pictures = []
    for made in (joined, alone):
        stem = tmp_path / made.parent.name
        subprocess.run(["pdftoppm", "-r", "50", "-gray", str(made), str(stem)], check=True)
        pictures.append(sorted(tmp_path.glob(f"{made.parent.name}*.pgm")))
    assert len(pictures[0]) == 1
    assert [p.read_bytes() for p in pictures[0]] == [p.read_bytes() for p in pictures[1]]
