"""Build the crmbook Excel add-in (``.xlam``) on the installed xlwings' template (DESIGN 2).

The add-in is xlwings' own ribbon add-in template with five parts changed: the VBA project
(our callbacks as the ribbon module's source, crmbook's project name; see ``template``), the
ribbon (``customUI/customUI.xml``: our tab), and the config sheet xlwings reads its settings
from (its name in ``xl/workbook.xml``, its cells and their strings). Every other zip member is
copied as its compressed bytes, so the rest of the file is the template's, byte for byte; the
same template, Python path and crmbook version always give the same bytes.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from xml.etree import ElementTree

from lxml import etree

from crmbook import __version__
from crmbook.addin import template as tpl
from crmbook.addin import texts
from crmbook.errors import UsageError
from crmbook.zipraw import Member, ZipWriter, read_members

CONFIG_SHEET = f"{tpl.PROJECT_NAME}.conf"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{_MAIN}}}"
Setting = tuple[str, str | bool]


def callbacks_source() -> str:
    """The ribbon module's VBA: callbacks.bas and the generated ``Words`` function, CRLF."""
    text = importlib.resources.files("crmbook.addin").joinpath("callbacks.bas").read_text("ascii")
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text + "\r\n" + texts.vba_function()


def ribbon_xml() -> bytes:
    """The customUI XML of the CRM tab."""
    return importlib.resources.files("crmbook.addin").joinpath("ribbon.xml").read_bytes()


def check_python(python: str) -> str:
    """The interpreter path for the add-in: a full path (Windows or POSIX), or one starting
    with an environment variable (``%LOCALAPPDATA%\\…``, which xlwings expands)."""
    given = python.strip()
    if not given or any(ch in given for ch in '"|\r\n'):
        raise UsageError(f"{python!r} is not a path to a Python interpreter.")
    absolute = PureWindowsPath(given).is_absolute() or PurePosixPath(given).is_absolute()
    if not (absolute or given.startswith(("%", "$"))):
        raise UsageError(
            f"{given}: give the full path of the Python that has crmbook (for example "
            r"C:\Program Files\Python312\python.exe or /opt/crmbook/bin/python)."
        )
    return given


def config_rows(python: str, xlwings_version: str) -> list[Setting]:
    """The add-in's xlwings settings, in the template's rows and order, and what built it.

    ADD_WORKBOOK_TO_PYTHONPATH is off so that a file next to the register cannot shadow
    crmbook; the CRMBOOK_* rows are for ``crmbook addin status`` and the VBA's Python check
    (xlwings ignores them).
    """
    return [
        ("Interpreter_Win", python),
        ("Interpreter_Mac", python),
        ("PYTHONPATH", ""),
        ("Conda Path", ""),
        ("Conda Env", ""),
        ("UDF Modules", ""),
        ("Debug UDFs", False),
        ("Use UDF Server", False),
        ("Show Console", False),
        ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
        ("CRMBOOK_VERSION", __version__),
        ("CRMBOOK_XLWINGS_VERSION", xlwings_version),
    ]


def config_parts(sheet_xml: bytes, rows: Sequence[Setting]) -> tuple[bytes, bytes]:
    """The template's config sheet with our rows (its layout and styles kept), and the shared
    strings those rows use."""
    strings: list[str] = []

    def shared(text: str) -> str:
        if text not in strings:
            strings.append(text)
        return str(strings.index(text))

    root = etree.fromstring(sheet_xml)
    dimension = root.find(f"{_M}dimension")
    if dimension is not None:
        dimension.set("ref", f"A1:B{len(rows)}")
    data = root.find(f"{_M}sheetData")
    assert data is not None  # the template's sheet has one (checked by the structural test)
    data[:] = []
    for r, (key, value) in enumerate(rows, start=1):
        row = etree.SubElement(data, f"{_M}row", r=str(r), spans="1:2")
        _cell(row, f"A{r}", "s", shared(key))
        if isinstance(value, bool):
            _cell(row, f"B{r}", "b", "1" if value else "0")
        elif value:
            _cell(row, f"B{r}", "s", shared(value))
    sst = etree.Element(f"{_M}sst", nsmap={None: _MAIN})
    sst.set("count", str(sum(1 + (isinstance(v, str) and v != "") for _, v in rows)))
    sst.set("uniqueCount", str(len(strings)))
    for text in strings:
        etree.SubElement(etree.SubElement(sst, f"{_M}si"), f"{_M}t").text = text
    return _xml(root), _xml(sst)


def _cell(row: etree._Element, ref: str, kind: str, value: str) -> None:
    cell = etree.SubElement(row, f"{_M}c", r=ref, s="1", t=kind)
    etree.SubElement(cell, f"{_M}v").text = value


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def addin_parts(template: tpl.Template, python: str) -> dict[str, bytes]:
    """The parts that differ from the template's, by name."""
    sheet, strings = config_parts(
        template.parts[tpl.SHEET_PART], config_rows(python, template.xlwings_version)
    )
    old, new = f'name="{tpl.TEMPLATE_SHEET}"', f'name="{CONFIG_SHEET}"'
    return {
        tpl.VBA_PART: tpl.edit_vba(template, callbacks_source()),
        tpl.RIBBON_PART: ribbon_xml(),
        tpl.WORKBOOK_PART: template.parts[tpl.WORKBOOK_PART].replace(old.encode(), new.encode()),
        tpl.SHEET_PART: sheet,
        tpl.STRINGS_PART: strings,
    }


def build_addin(
    out: str | Path, python: str = sys.executable, template_path: Path | None = None
) -> Path:
    """Write the add-in to ``out``, set to run ``python``; nothing is written on a refusal."""
    out = Path(out)
    template = tpl.load(template_path)
    changed = addin_parts(template, check_python(python))
    members = [
        Member.deflated(m.name, changed[m.name]) if m.name in changed else m
        for m in read_members(template.path)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".crmbook-", suffix=".xlam", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer = ZipWriter(fh)
            for member in members:
                writer.add(member)
            writer.close()
        os.replace(temp, out)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return out


def read_settings(path: Path) -> dict[str, str]:
    """The settings of a crmbook add-in's config sheet (column A -> column B, as text)."""
    import zipfile

    ns = {"m": _MAIN}
    with zipfile.ZipFile(path) as zf:
        sheet = ElementTree.fromstring(zf.read(tpl.SHEET_PART))
        sst = ElementTree.fromstring(zf.read(tpl.STRINGS_PART))
    strings = ["".join(si.itertext()) for si in sst.iterfind("m:si", ns)]
    settings = {}
    for row in sheet.iterfind(".//m:row", ns):
        values = []
        for cell in row.iterfind("m:c", ns):
            v = cell.findtext("m:v", "", ns)
            kind = cell.get("t")
            values.append(strings[int(v)] if kind == "s" else {"1": "TRUE", "0": "FALSE"}.get(v, v))
        if len(values) >= 2:
            settings[values[0]] = values[1]
    return settings
