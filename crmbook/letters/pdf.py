"""Letters to PDF through LibreOffice, headless: letters joined a few dozen at a time,
converted by one LibreOffice per core, and cut again per letter (crmbook.letters.pdf_batch).

Starting LibreOffice costs a second or two and each document opened and exported costs more
than laying out one more letter in it, so the batch is converted in one call per core, each with
a private profile so a LibreOffice the user has open is neither disturbed nor blocking. Every PDF
is written in a hidden folder and put in place only when all of them are made: a LibreOffice
that is missing, crashes, is killed or hangs leaves a message and no PDF, never a half-made one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from subprocess import PIPE, STDOUT

from pypdf.errors import PyPdfError

from crmbook.core.i18n import plural, say
from crmbook.errors import CrmbookError
from crmbook.letters import output, pdf_batch, pdf_cut
from crmbook.letters.pdf_batch import Piece

_KNOWN_PLACES = {
    "win32": [Path(os.environ.get("PROGRAMFILES", "C:/Program Files"))
              / "LibreOffice/program/soffice.exe"],
    "darwin": [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")],
}  # fmt: skip


#: LibreOffice processes at once (the target machine has 2 cores; each uses about one).
MAX_PROCESSES = 2
#: How long a LibreOffice may take (seconds: a start, plus each letter it converts) before it is
#: taken as hung and stopped; 2,000 letters take about a minute on 2 busy cores.
TIMEOUT = (120.0, 1.0)


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
    files: Sequence[Path],
    outdir: Path,
    lang: str = "en",
    *,
    combined: Path | None = None,
    prefix: str = output.STAGING,
) -> list[Path]:
    """Convert .docx letters to PDF in ``outdir``; the PDFs' paths, in the order given.

    ``combined`` is the print file of exactly these letters, one after the other: its PDF is
    theirs joined (LibreOffice would lay out all the letters again as one long document).
    ``prefix`` names the hidden folder the PDFs are made in (see output.staged).
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            say(lang, "PDF needs LibreOffice, which is not installed (https://www.libreoffice.org)."
                " The Word letters are made; run again without --pdf, or install LibreOffice.",
                "PDF krever LibreOffice, som ikke er installert (https://www.libreoffice.org). "
                "Word-brevene er laget; kjør på nytt uten --pdf, eller installer LibreOffice.")
        )  # fmt: skip
    if not files:
        return []
    joined = combined.stem + ".pdf" if combined else None
    targets = [outdir / (f.stem + ".pdf") for f in files] + ([outdir / joined] if joined else [])
    for old in targets:  # so a PDF left by an earlier run cannot pass for a new one
        old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="crmbook-pdf-") as work:
        pieces = _convert_all(soffice, files, Path(work), lang)
        with output.staged(outdir, targets, lang, prefix) as staging:
            try:
                pdf_cut.write(pieces, staging, joined)
            except (OSError, PyPdfError) as exc:
                raise PdfError(
                    say(lang, "could not write the PDF files in {d}: {e}; no PDF was made.",
                        "kunne ikke skrive PDF-filene i {d}: {e}; ingen PDF er laget.",
                        d=outdir, e=exc)
                ) from exc  # fmt: skip
    return targets


def _convert_all(soffice: str, files: Sequence[Path], work: Path, lang: str) -> list[Piece]:
    """Each letter's pages: letters joined into chunks and cut again; the rest, and the letters
    of a chunk that cannot be cut, converted one by one."""
    chunks, singles = pdf_batch.plan(files, work, _processes(len(files)))
    _convert(soffice, [c.path for c in chunks], work / "chunks", lang)
    found: dict[Path, Piece] = {}
    for chunk in chunks:
        cut = pdf_batch.pieces(chunk, work / "chunks" / (chunk.path.stem + ".pdf"))
        if cut is None:
            singles.extend(chunk.letters)
        else:
            found.update((piece.letter, piece) for piece in cut)
    said = _convert(soffice, singles, work / "singles", lang)
    for letter in singles:
        piece = pdf_batch.whole(letter, work / "singles" / (letter.stem + ".pdf"))
        if piece is not None:
            found[letter] = piece
    missing = [f.stem + ".pdf" for f in files if f not in found]
    if missing:
        raise PdfError(
            say(lang, "LibreOffice did not make {n}, e.g. {f}; no PDF was made. {e}",
                "LibreOffice laget ikke {n}, f.eks. {f}; ingen PDF er laget. {e}",
                n=plural(lang, len(missing), ("PDF file", "PDF files"), ("PDF-fil", "PDF-filer")),
                f=missing[0], e=said.strip()[-300:])
        )  # fmt: skip
    return [found[f] for f in files]


