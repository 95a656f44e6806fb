"""xlwings' ribbon add-in template: find it, check it holds what crmbook needs, edit its VBA.

The template (``quickstart_addin_ribbon.xlam``, what ``xlwings quickstart NAME --addin --ribbon``
hands every xlwings user) is a VBA project Excel wrote and runs. crmbook changes what xlwings'
own release changes, module sources: the ribbon module's source becomes crmbook's callbacks,
and the xlwings module's PROJECT_NAME constant becomes "crmbook" (so xlwings reads the config
sheet ``crmbook.conf``). pyopenvba does the edit. Two of its habits go beyond that edit and are
undone here, so that every other byte of the project stays the template's: it zeroes
``_VBA_PROJECT``'s last byte (Reserved3, 1 in the template and in the spec's example) and
writes the ``dir`` stream with four bytes after its terminator. The ``dir`` stream written is
the template's own with one change a source edit requires: the edited modules' MODULEOFFSET
becomes 0, because their compiled cache (which would be stale) is dropped and Excel compiles
them from source, as it already does for the xlwings module.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import re
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from crmbook.errors import CrmbookError

TEMPLATE_FILE = "quickstart_addin_ribbon.xlam"
RIBBON_MODULE = "RibbonMyAddin"
XLWINGS_MODULE = "xlwings"
TEMPLATE_SHEET = "_myaddin.conf"
PROJECT_NAME = "crmbook"
VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI.xml"
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
WORKBOOK_PART = "xl/workbook.xml"
PARTS = (VBA_PART, RIBBON_PART, SHEET_PART, STRINGS_PART, WORKBOOK_PART)
#: Streams of the VBA project the edit may change; every other one is the template's.
EDITED_STREAMS = (f"VBA/{RIBBON_MODULE}", f"VBA/{XLWINGS_MODULE}", "VBA/dir")
#: What crmbook's callbacks call in xlwings' module.
XLWINGS_FUNCTIONS = ("RunPython", "GetConfig", "ToPosixPath")

_PROJECT_CONST = re.compile(r'(Public Const PROJECT_NAME As String = )"[^"\r\n]*"')
_VERSION_CONST = re.compile(r'Public Const XLWINGS_VERSION As String = "([^"\r\n]+)"')
_MODULENAME, _MODULEOFFSET, _PROJECTVERSION, _TERMINATOR = 0x0019, 0x0031, 0x0009, 0x0010


class TemplateError(CrmbookError, RuntimeError):
    """The installed xlwings' add-in template lacks what crmbook builds on; nothing was written."""

    exit_code = 1


def xlwings_dir() -> Path:
    """The installed xlwings package's folder, found without importing xlwings."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise TemplateError("xlwings is not installed. Install it with: pip install xlwings")
    return Path(spec.origin).parent


def _refuse(path: Path, what: str) -> TemplateError:
    version = importlib.metadata.version("xlwings")
    return TemplateError(
        f"{path}: xlwings {version}'s add-in template {what}, so crmbook cannot build its add-in "
        "on it; nothing was written. Install an xlwings whose template crmbook supports "
        "(pip install -U xlwings; crmbook was made on 0.37.8) and run the command again."
    )


@dataclass(frozen=True)
class Template:
    """The template's file, its parts and its VBA module sources (checked by ``load``)."""

    path: Path
    parts: dict[str, bytes]
    modules: dict[str, str]

    @property
    def xlwings_version(self) -> str:
        found = _VERSION_CONST.search(self.modules[XLWINGS_MODULE])
        assert found is not None  # checked by load()
        return found.group(1)


def load(path: Path | None = None) -> Template:
    """Read the installed xlwings' template and check it has what the add-in needs."""
    path = path or xlwings_dir() / TEMPLATE_FILE
    if not path.is_file():
        raise _refuse(path, f"{TEMPLATE_FILE} is missing")
    try:
        with zipfile.ZipFile(path) as zf:
            parts = {name: zf.read(name) for name in zf.namelist()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, f"cannot be read ({exc})") from exc
    missing = [p for p in PARTS if p not in parts]
    if missing:
        raise _refuse(path, f"has no {', '.join(missing)}")
    if parts[WORKBOOK_PART].count(f'name="{TEMPLATE_SHEET}"'.encode()) != 1:
        raise _refuse(path, f"has no config sheet {TEMPLATE_SHEET}")
    template = Template(path, parts, _modules(path))
    _check_vba(template)
    return template


def _modules(path: Path) -> dict[str, str]:
    from pyopenvba import ExcelFile, PyOpenVBAError

    try:
        with ExcelFile(path) as wb:
            return {name: wb.get_module(name) for name in wb.module_names()}
    except (PyOpenVBAError, OSError, ValueError, KeyError) as exc:
        raise _refuse(path, f"holds no VBA project pyopenvba can read ({exc})") from exc


