"""Build the crmbook Excel add-in (``.xlam``) on the user's machine (DESIGN decision 2).

The VBA comes from the *installed* xlwings package (its custom-add-in module and the Mac
Dictionary class), so the add-in always calls the xlwings DLL / AppleScript of the Python it
runs; our ribbon callbacks and ribbon XML come from this package. The add-in's config sheet
points xlwings at the interpreter that built it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import re
import sys
from pathlib import Path

from crmbook import __version__
from crmbook.addin import package
from crmbook.addin.project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    document_module,
    from_export,
    vba_project,
)
from crmbook.errors import CrmbookError

#: xlwings reads its settings from the add-in's sheet named PROJECT_NAME + ".conf".
PROJECT_NAME = "crmbook"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
_PROJECT_CONST = re.compile(rb'(Public Const PROJECT_NAME As String = )"[^"\r\n]*"')
_VERSION_CONST = re.compile(rb'Public Const XLWINGS_VERSION As String = "([^"]+)"')


def xlwings_dir() -> Path:
    """The installed xlwings package's folder, found without importing xlwings."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise CrmbookError("xlwings is not installed. Install it with: pip install xlwings")
    return Path(spec.origin).parent


def xlwings_modules() -> list[Module]:
    """xlwings' custom-add-in module (named for crmbook's config) and its Dictionary class."""
    folder = xlwings_dir()
    bas, cls = folder / "xlwings_custom_addin.bas", folder / "addin" / "Dictionary.cls"
    if not bas.is_file() or not cls.is_file():
        raise CrmbookError(
            f"This xlwings ({folder}) ships no custom add-in VBA (xlwings_custom_addin.bas, "
            "addin/Dictionary.cls). Install a current xlwings: pip install -U xlwings"
        )
    source, count = _PROJECT_CONST.subn(rb'\1"' + PROJECT_NAME.encode() + b'"', bas.read_bytes())
    if count != 1:
        raise CrmbookError(f"{bas}: no PROJECT_NAME constant; this xlwings is not supported.")
    return [Module("xlwings", "module", source), from_export("Dictionary", cls.read_bytes())]


def vba_version(module: Module) -> str | None:
    """The XLWINGS_VERSION constant of an xlwings VBA module."""
    found = _VERSION_CONST.search(module.source)
    return found.group(1).decode() if found else None


def callbacks_module() -> Module:
    """Our ribbon callbacks, with CRLF line ends as the VBA editor keeps them."""
    text = importlib.resources.files("crmbook.addin").joinpath("callbacks.bas").read_bytes()
    return from_export("CrmRibbon", text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def ribbon_xml() -> bytes:
    """The customUI XML of the CRM tab."""
    return importlib.resources.files("crmbook.addin").joinpath("ribbon.xml").read_bytes()


def addin_modules() -> list[Module]:
    """Every module of the add-in's VBA project, in project order."""
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module("Sheet1", WORKSHEET_BASE),
        *xlwings_modules(),
        callbacks_module(),
    ]


def config_rows(python: str, xlwings_version: str) -> list[list[str]]:
    """The add-in's xlwings settings: this interpreter on both platforms, and what built it.

    ADD_WORKBOOK_TO_PYTHONPATH is off so that a file next to the register cannot shadow
    crmbook; the CRMBOOK_* rows are for ``crmbook addin status`` (xlwings ignores them).
    """
    return [
        ["INTERPRETER_WIN", python],
        ["INTERPRETER_MAC", python],
        ["ADD_WORKBOOK_TO_PYTHONPATH", "false"],
        ["CRMBOOK_VERSION", __version__],
        ["CRMBOOK_XLWINGS_VERSION", xlwings_version],
    ]


def build_addin(out: str | Path, python: str = sys.executable) -> Path:
    """Write the add-in to ``out``; the same inputs always give the same bytes."""
    out = Path(out)
    modules = addin_modules()
    version = vba_version(next(m for m in modules if m.name == "xlwings"))
    installed = importlib.metadata.version("xlwings")
    if version != installed:
        raise CrmbookError(
            f"xlwings' VBA says version {version} but xlwings {installed} is installed; "
            "reinstall xlwings: pip install --force-reinstall xlwings"
        )
    parts = package.workbook_parts(
        package.XLAM,
        vba_project(modules),
        CONFIG_SHEET,
        config_rows(python, installed),
        ribbon=ribbon_xml(),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    package.write_zip(out, parts)
    return out
