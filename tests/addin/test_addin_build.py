"""The built add-in against the installed xlwings' template, read back by independent readers:
olefile and oletools (olevba) for the VBA project, pyopenvba for its modules and its file check.
"""

from __future__ import annotations

import importlib.resources
import io
import re
import shutil
import struct
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree

import crmbook.excel
from crmbook import __version__
from crmbook.addin import build, texts
from crmbook.addin import template as tpl
from crmbook.zipraw import Member, ZipWriter, read_members

with warnings.catch_warnings():  # oletools calls a pyparsing name deprecated since
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools import olevba
    from oletools.olevba import decompress_stream

CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
TEMPLATE = tpl.xlwings_dir() / tpl.TEMPLATE_FILE
PYTHON = "C:\\Program Files\\Python312\\python.exe"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_addin(tmp_path_factory.mktemp("addin") / "crmbook.xlam", PYTHON)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def ole_streams(vba: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(vba), raise_defects=olefile.DEFECT_INCORRECT)
    return {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}


def dir_records(stream: bytes) -> list[tuple[int, bytes]]:
    return tpl.records(bytes(decompress_stream(bytearray(stream))))


def test_only_the_intended_parts_differ_from_the_template(addin: Path) -> None:
    ours, theirs = parts(addin), parts(TEMPLATE)
    assert list(ours) == list(theirs)  # same members, same order
    changed = {name for name in theirs if ours[name] != theirs[name]}
    assert changed == {
        "xl/vbaProject.bin",
        "customUI/customUI.xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
    }
    with zipfile.ZipFile(addin) as a, zipfile.ZipFile(TEMPLATE) as t:
        for name in set(theirs) - changed:  # copied as stored: same compressed bytes, same time
            assert a.getinfo(name).CRC == t.getinfo(name).CRC
            assert a.getinfo(name).compress_size == t.getinfo(name).compress_size
            assert a.getinfo(name).date_time == t.getinfo(name).date_time
    assert ours["xl/workbook.xml"] == theirs["xl/workbook.xml"].replace(
        b'name="_myaddin.conf"', b'name="crmbook.conf"'
    )


def test_only_the_edited_modules_and_their_dir_offsets_differ(addin: Path) -> None:
    ours = ole_streams(parts(addin)["xl/vbaProject.bin"])
    theirs = ole_streams(parts(TEMPLATE)["xl/vbaProject.bin"])
    assert set(ours) == set(theirs)
    changed = {name for name in theirs if ours[name] != theirs[name]}
    assert changed == {"VBA/RibbonMyAddin", "VBA/xlwings", "VBA/dir"}
    assert ours["VBA/_VBA_PROJECT"] == b"\xcc\x61\xff\xff\x00\x01\x00"  # the template's
    mine, template = dir_records(ours["VBA/dir"]), dir_records(theirs["VBA/dir"])
    assert len(mine) == len(template)
    differ = [(i, a, b) for i, (a, b) in enumerate(zip(mine, template, strict=True)) if a != b]
    offsets = {name: i for i, name in _offset_records(template)}
    assert [i for i, _, _ in differ] == [offsets["RibbonMyAddin"]]  # xlwings' is 0 already
    (_, (rid, data), (_, old)) = differ[0]
    assert rid == 0x0031 and struct.unpack("<I", data)[0] == 0 and struct.unpack("<I", old)[0] > 0


def _offset_records(records: list[tuple[int, bytes]]) -> list[tuple[int, str]]:
    found, name = [], ""
    for i, (rid, data) in enumerate(records):
        if rid == 0x0019:
            name = data.decode("latin-1")
        elif rid == 0x0031:
            found.append((i, name))
    return found


@pytest.fixture(scope="module")
def olevba_modules(addin: Path) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(parts(addin)["xl/vbaProject.bin"]))
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    return {m.name: m.code_raw for m in project.modules}


def test_olevba_and_pyopenvba_read_every_module_back_exactly(
    addin: Path, olevba_modules: dict[str, bytes]
) -> None:
    from pyopenvba import ExcelFile

    template = tpl.load()
    xlwings = template.modules["xlwings"].replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "crmbook"'
    )
    expected = {**template.modules, "RibbonMyAddin": build.callbacks_source(), "xlwings": xlwings}
    with ExcelFile(addin) as wb:
        assert {name: wb.get_module(name) for name in wb.module_names()} == expected
    assert set(olevba_modules) == set(expected)
    for name in ("RibbonMyAddin", "xlwings"):  # exactly, byte for byte
        assert olevba_modules[name] == expected[name].encode("cp1252")


