"""LibreOffice headless as the independent program that opens what crmbook writes."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(files: Sequence[Path], fmt: str, outdir: Path, *, profile: Path) -> list[Path]:
    """Convert files with one soffice call; returns the output paths (raises if any is missing).

    ``fmt`` is a LibreOffice filter spec: ``CSV_ALL_SHEETS`` (every sheet to its own csv), 'pdf',
    'xlsx', ….
    """
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    produced = sorted(outdir.iterdir())
    assert produced, f"soffice produced nothing: {done.stdout}\n{done.stderr}"
    return produced


#: CSV filter: UTF-8 (76), comma-separated, every sheet to its own file (-1).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
