"""Letters to PDF through LibreOffice, headless: letters joined a few at a time, converted by
one LibreOffice per core, and split again per letter (crmbook.letters.pdf_batch).

Starting LibreOffice costs most of a second and each document opened and exported costs more
than laying out one more letter in it, so the batch is converted in a few calls, each with a
private profile so a LibreOffice the user has open is neither disturbed nor blocking.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from subprocess import PIPE, STDOUT

from crmbook.core.i18n import say
from crmbook.errors import CrmbookError
from crmbook.letters import pdf_batch

_KNOWN_PLACES = {
    "win32": [Path(os.environ.get("PROGRAMFILES", "C:/Program Files"))
              / "LibreOffice/program/soffice.exe"],
    "darwin": [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")],
}  # fmt: skip


#: LibreOffice processes at once (the target machine has 2 cores; each uses about one).
MAX_PROCESSES = 2


class PdfError(CrmbookError, RuntimeError):
    """LibreOffice is missing or did not convert every letter; the .docx letters are made."""

    exit_code = 1


def find_soffice() -> str | None:
    """LibreOffice's command: on PATH, or where the installer puts it on Windows and macOS."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(p) for p in _KNOWN_PLACES.get(sys.platform, []) if p.exists()), None)


def to_pdf(
    files: Sequence[Path], outdir: Path, lang: str = "en", *, combined: Path | None = None
) -> list[Path]:
    """Convert .docx letters to PDF in ``outdir``; the PDFs' paths, in the order given.

    ``combined`` is the print file of exactly these letters, one after the other: its PDF is
    theirs joined (LibreOffice would lay out all the letters again as one long document).
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            say(lang, "PDF needs LibreOffice, which is not installed (https://www.libreoffice.org)."
                " The Word letters are made; run again without --pdf, or install LibreOffice.",
                "PDF krever LibreOffice, som ikke er installert (https://www.libreoffice.org). "
                "Word-brevene er laget; kjør på nytt uten --pdf, eller installer LibreOffice.")
        )  # fmt: skip
    outdir.mkdir(parents=True, exist_ok=True)
    made = [outdir / (f.stem + ".pdf") for f in files]
    joined = [outdir / (combined.stem + ".pdf")] if combined else []
    for old in made + joined:  # so a PDF left by an earlier run cannot pass for a new one
        old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="crmbook-pdf-") as work:
        errors = _convert_all(soffice, files, outdir, Path(work))
    missing = [p.name for p in made if not p.exists()]
    if missing:
        raise PdfError(
            say(lang, "LibreOffice did not make {n} PDF file(s), e.g. {f}: {e}",
                "LibreOffice laget ikke {n} PDF-fil(er), f.eks. {f}: {e}",
                n=len(missing), f=missing[0], e=errors.strip()[-300:])
        )  # fmt: skip
    if joined:
        pdf_batch.concatenate(made, joined[0])
    return made + joined


def _convert_all(soffice: str, files: Sequence[Path], outdir: Path, work: Path) -> str:
    """Letters joined into chunks and split again; the rest, and the letters of a chunk that
    cannot be split, one by one. Returns what LibreOffice said."""
    chunks, singles = pdf_batch.plan(files, work)
    said = _convert(soffice, [c.path for c in chunks], work / "chunks")
    for chunk in chunks:
        pdf = work / "chunks" / (chunk.path.stem + ".pdf")
        if not pdf.exists() or pdf_batch.split(chunk, pdf, outdir) is None:
            singles.extend(chunk.letters)
    return said + _convert(soffice, singles, outdir)


def _convert(soffice: str, files: Sequence[Path], outdir: Path) -> str:
    """Convert ``files`` into ``outdir`` with up to one LibreOffice per core, each with a
    private profile, so a LibreOffice the user has open is neither disturbed nor blocking."""
    if not files:
        return ""
    runs = max(1, min(MAX_PROCESSES, os.cpu_count() or 1, len(files)))
    with tempfile.TemporaryDirectory(prefix="crmbook-lo-") as profiles:
        procs = []
        for i in range(runs):
            profile = (Path(profiles) / str(i)).resolve().as_uri()
            cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", pdf_batch.FILTER, "--outdir", str(outdir),
                   *map(str, files[i::runs])]  # fmt: skip
            procs.append(subprocess.Popen(cmd, stdout=PIPE, stderr=STDOUT, text=True))
        said = []
        for proc in procs:
            try:
                said.append(proc.communicate(timeout=120 + 2 * len(files))[0] or "")
            except subprocess.TimeoutExpired:
                proc.kill()
                said.append(proc.communicate()[0] or "")
    return "".join(said)