def test_pyopenvbas_file_check_reports_no_issue(addin: Path) -> None:
    from pyopenvba import check_file

    report = check_file(addin)
    assert report.ok and report.complete and not report.issues


def test_config_sheet_points_xlwings_at_the_python_and_keeps_the_templates_layout(
    addin: Path,
) -> None:
    settings = build.read_settings(addin)
    assert settings["Interpreter_Win"] == settings["Interpreter_Mac"] == PYTHON
    assert settings["CRMBOOK_VERSION"] == __version__
    assert settings["CRMBOOK_XLWINGS_VERSION"] == tpl.load().xlwings_version
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"
    assert settings["Use UDF Server"] == "FALSE"
    sheet = parts(addin)["xl/worksheets/sheet1.xml"]
    assert b'codeName="Sheet2"' in sheet and b"<cols>" in sheet  # the template's, kept


def test_the_ribbon_part_is_ours(addin: Path) -> None:
    assert parts(addin)["customUI/customUI.xml"] == build.ribbon_xml()


def test_builds_are_reproducible(tmp_path: Path) -> None:
    one = build.build_addin(tmp_path / "one.xlam", "/opt/crm/bin/python")
    two = build.build_addin(tmp_path / "two.xlam", "/opt/crm/bin/python")
    assert one.read_bytes() == two.read_bytes()


# ---- every ribbon control, its VBA callback, its Python entry point ----------------------


def _subs(source: str) -> dict[str, str]:
    """Public Sub name -> body of the callback module."""
    return dict(re.findall(r"^Sub (\w+)\(.*?\)\r\n(.*?)^End Sub", source, re.M | re.S))


def _private_subs(source: str) -> set[str]:
    return set(re.findall(r"^Private (?:Sub|Function) (\w+)\(", source, re.M))


def test_every_ribbon_control_has_a_callback_and_every_callback_an_entry_point() -> None:
    source = build.callbacks_source()
    subs = _subs(source)
    ribbon = etree.fromstring(build.ribbon_xml())
    callbacks = {
        value
        for element in ribbon.iter()
        for attr, value in element.attrib.items()
        if attr.startswith("get") or attr == "onAction"
    }
    assert callbacks <= set(subs), callbacks - set(subs)
    menus = set(re.findall(r'SelectionMenu\(SelectionNames\(\), "(\w+)"', source))
    assert menus and menus <= set(subs)  # the items of the dynamic menus
    targets: set[str] = set()
    for name in callbacks | menus:
        targets |= set(re.findall(r'Go "import crmbook\.excel as x; x\.(\w+)\(', subs[name]))
    assert targets == {
        "validate",
        "validate_fix",
        "import_register",
        "settings",
        "select",
        "preview_letter",
        "make_letters",
        "make_letters_pdf",
        "explain_customer",
        "export_customer",
        "erase_customer",
        "report",
        "report_pdf",
        "help",
        "db_pull",
        "db_sync",
    }
    assert all(callable(getattr(crmbook.excel, t, None)) for t in targets)
    assert "RunPython" not in "".join(subs.values())  # only Go runs Python, after its checks


def test_every_vba_call_names_a_procedure_that_exists() -> None:
    source = build.callbacks_source()
    defined = _private_subs(source) | set(_subs(source)) | set(tpl.XLWINGS_FUNCTIONS)
    code = "\n".join(line.split("'")[0] for line in source.splitlines())
    called = set(re.findall(r"\b([A-Z][A-Za-z0-9]+)\(", code))
    builtins = {"Words", "ChrW", "Hex", "AscW", "Mid", "Right", "Left", "Len", "Trim", "LCase"}
    vba = {"InStr", "Replace", "Split", "LBound", "UBound", "CStr", "CLng", "GetAttr", "Dir"}
    excel = {
        "MsgBox",
        "InputBox",
        "CreateObject",
        "AppleScriptTask",
        "Cells",
        "Range",
        "FileDialog",
    }
    excel |= {"LanguageID", "VarType", "GetOpenFilename", "SelectedItems", "Run", "End"}
    assert called - defined - builtins - vba - excel == set()


def test_every_control_has_its_texts_in_both_languages() -> None:
    ribbon = etree.fromstring(build.ribbon_xml())
    for element in ribbon.iter():
        control = element.get("id")
        if control is None:
            continue
        kinds = ["label"] + (["screentip", "supertip"] if element.get("getScreentip") else [])
        for kind in kinds:
            en, nb = texts.TEXTS[f"{control}.{kind}"]
            assert en and nb, (control, kind)
    assert texts.TEXTS["crmValidate.label"] == ("Validate", "Kontroller")


