"""The built add-in read back by independent readers: olefile for the container, oletools for
the VBA project (it checks every dir record's id and size as it parses)."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree

import crmbook.excel
from crmbook.addin import build, package
from crmbook.addin.project import Module

with warnings.catch_warnings():  # oletools calls a pyparsing name deprecated since
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools import olevba

CUSTOMUI = "{http://schemas.microsoft.com/office/2009/07/customui}"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_addin(
        tmp_path_factory.mktemp("addin") / "crmbook.xlam", "C:\\Py\\python.exe"
    )


@pytest.fixture(scope="module")
def project(addin: Path) -> olevba.VBA_Project:
    data = zipfile.ZipFile(addin).read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    vba = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    vba.parse_project_stream()
    list(vba.parse_modules())
    return vba


def test_every_module_reads_back_byte_identical(project: olevba.VBA_Project) -> None:
    expected = {m.name: m.source for m in build.addin_modules()}
    found = {m.name: m.code_raw for m in project.modules}
    assert found == expected
    assert all(m.textoffset == 0 for m in project.modules)


def test_module_sources_come_from_the_installed_xlwings_and_our_callbacks() -> None:
    modules = {m.name: m for m in build.addin_modules()}
    bas = (build.xlwings_dir() / "xlwings_custom_addin.bas").read_bytes()
    assert modules["xlwings"].source == bas.replace(
        b'PROJECT_NAME As String = "myaddin"', b'PROJECT_NAME As String = "crmbook"'
    )
    callbacks = (Path(build.__file__).parent / "callbacks.bas").read_bytes()
    assert modules["CrmRibbon"].source.replace(b"\r\n", b"\n") == callbacks.replace(b"\r\n", b"\n")
    assert b"\n" not in modules["CrmRibbon"].source.replace(b"\r\n", b"")
    cls = (build.xlwings_dir() / "addin" / "Dictionary.cls").read_bytes()
    added = {
        b'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        b"Attribute VB_TemplateDerived = False",
        b"Attribute VB_Customizable = False",
    }
    lines = [x for x in modules["Dictionary"].source.split(b"\r\n") if x not in added]
    assert modules["Dictionary"].kind == "class"
    assert b"\r\n".join(lines) == cls.split(b"\r\nEND\r\n", 1)[1]


def test_project_and_dir_streams_list_the_same_modules(
    addin: Path, project: olevba.VBA_Project
) -> None:
    data = zipfile.ZipFile(addin).read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(data))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    listed = re.findall(r"^(?:Document|Module|Class)=([^/\r\n]+)", text, re.M)
    assert [m.name for m in project.modules] == listed
    in_dir = {m.name.lower(): "bas" if m.type == 0x21 else "cls" for m in project.modules}
    assert project.module_ext == in_dir  # PROJECT's Module=/Class=/Document= agree with dir
    streams = {"/".join(p) for p in ole.listdir()}
    assert {f"VBA/{m.streamname}" for m in project.modules} <= streams
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x00\x00"


def test_document_modules_match_the_workbook_code_names(addin: Path) -> None:
    with zipfile.ZipFile(addin) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
    assert 'codeName="ThisWorkbook"' in workbook
    assert 'codeName="Sheet1"' in sheet
    assert package.XLAM in types
    assert "2007/relationships/ui/extensibility" in rels and package.RIBBON_PART in rels


def test_config_sheet_points_xlwings_at_the_python_that_built_it(addin: Path) -> None:
    from crmbook.addin.install import read_settings

    settings = read_settings(addin)
    assert settings["INTERPRETER_WIN"] == settings["INTERPRETER_MAC"] == "C:\\Py\\python.exe"
    assert settings["CRMBOOK_XLWINGS_VERSION"] == build.vba_version(build.xlwings_modules()[0])
    assert build.CONFIG_SHEET in zipfile.ZipFile(addin).read("xl/workbook.xml").decode()


def _subs(source: bytes) -> dict[str, str]:
    """Public Sub name -> body of the callback module."""
    text = source.decode("cp1252")
    found = re.findall(r"^Sub (\w+)\(.*?\)\r\n(.*?)^End Sub", text, re.M | re.S)
    return dict(found)


def test_every_ribbon_action_names_a_sub_and_every_sub_a_python_entry_point() -> None:
    source = build.callbacks_module().source
    subs = _subs(source)
    ribbon = etree.fromstring(build.ribbon_xml())
    callbacks = [
        value
        for element in ribbon.iter()
        for attr, value in element.attrib.items()
        if attr in ("onAction", "getContent")
    ]
    assert callbacks and set(callbacks) <= set(subs)
    menu = re.findall(r'onAction=""(\w+)""', source.decode("cp1252"))  # the dynamic menu's
    assert menu and set(menu) <= set(subs)
    targets = set()
    for body in subs.values():
        for command in re.findall(r'RunPython "([^"]*)', body):
            assert command.startswith("import crmbook.excel as x; x.")
            targets |= set(re.findall(r"\bx\.(\w+)\(", command))
    assert targets >= {"validate", "select", "preview_letter", "make_letters", "report"}
    assert all(callable(getattr(crmbook.excel, t, None)) for t in targets)


def test_ribbon_tab_has_large_buttons_with_screentips() -> None:
    ribbon = etree.fromstring(build.ribbon_xml())
    tab = ribbon.find(f".//{CUSTOMUI}tab")
    assert tab is not None and tab.get("label") == "CRM"
    controls = [e for e in tab.iter() if e.get("onAction") or e.get("getContent")]
    assert len(controls) == 7
    assert all(c.get("size") == "large" and c.get("screentip") for c in controls)


def test_builds_are_reproducible(tmp_path: Path) -> None:
    one = build.build_addin(tmp_path / "one.xlam", "python")
    two = build.build_addin(tmp_path / "two.xlam", "python")
    assert one.read_bytes() == two.read_bytes()


def test_a_class_export_keeps_its_code_under_excels_attributes() -> None:
    from crmbook.addin.project import from_export

    text = (
        b"VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
        b'Attribute VB_Name = "C"\r\nAttribute VB_Exposed = False\r\nPublic X As Long\r\n'
    )
    assert from_export("C", text) == Module(
        "C",
        "class",
        b'Attribute VB_Name = "C"\r\nAttribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
        b"\r\nAttribute VB_Exposed = False\r\nAttribute VB_TemplateDerived = False\r\n"
        b"Attribute VB_Customizable = False\r\nPublic X As Long\r\n",
    )
