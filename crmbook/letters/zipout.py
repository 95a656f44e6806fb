"""Write .docx zips fast: the template's unchanged members are copied as their compressed bytes.

A letter differs from its template in one or two XML parts. ``zipfile`` would decompress and
recompress every member (styles, fonts, the logo) for every letter; here those members are read
once, laid out once as one block of bytes at the start of the file, and each letter only deflates
its own parts and writes a central directory. Zip64 is not needed for letters and is refused.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF
_UTF8 = 0x800
_DOS_1980 = (0, 33)  # time 00:00:00, date 1980-01-01, as Word writes


class ZipLimitError(ValueError):
    """The letter would need Zip64 (over 4 GB), which Word documents never need."""


@dataclass(frozen=True)
class Member:
    """One zip member as stored: its name, CRC, sizes, method, time and compressed bytes."""

    name: str
    crc: int
    size: int
    method: int
    dos_time: tuple[int, int]
    data: bytes

    def content(self) -> bytes:
        """The member's uncompressed bytes."""
        return self.data if self.method == zipfile.ZIP_STORED else zlib.decompress(self.data, -15)

    @classmethod
    def deflated(cls, name: str, content: bytes, level: int = 6) -> Member:
        """A new member holding ``content``, deflated."""
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = packer.compress(content) + packer.flush()
        return cls(name, zlib.crc32(content), len(content), zipfile.ZIP_DEFLATED, _DOS_1980, data)


def read_members(path: Path) -> list[Member]:
    """Every member of a zip, in order, with its compressed bytes (read once per template)."""
    members = []
    with zipfile.ZipFile(path) as archive, open(path, "rb") as raw:
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                raise zipfile.BadZipFile(f"{info.filename}: encrypted members are not supported")
            raw.seek(info.header_offset)
            fields = _LOCAL.unpack(raw.read(_LOCAL.size))
            raw.seek(fields[-2] + fields[-1], 1)
            year, month, day, hour, minute, second = info.date_time
            dos = (
                (hour << 11) | (minute << 5) | (second // 2),
                ((max(year, 1980) - 1980) << 9) | (month << 5) | day,
            )
            data = raw.read(info.compress_size)
            members.append(
                Member(info.filename, info.CRC, info.file_size, info.compress_type, dos, data)
            )
    return members


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8


def _local(m: Member, csize: int) -> bytes:
    name, flags = _name(m.name)
    fields = (m.method, *m.dos_time, m.crc, csize, m.size, len(name), 0)
    return _LOCAL.pack(b"PK\x03\x04", 20, flags, *fields) + name


def _central(m: Member, offset: int, csize: int | None = None) -> bytes:
    name, flags = _name(m.name)
    sizes = (len(m.data) if csize is None else csize, m.size)
    fields = (m.method, *m.dos_time, m.crc, *sizes, len(name), 0, 0, 0, 0, 0, offset)
    return _CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, *fields) + name


class ZipPlan:
    """The fixed members of a batch laid out once; each letter adds its own members after them."""

    def __init__(self, fixed: Sequence[Member]) -> None:
        head, central, offset = [], [], 0
        for m in fixed:
            local = _local(m, len(m.data))
            central.append(_central(m, offset))
            head += [local, m.data]
            offset += len(local) + len(m.data)
        self._head = b"".join(head)
        self._central = b"".join(central)
        self._count = len(fixed)

    def write(self, out: BinaryIO, members: Iterable[Member]) -> None:
        """The fixed members, then ``members``, then the central directory, in one write."""
        chunks, offset, central = [self._head], len(self._head), [self._central]
        for m in members:
            local = _local(m, len(m.data))
            chunks += [local, m.data]
            central.append(_central(m, offset))
            offset += len(local) + len(m.data)
        chunks += [*central, self._end(offset, sum(map(len, central)), len(central) - 1)]
        out.write(b"".join(chunks))

    def write_streamed(self, out: BinaryIO, name: str, chunks: Iterable[str]) -> None:
        """The fixed members, then one member deflated from text chunks as they come (the
        combined print file: its document never sits in memory whole). ``out`` must be a new,
        seekable file.
        """
        out.write(self._head)
        start = out.tell()
        stub = Member(name, 0, 0, zipfile.ZIP_DEFLATED, _DOS_1980, b"")
        out.write(_local(stub, 0))
        crc = size = csize = 0
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        for chunk in chunks:
            raw = chunk.encode("utf-8")
            crc, size = zlib.crc32(raw, crc), size + len(raw)
            packed = packer.compress(raw)
            csize += len(packed)
            out.write(packed)
        packed = packer.flush()
        out.write(packed)
        csize += len(packed)
        end = out.tell()
        if max(size, csize, end) > _LIMIT:
            raise ZipLimitError(f"{name} is larger than 4 GB")
        done = Member(name, crc, size, zipfile.ZIP_DEFLATED, _DOS_1980, b"")
        out.seek(start)
        out.write(_local(done, csize))
        out.seek(end)
        central = self._central + _central(done, start, csize)
        out.write(central + self._end(end, len(central), 1))

    def _end(self, cd_start: int, cd_size: int, added: int) -> bytes:
        count = self._count + added
        if cd_start > _LIMIT or count > 0xFFFF:
            raise ZipLimitError("the letter is larger than a plain zip file allows")
        return _END.pack(b"PK\x05\x06", 0, 0, count, count, cd_size, cd_start, 0)