def _processes(letters: int) -> int:
    return max(1, min(MAX_PROCESSES, os.cpu_count() or 1, letters))


def _convert(soffice: str, files: Sequence[Path], outdir: Path, lang: str) -> str:
    """Convert ``files`` into ``outdir`` with up to one LibreOffice per core, each with a
    private profile; what they said. A LibreOffice that crashes, is killed or does not finish
    in time is a PdfError (what it wrote before is not trusted)."""
    if not files:
        return ""
    runs = _processes(len(files))
    with tempfile.TemporaryDirectory(prefix="crmbook-lo-") as profiles:
        procs = []
        try:
            for i in range(runs):
                profile = (Path(profiles) / str(i)).resolve().as_uri()
                cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                       "--convert-to", pdf_batch.FILTER, "--outdir", str(outdir),
                       *map(str, files[i::runs])]  # fmt: skip
                procs.append(_start(cmd))
            allowed = TIMEOUT[0] + TIMEOUT[1] * len(files) / runs
            deadline = time.monotonic() + allowed
            return "".join(_wait(proc, deadline, allowed, lang) for proc in procs)
        finally:
            for proc in procs:
                _stop(proc)


def _start(cmd: list[str]) -> subprocess.Popen[str]:
    """LibreOffice in a process group of its own, so stopping it stops what it started."""
    group = {"start_new_session": True} if os.name == "posix" else {}
    return subprocess.Popen(cmd, stdout=PIPE, stderr=STDOUT, text=True, **group)


def _wait(proc: subprocess.Popen[str], deadline: float, allowed: float, lang: str) -> str:
    """What the LibreOffice said, once it has ended well; a PdfError if it did not."""
    try:
        said = proc.communicate(timeout=max(0.0, deadline - time.monotonic()))[0] or ""
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise PdfError(
            say(lang, "LibreOffice did not finish converting the letters in {s:.0f} s and was "
                "stopped; no PDF was made. The Word letters are made; to make their PDFs, run the "
                "same command again with --overwrite --pdf when the computer is less busy.",
                "LibreOffice ble ikke ferdig med å konvertere brevene på {s:.0f} s og ble stoppet;"
                " ingen PDF er laget. Word-brevene er laget; for å lage PDF-ene, kjør samme "
                "kommando på nytt med --overwrite --pdf når maskinen er mindre opptatt.",
                s=allowed)
        ) from None  # fmt: skip
    if proc.returncode != 0:
        why = (say(lang, "stopped by signal {n}", "stoppet av signal {n}", n=-proc.returncode)
               if proc.returncode < 0 else
               say(lang, "exit code {n}", "avslutningskode {n}", n=proc.returncode))  # fmt: skip
        raise PdfError(
            say(lang, "LibreOffice stopped before it had converted every letter ({w}); no PDF was"
                " made. The Word letters are made; to make their PDFs, run the same command again"
                " with --overwrite --pdf. {e}",
                "LibreOffice stoppet før alle brevene var konvertert ({w}); ingen PDF er laget. "
                "Word-brevene er laget; for å lage PDF-ene, kjør samme kommando på nytt med "
                "--overwrite --pdf. {e}",
                w=why, e=said.strip()[-300:])
        )  # fmt: skip
    return said


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop a LibreOffice that is still running or did not end well, and everything it
    started; reap it."""
    if proc.poll() != 0:
        with contextlib.suppress(OSError):  # it ended meanwhile
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=10)