def test_vba_strings_are_ascii_and_round_trip() -> None:
    expr = texts.vba_string('Kjøp "x"\nÆ')
    assert expr == '"Kj" & ChrW(248) & "p ""x""" & vbLf & ChrW(198)'
    assert expr.isascii()


def test_the_check_before_runpython_replaces_xlwings_messages() -> None:
    source = build.callbacks_source()
    go = re.search(r"Private Sub Go\(.*?End Sub", source, re.S)
    assert go and go.group(0).index("PythonReady()") < go.group(0).index("RunPython command")
    for key in ("python.gone", "python.lacks", "python.versions", "python.failed", "mac.helper"):
        assert f'Words("{key}"' in source
        en, nb = texts.TEXTS[key]
        assert "Could not find" not in en and "Traceback" not in en and nb != en


# ---- a template that lacks what we need -------------------------------------------------


def doctored(tmp_path: Path, edit: str) -> Path:
    """A copy of the installed template with one thing taken away."""
    out = tmp_path / f"{edit}.xlam"
    if edit == "no ribbon module":
        from pyopenvba import ExcelFile

        shutil.copy(TEMPLATE, out)
        with ExcelFile(out) as wb:
            wb.vba_project().rename_module("RibbonMyAddin", "Ribbon")
            wb.save()
        return out
    if edit == "no project name":
        from pyopenvba import ExcelFile

        shutil.copy(TEMPLATE, out)
        with ExcelFile(out) as wb:
            source = wb.get_module("xlwings")
            wb.set_module("xlwings", source.replace("Public Const PROJECT_NAME", "Const NAME"))
            wb.save()
        return out
    with out.open("wb") as fh:
        writer = ZipWriter(fh)
        for member in read_members(TEMPLATE):
            if edit == "no ribbon" and member.name == "customUI/customUI.xml":
                continue
            if edit == "no config sheet" and member.name == "xl/workbook.xml":
                text = member.content().replace(b"_myaddin.conf", b"Sheet1")
                member = Member.deflated(member.name, text)
            writer.add(member)
        writer.close()
    return out


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ("no ribbon", "has no customUI/customUI.xml"),
        ("no config sheet", "has no config sheet _myaddin.conf"),
        ("no ribbon module", "has no VBA module RibbonMyAddin"),
        ("no project name", "has no PROJECT_NAME constant"),
    ],
)
def test_a_template_without_what_we_need_is_refused_with_a_clear_message(
    tmp_path: Path, edit: str, says: str
) -> None:
    source = doctored(tmp_path, edit)
    out = tmp_path / "out" / "crmbook.xlam"
    with pytest.raises(tpl.TemplateError) as refused:
        build.build_addin(out, PYTHON, template_path=source)
    message = str(refused.value)
    assert says in message and "nothing was written" in message and "pip install" in message
    assert not out.exists()


def test_a_missing_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tpl.TemplateError, match=r"quickstart_addin_ribbon\.xlam is missing"):
        build.build_addin(tmp_path / "a.xlam", PYTHON, template_path=tmp_path / tpl.TEMPLATE_FILE)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("python", ["python", "bin/python", "", 'C:\\a"b\\python.exe'])
def test_the_python_must_be_a_full_path(tmp_path: Path, python: str) -> None:
    from crmbook.errors import UsageError

    with pytest.raises(UsageError):
        build.build_addin(tmp_path / "a.xlam", python)


@pytest.mark.parametrize(
    "python", ["C:\\Py\\python.exe", "\\\\server\\py\\python.exe", "/usr/bin/python3",
               "%LOCALAPPDATA%\\Programs\\Python\\Python312\\python.exe"],
)  # fmt: skip
def test_full_and_environment_paths_are_taken_as_given(python: str) -> None:
    assert build.check_python(python) == python


def test_every_text_vba_asks_for_exists_in_both_languages() -> None:
    source = importlib.resources.files("crmbook.addin").joinpath("callbacks.bas").read_text()
    keys = set(re.findall(r'Words\("([\w.]*\w)",', source))
    kinds = set(re.findall(r'AskFile\("(\w+)"', source))
    keys |= {f"{what}.{kind}" for what in ("ask", "filter") for kind in kinds}
    assert keys and kinds == {"template", "register"}
    assert keys - {"sheets"} <= set(texts.TEXTS), keys - set(texts.TEXTS)
    assert (
        texts.sheet_words("nb")
        == "|kunder|kjøp|utsendelser|utvalg|mottakere|kontroll|rapport|innstillinger|lister|logg|"
        "produktkobling|"
    )
