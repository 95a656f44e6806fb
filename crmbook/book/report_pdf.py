"""The Report sheet as a PDF, printed by LibreOffice from a copy of the workbook.

LibreOffice prints every visible sheet, so the copy has all other sheets hidden and the Report
as the active one; the Report's own print setup (A4, fit to page width, footer) decides the
pages. The workbook itself is only read.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.i18n import say
from crmbook.errors import UsageError
from crmbook.letters.pdf import PdfError, find_soffice

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def report_pdf(book: Path, out: Path, lang: str = "en") -> Path:
    """Print the Report sheet of ``book`` to ``out`` (a .pdf path); ``out``."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            say(
                lang,
                "A PDF needs LibreOffice, which is not installed (https://www.libreoffice.org). "
                "The Report sheet is written; install LibreOffice and run again with --pdf.",
                "PDF krever LibreOffice, som ikke er installert (https://www.libreoffice.org). "
                "Arket Rapport er skrevet; installer LibreOffice og kjør på nytt med --pdf.",
            )
        )
    with tempfile.TemporaryDirectory(prefix="crmbook-report-") as tmp:
        copy = Path(tmp) / f"{out.stem}.xlsx"
        only_report(book, copy, lang)
        profile = (Path(tmp) / "profile").resolve().as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(copy)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
        made = copy.with_suffix(".pdf")
        if not made.exists():
            raise PdfError(
                say(lang, "LibreOffice did not print the Report: {e}",
                    "LibreOffice skrev ikke ut rapporten: {e}",
                    e=(done.stderr or done.stdout).strip()[-300:])
            )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(made, out)
    return out


def only_report(book: Path, copy: Path, lang: str) -> None:
    """A copy of ``book`` whose only visible (and active) sheet is the Report."""
    with zipfile.ZipFile(book) as source:
        part = _workbook_part(source)
        root = etree.fromstring(source.read(part))
        sheets = root.findall(f"{{{_MAIN}}}sheets/{{{_MAIN}}}sheet")
        names = [el.get("name", "") for el in sheets]
        found = layout.find_sheet(s.REPORT, {n: n for n in names})
        if found is None:
            raise UsageError(
                say(lang, "{b} has no Report sheet: run crmbook report first.",
                    "{b} har ikke noe Rapport-ark: kjør crmbook report først.", b=book.name)
            )  # fmt: skip
        index = names.index(found)
        for i, el in enumerate(sheets):
            if i == index:
                el.attrib.pop("state", None)
            else:
                el.set("state", "hidden")
        for view in root.iter(f"{{{_MAIN}}}workbookView"):
            view.set("activeTab", str(index))
            view.set("firstSheet", str(index))
        changed = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, changed if info.filename == part else source.read(info))


def _workbook_part(z: zipfile.ZipFile) -> str:
    rels = etree.fromstring(z.read("_rels/.rels"))
    for rel in rels:
        if rel.get("Type") == _OFFICE_DOC:
            return rel.get("Target", "xl/workbook.xml").lstrip("/")
    return "xl/workbook.xml"
