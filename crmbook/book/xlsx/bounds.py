"""How far a worksheet's real data reaches, so one stray cell far away costs nothing.

python-calamine builds a dense grid from A1 to the last cell of a sheet: a stray value at
XFD1048576 asks for 512 GB, one at Z1048576 for a million empty rows. A sheet whose extent (its
``<dimension>``, or for a small part the cells themselves) is far larger than its XML could fill
is read from a trimmed copy instead: the columns up to the last header in row 1, the rows up to
the last one with a value under a header. Everything else is left where it is in the file.
"""

from __future__ import annotations

import re
import zipfile

from crmbook.book.xlsx.sheet import MAX_COLUMNS, Worksheet, split_ref

#: A trimmed sheet larger than this is refused (1,048,576 rows × 60 columns).
MAX_READ_CELLS = 64_000_000
#: A grid this size is read as it is, whatever its XML holds (100,000 × 25 is 2.5 million).
_DENSE_CELLS = 4_000_000
#: Fewer bytes of XML per cell of the grid than this means most of the grid is empty.
_BYTES_PER_CELL = 8
#: Parts up to this size are scanned for their true extent (a <dimension> can be missing or old).
_SCAN_BYTES = 256 * 1024
_HEAD_BYTES = 4096
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="([^"]*)"')
_CELL_REF = re.compile(rb'<(?:[\w.-]+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')


def is_sparse(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether a worksheet's grid is mostly empty space that a dense read would fill."""
    info = zf.getinfo(member)
    if info.file_size <= _SCAN_BYTES:
        extent = _scanned(zf.read(info))
    else:
        with zf.open(info) as f:
            extent = _declared(f.read(_HEAD_BYTES))
    if extent is None:
        return False
    cells = extent[0] * extent[1]
    return cells > _DENSE_CELLS and cells * _BYTES_PER_CELL > info.file_size


def _declared(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) of the sheet's <dimension>, from the start of its XML."""
    match = _DIMENSION.search(head)
    if match is None:
        return None
    end = match.group(1).decode("ascii", "replace").rpartition(":")[2]
    try:
        row, col = split_ref(end)
    except ValueError:
        return None
    return row, col + 1


def _scanned(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) reached by the cells of a (small) sheet's XML."""
    rows = cols = 0
    for letters, number in _CELL_REF.findall(data):
        rows = max(rows, int(number))
        cols = max(cols, _column(letters) + 1)
    return (rows, cols) if rows else None


def trim(data: bytes) -> tuple[bytes, int, int]:
    """The sheet's XML with only its real data; also the last real row and column (0-based).

    The last column is the last header in row 1 (within ``MAX_COLUMNS``); the last row is the
    last one with a value (or formula) in a column up to it.
    """
    sheet = Worksheet(data)
    last_col = sheet.header_extent(MAX_COLUMNS)
    last_row = sheet.last_data_row(last_col)
    for number in sheet.rows():
        if number > last_row:
            sheet.remove_row(number)
        else:
            sheet.drop_cells_right_of(number, last_col)
    return b"".join(sheet.chunks()), last_row, last_col


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1
