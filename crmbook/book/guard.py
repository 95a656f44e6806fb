"""Refuse files that are not a workbook crmbook can read safely, before any reader touches them.

A password-protected workbook is not a zip at all but an OLE compound file holding the encrypted
package (an ``EncryptionInfo`` stream beside ``EncryptedPackage``); an old .xls is a compound
file without one. A zip bomb (a 2 MB file whose sharedStrings inflate to 1 GB) is refused from
the sizes the zip's directory declares, and parts that claim an unusual compression ratio are
inflated once, bounded, to prove the claim, before python-calamine reads them without limits.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from crmbook.errors import BookReadError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
#: No part of a register comes near this (1,048,576 rows × 25 columns is about 1 GB of XML).
MAX_PART = 1_500_000_000
#: Nor does the whole package.
MAX_TOTAL = 3_000_000_000
#: Spreadsheet XML deflates 5-20 times; a part claiming more than this over ``_RATIO_FROM``
#: bytes is a bomb.
MAX_RATIO = 150
_RATIO_FROM = 16 * 1024 * 1024
#: Parts claiming a ratio above this are inflated once, bounded, to check the claim.
_CHECK_RATIO = 25
_CHUNK = 1 << 20


def check_file(path: Path) -> None:
    """Raise BookReadError (exit 2) naming what the file is, when it is not a safe .xlsx."""
    with path.open("rb") as f:
        magic = f.read(len(_OLE_MAGIC))
    if magic == _OLE_MAGIC:
        raise BookReadError(_ole_message(path))
    if not zipfile.is_zipfile(path):
        raise BookReadError(
            f"{path}: not an .xlsx workbook. Save it from Excel as 'Excel Workbook (*.xlsx)'."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            check_sizes(path, zf)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BookReadError(f"{path}: the workbook file is damaged ({exc}).") from exc


def _ole_message(path: Path) -> str:
    if _ENCRYPTION_INFO in path.read_bytes():
        return (
            f"{path}: the workbook is password-protected (encrypted), so crmbook cannot read it. "
            "In Excel, open it and remove the password (File > Info > Protect Workbook > "
            "Encrypt with Password, clear it), save, and run the command again."
        )
    return (
        f"{path}: an old Excel 97-2003 workbook (.xls), not an .xlsx. Open it in Excel and save "
        "it as 'Excel Workbook (*.xlsx)'."
    )


def check_sizes(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a package whose parts would inflate beyond what any register needs."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_PART
            or total > MAX_TOTAL
            or (info.file_size > _RATIO_FROM and ratio > MAX_RATIO)
        ):
            raise BookReadError(_bomb(path, info.filename, info.file_size))
        if ratio > _CHECK_RATIO and info.compress_type == zipfile.ZIP_DEFLATED:
            _check_inflation(path, info)


def _check_inflation(path: Path, info: zipfile.ZipInfo) -> None:
    """Inflate a part, never more than it declares, to prove the directory tells the truth."""
    inflater = zlib.decompressobj(-15)
    produced = 0
    with path.open("rb") as f:
        f.seek(info.header_offset + 26)
        name_len, extra_len = (int.from_bytes(f.read(2), "little") for _ in range(2))
        f.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        while left > 0 and not inflater.eof:
            block = f.read(min(_CHUNK, left))
            if not block:
                break
            left -= len(block)
            data = inflater.decompress(block, info.file_size + 1 - produced)
            produced += len(data)
            while inflater.unconsumed_tail and produced <= info.file_size:
                data = inflater.decompress(inflater.unconsumed_tail, info.file_size + 1 - produced)
                produced += len(data)
            if produced > info.file_size:
                raise BookReadError(_bomb(path, info.filename, produced, lied=True))


def _bomb(path: Path, part: str, size: int, *, lied: bool = False) -> str:
    claim = "inflates beyond the size it declares" if lied else f"inflates to {size:,} bytes"
    return (
        f"{path}: refused: the part '{part}' {claim}, far more than any workbook needs "
        "(a damaged file or a 'zip bomb'). Nothing was read. Open the file in Excel and save "
        "it again, or restore a backup."
    )
