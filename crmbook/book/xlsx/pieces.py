"""A worksheet's XML inflated piece by piece, each piece ending after a whole cell.

Scans that look at one cell at a time (error cells, formula cells) need no more than one
piece in memory: a 100,000-row sheet is 120 MB of XML, a piece about 1 MB.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

#: Inflated bytes asked for at a time.
PIECE = 1 << 20


def cell_pieces(zf: zipfile.ZipFile, member: str, size: int = PIECE) -> Iterator[bytes]:
    """The member's bytes in pieces that each end after a closing ``</c>`` (``</x:c>``), the
    last one with whatever follows the last cell; joined, they are the member's bytes."""
    carry = b""
    with zf.open(member) as stream:
        while chunk := stream.read(size):
            data = carry + chunk
            cut = _after_last_cell(data)
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _after_last_cell(data: bytes) -> int:
    """The position after the last closing cell tag in ``data`` (0 when there is none)."""
    at = data.rfind(b"c>")
    while at > 0:
        opening = data.rfind(b"<", 0, at)
        name = data[opening + 2 : at + 1]
        closing = opening >= 0 and data[opening + 1 : opening + 2] == b"/"
        if closing and (name == b"c" or name.endswith(b":c")):
            return at + 2
        at = data.rfind(b"c>", 0, at)
    return 0
