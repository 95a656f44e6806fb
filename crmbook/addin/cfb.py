"""A small writer of MS-CFB (compound file, version 3) containers, for ``vbaProject.bin``.

Why our own: a VBA project is a handful of streams in two storages, so the writer needs no
in-place editing, and writing every byte ourselves makes builds reproducible (no timestamps,
no CLSIDs, a fixed order). Streams under 4096 bytes go into the mini stream, the rest into
512-byte sectors; the FAT must fit the header's 109 DIFAT slots (files up to ~6.8 MB).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

from crmbook.errors import CrmbookError

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_PER_SECTOR = SECTOR // 4
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1

Tree = Mapping[str, "bytes | Tree"]
"""A storage: child name -> stream bytes, or a nested storage."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def write_cfb(tree: Tree) -> bytes:
    """The compound file holding ``tree`` (the root storage's children)."""
    root = _Entry("Root Entry", _ROOT, children=_entries(tree))
    entries = _flatten(root)
    mini = _MiniStream()
    for e in entries:
        if e.kind == _STREAM and 0 < len(e.data) < MINI_CUTOFF:
            e.start = mini.add(e.data)
    big = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]
    root.data = mini.data
    return _Layout(entries, big, root, mini.fat).bytes()


def _entries(tree: Tree) -> list[_Entry]:
    out = []
    for name, value in tree.items():
        if len(name) > 31 or any(c in name for c in "/\\:!"):
            raise CrmbookError(f"compound file entry name not allowed: {name!r}")
        if isinstance(value, bytes | bytearray):
            out.append(_Entry(name, _STREAM, bytes(value)))
        else:
            out.append(_Entry(name, _STORAGE, children=_entries(value)))
    return out


def _order(name: str) -> tuple[int, str]:
    """MS-CFB's sibling order: shorter names first, then by upper-cased name."""
    return (len(name), name.upper())


def _flatten(root: _Entry) -> list[_Entry]:
    """All entries, root first; each storage's children linked as a balanced red-black tree."""
    entries = [root]
    pending = [root]
    while pending:
        storage = pending.pop(0)
        kids = sorted(storage.children, key=lambda e: _order(e.name))
        base = len(entries)
        entries.extend(kids)
        storage.child = _link(kids, base, 0, len(kids), 0, _depth(len(kids)))
        pending.extend(k for k in kids if k.kind == _STORAGE)
    return entries


def _depth(n: int) -> int:
    """Depth of the deepest level of a balanced tree of n nodes (0 for one node)."""
    return max(n.bit_length() - 1, 0)


def _link(kids: list[_Entry], base: int, lo: int, hi: int, depth: int, deepest: int) -> int:
    """Link kids[lo:hi] under their middle one; the deepest level is red, all others black.

    Every level above the deepest is full, so each path to a leaf meets the same number of
    black nodes: a valid red-black tree, as MS-CFB asks.
    """
    if lo >= hi:
        return NOSTREAM
    mid = (lo + hi) // 2
    node = kids[mid]
    node.color = _RED if depth == deepest and depth > 0 else _BLACK
    node.left = _link(kids, base, lo, mid, depth + 1, deepest)
    node.right = _link(kids, base, mid + 1, hi, depth + 1, deepest)
    return base + mid


class _MiniStream:
    """Small streams packed in 64-byte mini sectors, with their mini FAT."""

    def __init__(self) -> None:
        self.data = b""
        self.fat: list[int] = []

    def add(self, data: bytes) -> int:
        start = len(self.fat)
        count = -(-len(data) // MINI_SECTOR)
        self.fat.extend(range(start + 1, start + count))
        self.fat.append(ENDOFCHAIN)
        self.data += data.ljust(count * MINI_SECTOR, b"\0")
        return start


def _sectors(size: int) -> int:
    return -(-size // SECTOR)


class _Layout:
    """Sector order: FAT, directory, mini FAT, mini stream, then each large stream."""

    def __init__(
        self, entries: list[_Entry], big: list[_Entry], root: _Entry, minifat: list[int]
    ) -> None:
        self.parts = [
            _sectors(len(entries) * 128),
            _sectors(len(minifat) * 4),
            _sectors(len(root.data)),
            *(_sectors(len(e.data)) for e in big),
        ]
        used = sum(self.parts)
        self.fat_sectors = 1
        while self.fat_sectors * _PER_SECTOR < used + self.fat_sectors:
            self.fat_sectors += 1
        if self.fat_sectors > 109:
            raise CrmbookError("VBA project too large for this compound-file writer (> 6.8 MB)")
        starts = []
        at = self.fat_sectors
        for n in self.parts:
            starts.append(at if n else ENDOFCHAIN)
            at += n
        self.dir_start, self.minifat_start, root.start = starts[:3]
        for e, s in zip(big, starts[3:], strict=True):
            e.start = s
        self.body = [
            _directory(entries),
            _u32(minifat),
            root.data,
            *(e.data for e in big),
        ]

    def fat(self) -> bytes:
        table = [FATSECT] * self.fat_sectors
        for n in self.parts:
            if n:
                first = len(table)
                table.extend(range(first + 1, first + n))
                table.append(ENDOFCHAIN)
        table.extend([FREESECT] * (self.fat_sectors * _PER_SECTOR - len(table)))
        return _u32(table)

    def header(self) -> bytes:
        difat = list(range(self.fat_sectors)) + [FREESECT] * (109 - self.fat_sectors)
        return (
            _MAGIC
            + bytes(16)
            + struct.pack("<HHHHH6xIII", 0x3E, 3, 0xFFFE, 9, 6, 0, self.fat_sectors, self.dir_start)
            + struct.pack("<IIII", 0, MINI_CUTOFF, self.minifat_start, self.parts[1])
            + struct.pack("<II", ENDOFCHAIN, 0)
            + _u32(difat)
        )

    def bytes(self) -> bytes:
        out = [self.header(), self.fat()]
        out.extend(part.ljust(_sectors(len(part)) * SECTOR, b"\0") for part in self.body)
        return b"".join(out)


def _u32(values: list[int]) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def _directory(entries: list[_Entry]) -> bytes:
    raw = b"".join(_dir_entry(e) for e in entries)
    unused = struct.pack("<64sHBBIII", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM).ljust(128, b"\0")
    return raw + unused * ((-len(entries)) % (SECTOR // 128))


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    size = len(e.data) if e.kind != _STORAGE else 0
    start = e.start if size else (ENDOFCHAIN if e.kind != _STORAGE else 0)
    return struct.pack(
        "<64sHBBIII16sI8s8sIQ",
        name,
        len(name),
        e.kind,
        e.color,
        e.left,
        e.right,
        e.child,
        bytes(16),
        0,
        bytes(8),
        bytes(8),
        start,
        size,
    )
