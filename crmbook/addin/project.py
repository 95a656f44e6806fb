"""A VBA project (``vbaProject.bin``) from module sources, per MS-OVBA (DESIGN decision 2).

Office compiles the project from source on load: the ``_VBA_PROJECT`` stream is the 7-byte form
with version 0xFFFF (no performance cache) and every module's source starts at offset 0 of its
stream. No references are listed: the callbacks and the xlwings module bind late.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from crmbook.addin import ovba
from crmbook.addin.cfb import write_cfb
from crmbook.errors import CrmbookError

CODEPAGE = 1252
PROJECT_ID = "{5C0B3E7A-4D1F-4C55-9E0A-C5B00C2A1D01}"  # fixed: reproducible builds
_SEED = 0x5D
_VBA_PROJECT = b"\xcc\x61\xff\xff\x00\x00\x00"
_VISIBLE = b"\xff"  # ProjectVisibilityState: the project is shown in the VBE
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"

WORKBOOK_BASE = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = b"{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

Kind = Literal["module", "class", "document"]


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind and source bytes (code page 1252, CRLF lines).

    The source is stored as given, ``Attribute`` lines included; ``from_export`` turns a VBE
    export (.bas, .cls) into the form Excel stores.
    """

    name: str
    kind: Kind
    source: bytes


def from_export(name: str, text: bytes) -> Module:
    """A module from a VBE export (.bas or .cls), stored as Excel itself stores it.

    A class loses its ``VERSION``/``BEGIN … END`` header and gains the attributes Excel adds
    on import (the class base, not template-derived, not customizable).
    """
    if not text.startswith(b"VERSION 1.0 CLASS"):
        return Module(name, "module", text)
    end = text.index(b"\r\nEND\r\n") + len(b"\r\nEND\r\n")
    lines = text[end:].split(b"\r\n")
    lines.insert(_attribute(lines, b"VB_Name") + 1, b'Attribute VB_Base = "0' + CLASS_BASE + b'"')
    at = _attribute(lines, b"VB_Exposed") + 1
    lines[at:at] = [b"Attribute VB_TemplateDerived = False", b"Attribute VB_Customizable = False"]
    return Module(name, "class", b"\r\n".join(lines))


def _attribute(lines: list[bytes], name: bytes) -> int:
    for i, line in enumerate(lines):
        if line.startswith(b"Attribute " + name + b" "):
            return i
    raise CrmbookError(f"VBA class export without 'Attribute {name.decode()}'")


def document_module(name: str, base: str) -> Module:
    """An empty document module (ThisWorkbook, Sheet1) bound to its Excel object by GUID."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "0{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "\r\n".join(lines).encode("ascii") + b"\r\n")


def vba_project(modules: Sequence[Module], name: str = "VBAProject") -> bytes:
    """The compound file ``vbaProject.bin`` holding ``modules``."""
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": _VBA_PROJECT,
        "dir": ovba.compress(dir_stream(modules, name)),
    }
    for m in modules:
        vba[m.name] = ovba.compress(m.source)
    return write_cfb(
        {"VBA": vba, "PROJECT": project_stream(modules, name), "PROJECTwm": project_wm(modules)}
    )


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODEPAGE}")


def dir_stream(modules: Sequence[Module], name: str) -> bytes:
    """The uncompressed ``dir`` stream (2.3.4.2): project information, no references, modules."""
    out = [
        _record(0x01, struct.pack("<I", 1)),  # SysKind: 32-bit Windows; Office adapts it
        _record(0x02, struct.pack("<I", 0x409)),
        _record(0x14, struct.pack("<I", 0x409)),
        _record(0x03, struct.pack("<H", CODEPAGE)),
        _record(0x04, _mbcs(name)),
        _record(0x05, b""),
        _record(0x40, b""),
        _record(0x06, b""),
        _record(0x3D, b""),
        _record(0x07, struct.pack("<I", 0)),
        _record(0x08, struct.pack("<I", 0)),
        struct.pack("<HIIH", 0x09, 4, 1, 0),  # PROJECTVERSION: its size field is a constant 4
        _record(0x0C, b""),
        _record(0x3C, b""),
        _record(0x0F, struct.pack("<H", len(modules))),
        _record(0x13, struct.pack("<H", 0xFFFF)),
    ]
    out.extend(_module_record(m) for m in modules)
    out.append(_record(0x10, b""))
    return b"".join(out)


def _module_record(m: Module) -> bytes:
    utf16 = m.name.encode("utf-16-le")
    return b"".join(
        [
            _record(0x19, _mbcs(m.name)),
            _record(0x47, utf16),
            _record(0x1A, _mbcs(m.name)),
            _record(0x32, utf16),
            _record(0x1C, b""),
            _record(0x48, b""),
            _record(0x31, struct.pack("<I", 0)),  # MODULEOFFSET: source at the stream's start
            _record(0x1E, struct.pack("<I", 0)),
            _record(0x2C, struct.pack("<H", 0xFFFF)),
            _record(0x21 if m.kind == "module" else 0x22, b""),
            _record(0x2B, b""),
        ]
    )


def project_stream(modules: Sequence[Module], name: str) -> bytes:
    """The PROJECT stream (2.3.1): module list, name, unprotected and visible, workspace."""
    lines = [f'ID="{PROJECT_ID}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        else:
            lines.append(f"{'Module' if m.kind == 'module' else 'Class'}={m.name}")
    lines += [
        f'Name="{name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{ovba.encrypt(bytes(4), PROJECT_ID, _SEED)}"',
        f'DPB="{ovba.encrypt(bytes(1), PROJECT_ID, _SEED)}"',
        f'GC="{ovba.encrypt(_VISIBLE, PROJECT_ID, _SEED)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in modules),
        "",
    ]
    return _mbcs("\r\n".join(lines))


def project_wm(modules: Sequence[Module]) -> bytes:
    """PROJECTwm (2.3.3): each module name in MBCS and UTF-16, then a terminator."""
    parts = [_mbcs(m.name) + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules]
    return b"".join(parts) + b"\0\0"
