"""Letters to PDF through LibreOffice: one headless process converts the whole batch.

Starting LibreOffice costs most of a second; each further file in the same call about 60 ms
(DESIGN.md), so the batch is converted in one call, with a private profile so a LibreOffice the
user has open is neither disturbed nor blocking.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from crmbook.core.i18n import say
from crmbook.errors import CrmbookError

_KNOWN_PLACES = {
    "win32": [Path(os.environ.get("PROGRAMFILES", "C:/Program Files"))
              / "LibreOffice/program/soffice.exe"],
    "darwin": [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")],
}  # fmt: skip


class PdfError(CrmbookError, RuntimeError):
    """LibreOffice is missing or did not convert every letter; the .docx letters are made."""

    exit_code = 1


def find_soffice() -> str | None:
    """LibreOffice's command: on PATH, or where the installer puts it on Windows and macOS."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(p) for p in _KNOWN_PLACES.get(sys.platform, []) if p.exists()), None)


def to_pdf(files: Sequence[Path], outdir: Path, lang: str = "en") -> list[Path]:
    """Convert .docx files to PDF in ``outdir`` with one LibreOffice call; the PDFs' paths."""
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
    for old in made:  # so a PDF left by an earlier run cannot pass for a new one
        old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="crmbook-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
               "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
               *map(str, files)]  # fmt: skip
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=120 + 2 * len(files), check=False
        )
    missing = [p.name for p in made if not p.exists()]
    if missing:
        raise PdfError(
            say(lang, "LibreOffice did not make {n} PDF file(s), e.g. {f}: {e}",
                "LibreOffice laget ikke {n} PDF-fil(er), f.eks. {f}: {e}",
                n=len(missing), f=missing[0], e=(done.stderr or done.stdout).strip()[-300:])
        )  # fmt: skip
    return made
