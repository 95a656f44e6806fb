"""LibreOffice opens the built add-in, and runs our VBA helpers that need no Excel.

Why not in the add-in itself: LibreOffice 7.4 silently runs nothing in a VBA project any of
whose modules put ``#If … #Else`` around declarations or procedure headers, and both of the
template's xlwings modules do (``xlwings``: the ``Declare PtrSafe Function`` lines under ``#If
VBA7``; ``Dictionary``: its members under ``#If Mac Or Not UseScriptingDictionaryIfAvailable``;
measured: with either left in, a one-line Sub writes nothing). So the helpers run in a copy of
the built add-in with those two modules' sources replaced by stubs (the same pyopenvba edit)
and a test Sub appended to our module, whose every other line is the built module's. The test
Sub also adds a Settings and a Selections sheet, so the helpers that read sheets (Template
folder, selection names, the workbook's language) run on real cells. LibreOffice's VBA support
has no ``Range.End``: there ``LastRow``/``LastColumn`` fall back to the used range.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from crmbook.addin import build, texts
from crmbook.addin import template as tpl
from crmbook.zipraw import Member, ZipWriter, read_members
from tests.office import convert, needs_office

HERE = Path(__file__).parent
MACRO = "vnd.sun.star.script:MyAddin.RibbonMyAddin.CrmTest?language=Basic&location=document"
XLAM = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
XLSM = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
TEST_SUB = r'''
Sub CrmTest()
    Dim sh As Object, names As New Collection, s As String
    Set sh = ThisWorkbook.Worksheets(1)
    sh.Range("D1").Value = Hex16("Kj" & ChrW(248) & "p 'n' ""x"" | " & ChrW(55357) & ChrW(56832))
    names.Add "A & B <1>", "k1"
    names.Add "V" & ChrW(229) & "r ""beste""", "k2"
    sh.Range("D2").Value = SelectionMenu(names, "CrmSelect", "none")
    sh.Range("D3").Value = SelectionMenu(New Collection, "CrmExplain", Words("menu.none", True))
    sh.Range("D4").Value = SheetLanguage("|Kunder|Kj" & ChrW(248) & "p|Start|Settings|")
    sh.Range("D5").Value = SheetLanguage("|Customers|Purchases|Start|")
    sh.Range("D6").Value = "[" & SheetLanguage("|Ark1|Start|") & "]"
    If IsNorwegian(1044) Then s = s & "1" Else s = s & "0"
    If IsNorwegian(2068) Then s = s & "1" Else s = s & "0"
    If IsNorwegian(&H7C14&) Then s = s & "1" Else s = s & "0"
    If IsNorwegian(1033) Then s = s & "1" Else s = s & "0"
    sh.Range("D7").Value = s
    sh.Range("D8").Value = FullFolder("C:\Kunder", "letter_templates", "\")
    sh.Range("D9").Value = FullFolder("/Users/kari/crm", ".", "/")
    sh.Range("D10").Value = FullFolder("C:\Kunder", "D:\Maler\", "\")
    sh.Range("D11").Value = FullFolder("/Users/kari/crm", "./maler/brev", "/")
    s = ProbeCode("0.1.0", "0.37.8")
    sh.Range("D12").Value = ProbeCommand("C:\Program Files\Py\python.exe", s)
    s = Words("crmValidate.label", True) & "/"
    sh.Range("D13").Value = s & Words("crmValidate.label", False)
    sh.Range("D14").Value = Words("python.gone", True)
    sh.Range("D15").Value = Words("crmErase.supertip", False)
    If IsKey(" Innstillinger ", "|settings|innstillinger|") Then sh.Range("D16").Value = "key"
    Dim ws As Object, found As Collection
    Set ws = ThisWorkbook.Worksheets.Add(After:=ThisWorkbook.Worksheets(1))
    ws.Name = "Innstillinger"
    ws.Range("A1").Value = "Innstilling"
    ws.Range("A2").Value = "Avsender firma"
    ws.Range("B2").Value = "Hansen AS"
    ws.Range("A3").Value = " Malmappe "
    ws.Range("B3").Value = "maler/brev"
    Set ws = ThisWorkbook.Worksheets.Add(After:=ThisWorkbook.Worksheets(2))
    ws.Name = "Utvalg"
    ws.Range("A1").Value = "Utvalg"
    ws.Range("B1").Value = "Gruppe"
    ws.Range("A2").Value = "V" & ChrW(229) & "r"
    ws.Range("A3").Value = " V" & ChrW(229) & "r "
    ws.Range("A5").Value = "H" & ChrW(248) & "st & vinter"
    sh.Range("D17").Value = TemplateFolder()
    Set found = SelectionNames()
    sh.Range("D18").Value = found.Count & ":" & found(1) & "/" & found(2)
    If BookNorwegian() Then sh.Range("D19").Value = "nb"
    sh.Range("D20").Value = "[" & FindHeader(ws, "gruppe", "group") & ";" & LastRow(ws, 1) & "]"
End Sub
'''
STUB = 'Attribute VB_Name = "{name}"\r\nPublic Function RunPython(c As String)\r\nEnd Function\r\n'


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if shutil.which(candidate):
            found = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if found.returncode == 0:
                return candidate
    return None


def as_workbook(addin: Path, out: Path) -> Path:
    """The add-in re-typed as a macro workbook: LibreOffice refuses the add-in content type
    (xlwings' own .xlam too); every other byte stays."""
    with out.open("wb") as fh:
        writer = ZipWriter(fh)
        for member in read_members(addin):
            if member.name == "[Content_Types].xml":
                member = Member.deflated(member.name, member.content().replace(XLAM, XLSM))
            writer.add(member)
        writer.close()
    return out


@needs_office
@pytest.mark.libreoffice
def test_libreoffice_opens_the_add_in(tmp_path: Path) -> None:
    addin = build.build_addin(tmp_path / "crmbook.xlam", "C:\\Py\\python.exe")
    book = as_workbook(addin, tmp_path / "addin.xlsm")
    csv = convert([book], "csv", tmp_path / "out", profile=tmp_path / "p")
    rows = csv[0].read_text(encoding="utf-8").splitlines()
    assert rows[0] == "Interpreter_Win,C:\\Py\\python.exe"
    assert "CRMBOOK_XLWINGS_VERSION,0.37.8" in rows or len(rows) == 12


@needs_office
@pytest.mark.libreoffice
def test_our_vba_helpers_run_in_libreoffice(tmp_path: Path) -> None:
    from pyopenvba import ExcelFile

    python = _uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module (Debian: python3-uno)")
    addin = build.build_addin(tmp_path / "crmbook.xlam", "C:\\Py\\python.exe")
    with ExcelFile(addin) as wb:
        ours = wb.get_module(tpl.RIBBON_MODULE)
        assert ours == build.callbacks_source()  # what runs below is the built module
        wb.set_module(tpl.RIBBON_MODULE, ours + TEST_SUB.replace("\n", "\r\n"))
        for name in ("xlwings", "Dictionary"):
            wb.set_module(name, STUB.format(name=name) if name == "xlwings" else _class(wb, name))
        wb.save(tmp_path / "proof.xlam")
    book = as_workbook(tmp_path / "proof.xlam", tmp_path / "proof.xlsm")
    (tmp_path / "maler" / "brev").mkdir(parents=True)
    done = subprocess.run(
        [python, str(HERE / "uno_run_macro.py"), str(book), MACRO, str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    cells = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    assert "D1" in cells, done.stderr
    text = "Kjøp 'n' \"x\" | 😀"
    assert cells["D1"] == text.encode("utf-16-be").hex().upper()
    ns = tpl_ns = "http://schemas.microsoft.com/office/2006/01/customui"
    assert cells["D2"] == (
        f'<menu xmlns="{ns}">'
        '<button id="CrmSelect1" label="A &amp; B &lt;1&gt;" tag="A &amp; B &lt;1&gt;" '
        'onAction="CrmSelect"/>'
        '<button id="CrmSelect2" label="Vår &quot;beste&quot;" tag="Vår &quot;beste&quot;" '
        'onAction="CrmSelect"/></menu>'
    )
    none = texts.TEXTS["menu.none"][1]
    assert cells["D3"] == (
        f'<menu xmlns="{tpl_ns}"><button id="CrmExplainNone" label="{none}" tag="" '
        'onAction="CrmExplain"/></menu>'
    )
    assert (cells["D4"], cells["D5"], cells["D6"]) == ("nb", "en", "[]")
    assert cells["D7"] == "1110"
    assert cells["D8"] == "C:\\Kunder\\letter_templates"
    assert cells["D9"] == "/Users/kari/crm"
    assert cells["D10"] == "D:\\Maler"
    assert cells["D11"] == "/Users/kari/crm/maler/brev"
    assert cells["D12"] == (
        '"C:\\Program Files\\Py\\python.exe" -B -c "import sys,importlib.metadata as m;'
        "import crmbook.excel;sys.exit(4 if (m.version('crmbook'),m.version('xlwings'))"
        "!=('0.1.0','0.37.8') else 0)\""
    )
    assert cells["D13"] == "Kontroller/Validate"
    assert cells["D14"] == texts.TEXTS["python.gone"][1]
    assert cells["D15"] == texts.TEXTS["crmErase.supertip"][0]
    assert cells["D16"] == "key"
    assert cells["D17"] == str(tmp_path / "maler" / "brev")  # the Template folder, as it exists
    assert cells["D18"] == "2:Vår/Høst & vinter"  # once each, trimmed, in sheet order
    assert cells["D19"] == "nb"
    assert cells["D20"] == "[2;5]"


def _class(wb: object, name: str) -> str:
    """A class module's source with its attribute header and no code."""
    source = wb.get_module(name)  # type: ignore[attr-defined]
    header = [line for line in source.splitlines() if line.startswith("Attribute ")]
    return "\r\n".join(header) + "\r\nOption Explicit\r\n"


def test_the_built_module_is_ascii_so_any_code_page_reads_it() -> None:
    assert build.callbacks_source().isascii()
    assert zipfile.is_zipfile(tpl.xlwings_dir() / tpl.TEMPLATE_FILE)
