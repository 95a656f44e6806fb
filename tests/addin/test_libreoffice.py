"""LibreOffice loads a VBA project made by our writer and runs its Sub: the container is sound.

LibreOffice runs nothing in a project whose modules use ``#If … #Else`` around procedure
headers (DESIGN.md), as xlwings' module does, so the project here holds one plain module; the
add-in itself is built by the same code (``project.vba_project``).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from crmbook.addin import build, package
from crmbook.addin.project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    document_module,
    vba_project,
)
from tests.office import convert, needs_office

HERE = Path(__file__).parent
MACRO = "vnd.sun.star.script:VBAProject.Module1.Test?language=Basic&location=document"
SOURCE = (
    b'Attribute VB_Name = "Module1"\r\n'
    b"Option Explicit\r\n"
    b"' A comment long enough to need a second compression chunk: "
    + b"x"
    * 5000
    + b"\r\nSub Test()\r\n"
    b'    ThisWorkbook.Worksheets(1).Range("B2").Value = "written by VBA"\r\n'
    b'    Worksheets(1).Range("C3").Value = Len(Worksheets(1).Range("A1").Value)\r\n'
    b"End Sub\r\n"
)


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if shutil.which(candidate):
            found = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if found.returncode == 0:
                return candidate
    return None


@needs_office
@pytest.mark.libreoffice
def test_libreoffice_runs_a_sub_from_a_project_we_wrote(tmp_path: Path) -> None:
    python = _uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module")
    modules = [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module("Sheet1", WORKSHEET_BASE),
        Module("Module1", "module", SOURCE),
    ]
    book = tmp_path / "proof.xlsm"
    parts = package.workbook_parts(package.XLSM, vba_project(modules), "Sheet1", [["hello"]])
    package.write_zip(book, parts)
    done = subprocess.run(
        [python, str(HERE / "uno_run_macro.py"), str(book), MACRO, str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    cells = done.stdout.splitlines()
    assert cells == ["A1=hello", "B2=written by VBA", "C3=5"], done.stderr


@needs_office
@pytest.mark.libreoffice
def test_libreoffice_opens_the_add_in_itself(tmp_path: Path) -> None:
    """LibreOffice refuses the add-in content type (xlwings' own .xlam too), so the built add-in
    is re-typed as a macro workbook: every other byte is the add-in's."""
    addin = build.build_addin(tmp_path / "crmbook.xlam", "C:\\Py\\python.exe")
    with zipfile.ZipFile(addin) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(package.XLAM.encode(), package.XLSM.encode())
    package.write_zip(tmp_path / "addin.xlsm", parts)
    (csv,) = convert([tmp_path / "addin.xlsm"], "csv", tmp_path / "out", profile=tmp_path / "p")
    rows = csv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "INTERPRETER_WIN,C:\\Py\\python.exe"