def _check_vba(template: Template) -> None:
    path, modules = template.path, template.modules
    for name in (RIBBON_MODULE, XLWINGS_MODULE):
        if name not in modules:
            raise _refuse(path, f"has no VBA module {name}")
    source = modules[XLWINGS_MODULE]
    if len(_PROJECT_CONST.findall(source)) != 1:
        raise _refuse(path, "has no PROJECT_NAME constant in its xlwings module")
    for function in XLWINGS_FUNCTIONS:
        if not re.search(rf"^(Public )?Function {function}\b", source, re.M):
            raise _refuse(path, f"has no {function} function in its xlwings module")
    found = _VERSION_CONST.search(source)
    installed = importlib.metadata.version("xlwings")
    if found is None or found.group(1) != installed:
        version = found.group(1) if found else "no"
        raise _refuse(path, f"says xlwings version {version} (installed: {installed})")


def edit_vba(template: Template, callbacks: str) -> bytes:
    """The template's ``vbaProject.bin`` with our callbacks and crmbook's project name."""
    from pyopenvba import ExcelFile

    xlwings = _PROJECT_CONST.sub(rf'\1"{PROJECT_NAME}"', template.modules[XLWINGS_MODULE])
    with tempfile.TemporaryDirectory(prefix="crmbook-addin-") as tmp:
        work = Path(tmp) / "addin.xlam"
        work.write_bytes(template.path.read_bytes())
        with ExcelFile(work) as wb:
            wb.set_module(RIBBON_MODULE, callbacks)
            wb.set_module(XLWINGS_MODULE, xlwings)
            wb.save()
        with zipfile.ZipFile(work) as zf:
            edited = zf.read(VBA_PART)
    return _as_template(template, edited)


def _as_template(template: Template, edited: bytes) -> bytes:
    """The edited project with the template's ``_VBA_PROJECT`` and ``dir`` (offsets updated)."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    before, after = CFB.from_bytes(template.parts[VBA_PART]), CFB.from_bytes(edited)
    old_dir = decompress(before.get_stream_in_storage("VBA", "dir"))
    new_dir = decompress(after.get_stream_in_storage("VBA", "dir"))
    offsets = {name: offset for name, offset in module_offsets(new_dir).items()}
    kept = with_offsets(old_dir, {m: offsets[m] for m in (RIBBON_MODULE, XLWINGS_MODULE)})
    if records(kept) != records(new_dir):
        raise _refuse(template.path, "was edited by pyopenvba beyond the module sources")
    after.write_stream_in_storage("VBA", "dir", compress(kept))
    project = before.get_stream_in_storage("VBA", "_VBA_PROJECT")
    after.write_stream_in_storage("VBA", "_VBA_PROJECT", project)
    result = after.to_bytes()
    changed = set(changed_streams(template.parts[VBA_PART], result))
    if not changed <= set(EDITED_STREAMS):
        raise _refuse(template.path, f"was edited beyond its modules ({sorted(changed)})")
    return result


def records(raw: bytes) -> list[tuple[int, bytes]]:
    """The records of a decompressed ``dir`` stream, up to its terminator: (id, data)."""
    out, pos = [], 0
    while pos + 6 <= len(raw):
        rid, size = struct.unpack_from("<HI", raw, pos)
        size = 6 if rid == _PROJECTVERSION else size  # Reserved (4), then 6 bytes of version
        out.append((rid, raw[pos + 6 : pos + 6 + size]))
        pos += 6 + size
        if rid == _TERMINATOR:
            break
    return out


def module_offsets(raw: bytes) -> dict[str, int]:
    """Module name -> MODULEOFFSET (where its source starts in its stream)."""
    found, name = {}, ""
    for rid, data in records(raw):
        if rid == _MODULENAME:
            name = data.decode("latin-1")
        elif rid == _MODULEOFFSET:
            found[name] = struct.unpack("<I", data)[0]
    return found


def with_offsets(raw: bytes, offsets: dict[str, int]) -> bytes:
    """``raw`` with the MODULEOFFSET of the named modules set; every other byte kept."""
    out, pos, name = bytearray(raw), 0, ""
    while pos + 6 <= len(raw):
        rid, size = struct.unpack_from("<HI", raw, pos)
        size = 6 if rid == _PROJECTVERSION else size
        if rid == _MODULENAME:
            name = raw[pos + 6 : pos + 6 + size].decode("latin-1")
        elif rid == _MODULEOFFSET and name in offsets:
            struct.pack_into("<I", out, pos + 6, offsets[name])
        pos += 6 + size
        if rid == _TERMINATOR:
            break
    return bytes(out)


def streams(vba: bytes) -> dict[str, bytes]:
    """Every stream of a VBA project, by path ("VBA/dir")."""
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(vba)
    found: dict[str, bytes] = {}

    def walk(path: tuple[str, ...]) -> None:
        for name in cfb.list_streams_at(path):
            found["/".join((*path, name))] = cfb.get_stream_at(path, name)
        for storage in cfb.list_storages_at(path):
            walk((*path, storage))

    walk(())
    return found


def changed_streams(before: bytes, after: bytes) -> list[str]:
    """The streams whose bytes differ (or that exist in only one of the projects)."""
    old, new = streams(before), streams(after)
    return sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n))


def zip_parts(data: bytes) -> dict[str, bytes]:
    """Part name -> bytes of an OOXML package held in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}
