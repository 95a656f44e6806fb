"""Regenerate docs/report.png and docs/letter.png: the demo's Report and one of its letters as
LibreOffice prints them.

    python docs/make_screenshot.py [FOLDER]

Runs ``crmbook demo`` (200 customers, validation, a selection, letters, an import, the report),
reruns the report as of a fixed day, prints it the way ``crmbook report --pdf`` does, converts
the first letter of the demo's campaign to PDF, and renders each first page with ``pdftoppm``
(poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from crmbook.actions import report
from crmbook.book.filebook import FileBook
from crmbook.book.report_pdf import report_pdf
from crmbook.letters.pdf import to_pdf

DAY = dt.date(2026, 11, 22)
DPI = 80


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = [sys.executable, "-m", "crmbook", "demo", str(folder / "demo")]
        subprocess.run(demo, check=True, capture_output=True, timeout=600)
        book = folder / "demo" / "crmbook-demo.xlsx"
        report.run(FileBook(book), DAY)
        printed = report_pdf(book, folder / "report.pdf", "nb")
        letter = sorted((folder / "demo" / "letters").rglob("[0-9]*.docx"))[0]
        (letter_pdf,) = to_pdf([letter], folder / "letter", "nb")
        for pdf, name in ((printed, "report.png"), (letter_pdf, "letter.png")):
            first_page(pdf, out / name)
            print(out / name)


def first_page(pdf: Path, png: Path) -> None:
    stem = png.with_suffix("")
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
         str(pdf), str(stem)],
        check=True, timeout=300,
    )  # fmt: skip


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (poppler-utils)")
    return found


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
