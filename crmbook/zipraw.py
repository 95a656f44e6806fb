"""Raw zip members: copy a member as its compressed bytes and deflate only the new ones.

``zipfile`` can copy a member only by decompressing and recompressing it. Here a member is carried
as it is stored (CRC, sizes, method, compressed bytes), so the untouched sheets of a workbook and
the unchanged parts of a letter template are copied as they are, and only new members are
deflated. Local headers, the central directory and the end record are written here. Zip64 (a
member, an offset or the directory over 4 GB, or over 65,535 members) is refused: workbooks and
letters never need it. Standard library only: a caller may hand in another codec with zlib's
interface (ISA-L's ``isal_zlib``) for large members.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import BinaryIO

LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
LIMIT = 0xFFFFFFFF
MAX_MEMBERS = 0xFFFF
ENCRYPTED = 0x1
UTF8 = 0x800
#: Only these flag bits describe the data itself (bits 1–2: deflate level, bit 11: UTF-8 name).
KEPT_FLAGS = 0x806
#: Version 2.0 (deflate), made on MS-DOS, as Excel and Word write.
VERSION = 20
#: 1980-01-01 00:00:00 as DOS (time, date): what Excel and Word write for every part.
DOS_1980 = (0, 33)
_CHUNK = 1 << 20


class ZipRawError(ValueError):
    """A zip cannot be copied or written member by member: encrypted, Zip64 or cut short."""


@dataclass(frozen=True)
class Member:
    """One zip member as stored: name, CRC, sizes, method, DOS time and compressed bytes."""

    name: str
    crc: int
    size: int
    method: int
    dos_time: tuple[int, int] = DOS_1980
    data: bytes = b""
    flags: int = 0
    made_by: int = VERSION
    external_attr: int = 0

    def content(self) -> bytes:
        """The member's uncompressed bytes."""
        return self.data if self.method == zipfile.ZIP_STORED else zlib.decompress(self.data, -15)

    @classmethod
    def deflated(cls, name: str, content: bytes, level: int = 6) -> Member:
        """A new member holding ``content``, deflated (in one call: a compressor object costs
        three times as much for a letter's few kilobytes)."""
        data = zlib.compress(content, level, wbits=-15)
        return cls(name, zlib.crc32(content), len(content), zipfile.ZIP_DEFLATED, data=data)

    @classmethod
    def stored(cls, info: zipfile.ZipInfo, data: bytes = b"") -> Member:
        """The member ``info`` describes, as stored (its compressed bytes are ``data``)."""
        return cls(
            info.filename,
            info.CRC,
            info.file_size,
            info.compress_type,
            dos_time(info.date_time),
            data,
            info.flag_bits & KEPT_FLAGS,
            VERSION | info.create_system << 8,
            info.external_attr,
        )


def dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    """``ZipInfo.date_time`` as DOS (time, date); years before 1980 become 1980."""
    year, month, day, hour, minute, second = date_time
    year = max(year, 1980)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def seek_data(fp: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Move ``fp`` (the zip file ``info`` comes from) to the start of the member's compressed
    bytes."""
    if info.flag_bits & ENCRYPTED:
        raise ZipRawError(f"{info.filename}: encrypted zip members are not supported")
    fp.seek(info.header_offset)
    fields = LOCAL.unpack(fp.read(LOCAL.size))
    fp.seek(fields[-2] + fields[-1], 1)  # skip the name and extra field


def read_members(path: str | os.PathLike[str]) -> list[Member]:
    """Every member of a zip file, in order, with its compressed bytes in memory."""
    members = []
    with zipfile.ZipFile(path) as archive:
        fp = archive.fp
        assert fp is not None
        for info in archive.infolist():
            seek_data(fp, info)
            data = fp.read(info.compress_size)
            if len(data) != info.compress_size:
                raise ZipRawError(f"{info.filename}: the zip file ends in the middle of it")
            members.append(Member.stored(info, data))
    return members


def local_header(member: Member, csize: int, offset: int) -> bytes:
    """The local file header (with the name) of ``member`` at ``offset``; Zip64 is refused."""
    if max(csize, member.size, offset) > LIMIT:
        raise ZipRawError(f"{member.name}: a member over 4 GB (Zip64) is not supported")
    name, flags = _name(member)
    fields = (member.method, *member.dos_time, member.crc, csize, member.size, len(name), 0)
    return LOCAL.pack(b"PK\x03\x04", VERSION, flags, *fields) + name


def central_entry(member: Member, csize: int, offset: int) -> bytes:
    """The central directory entry (with the name) of ``member`` whose header is at ``offset``."""
    name, flags = _name(member)
    fields = (member.method, *member.dos_time, member.crc, csize, member.size, len(name))
    tail = (0, 0, 0, 0, member.external_attr, offset)
    return CENTRAL.pack(b"PK\x01\x02", member.made_by, VERSION, flags, *fields, *tail) + name


def end_record(count: int, cd_size: int, cd_start: int) -> bytes:
    """The end of central directory record; Zip64 is refused."""
    if count > MAX_MEMBERS or max(cd_size, cd_start) > LIMIT:
        raise ZipRawError("too large for a plain zip file (Zip64 is not supported)")
    return END.pack(b"PK\x05\x06", 0, 0, count, count, cd_size, cd_start, 0)


def _name(member: Member) -> tuple[bytes, int]:
    flags = member.flags & KEPT_FLAGS
    try:
        return member.name.encode("ascii"), flags & ~UTF8
    except UnicodeEncodeError:
        return member.name.encode("utf-8"), flags | UTF8


@dataclass(frozen=True)
class Block:
    """Members laid out once (local headers and data, and their central entries) to begin any
    number of zips with: a batch of letters shares its template's unchanged members."""

    head: bytes
    central: bytes
    count: int

    @classmethod
    def of(cls, members: Iterable[Member]) -> Block:
        """The block holding ``members``, in order."""
        buffer = io.BytesIO()
        writer = ZipWriter(buffer)
        for member in members:
            writer.add(member)
        return cls(buffer.getvalue(), b"".join(writer._central), writer._count)

    def write(self, out: BinaryIO, members: Sequence[Member]) -> None:
        """A whole zip: this block, then ``members``, then the central directory."""
        writer = ZipWriter(out, self)
        for member in members:
            writer.add(member)
        writer.close()


class ZipWriter:
    """Write a zip member by member (after a ``Block``, if given); ``close`` writes the
    central directory. Offsets count from where ``out`` stood when the writer was made."""

    def __init__(self, out: BinaryIO, start: Block | None = None) -> None:
        self._out = out
        self._central: list[bytes] = []
        self._count = 0
        self._offset = 0
        if start is not None:
            out.write(start.head)
            self._central.append(start.central)
            self._count = start.count
            self._offset = len(start.head)

    def add(self, member: Member) -> None:
        """Add a member whose compressed bytes are in memory."""
        self._header(member, len(member.data))
        self._out.write(member.data)
        self._offset += len(member.data)

    def copy(self, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy ``info``'s compressed bytes from ``source`` unchanged, in chunks, so a large
        member never sits in memory whole."""
        src = source.fp
        assert src is not None
        seek_data(src, info)
        self._header(Member.stored(info), info.compress_size)
        remaining = info.compress_size
        while remaining:
            chunk = src.read(min(remaining, _CHUNK))
            if not chunk:
                raise ZipRawError(f"{info.filename}: the zip file ends in the middle of it")
            self._out.write(chunk)
            remaining -= len(chunk)
        self._offset += info.compress_size

    def deflate(
        self, name: str, chunks: Iterable[bytes], level: int, codec: ModuleType = zlib
    ) -> None:
        """Add a new member deflated from its content as it comes, so it never sits in memory
        whole. ``out`` must be seekable: the local header is written again once the sizes are
        known. ``codec``: zlib or a module with its interface (``compressobj``, ``crc32``)."""
        stream = self.stream(name, level, codec)
        for chunk in chunks:
            stream.write(chunk)
        stream.close()

    def stream(self, name: str, level: int, codec: ModuleType = zlib) -> Deflating:
        """A new member to push content into (``deflate`` pulls it); nothing else may be added
        until the stream is closed."""
        return Deflating(self, name, level, codec)

    def close(self) -> None:
        """Write the central directory and the end record (``out`` stays open)."""
        central = b"".join(self._central)
        self._out.write(central + end_record(self._count, len(central), self._offset))

    def _header(self, member: Member, csize: int) -> None:
        header = local_header(member, csize, self._offset)
        self._central.append(central_entry(member, csize, self._offset))
        self._count += 1
        self._out.write(header)
        self._offset += len(header)


class Deflating:
    """A new member being deflated as its content is written (``ZipWriter.stream``); ``close``
    writes its local header again with the sizes and adds its central entry."""

    def __init__(self, writer: ZipWriter, name: str, level: int, codec: ModuleType = zlib) -> None:
        self._writer, self._name = writer, name
        self._out = writer._out
        self._at, self._offset = self._out.tell(), writer._offset
        self._out.write(local_header(Member(name, 0, 0, zipfile.ZIP_DEFLATED), 0, self._offset))
        self._packer = codec.compressobj(level, zlib.DEFLATED, -15)
        self._crc32 = codec.crc32
        self._crc = self._size = self._csize = 0

    def write(self, chunk: bytes) -> None:
        self._crc, self._size = self._crc32(chunk, self._crc), self._size + len(chunk)
        packed = self._packer.compress(chunk)
        self._csize += len(packed)
        self._out.write(packed)

    def close(self) -> None:
        packed = self._packer.flush()
        self._out.write(packed)
        csize = self._csize + len(packed)
        end = self._out.tell()
        member = Member(self._name, self._crc, self._size, zipfile.ZIP_DEFLATED)
        header = local_header(member, csize, self._offset)
        self._out.seek(self._at)
        self._out.write(header)
        self._out.seek(end)
        writer = self._writer
        writer._central.append(central_entry(member, csize, self._offset))
        writer._count += 1
        writer._offset += len(header) + csize


def inflated(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = _CHUNK, codec: ModuleType = zlib
) -> Iterator[bytes]:
    """A member's content in pieces of at most ``size`` bytes (never whole), inflated by
    ``codec`` (zlib's interface), its size and CRC checked at the end as ``zipfile`` does; a
    method other than stored or deflated is read through ``zipfile``."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with archive.open(info) as stream:
            while chunk := stream.read(size):
                yield chunk
        return
    crc = total = 0
    try:
        for piece in _contents(archive, info, size, codec):
            crc, total = codec.crc32(piece, crc), total + len(piece)
            yield piece
    except codec.error as exc:
        raise ZipRawError(f"{info.filename}: its compressed bytes are damaged ({exc})") from exc
    if crc != info.CRC or total != info.file_size:
        raise ZipRawError(f"{info.filename}: its content does not match its CRC (a damaged file)")


def _contents(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, codec: ModuleType
) -> Iterator[bytes]:
    raw = _stored_bytes(archive, info, size)
    if info.compress_type == zipfile.ZIP_STORED:
        yield from raw
        return
    inflater = codec.decompressobj(-15)
    for chunk in raw:
        while not inflater.eof:
            piece = inflater.decompress(chunk, size)
            if piece:
                yield piece
            chunk = inflater.unconsumed_tail  # zlib keeps back input, ISA-L output
            if not chunk and len(piece) < size:
                break
    if not inflater.eof:
        raise ZipRawError(f"{info.filename}: the zip file ends in the middle of it")


def _stored_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> Iterator[bytes]:
    """A member's bytes as stored, a chunk at a time (the file is sought before each read, so
    another reader of the same archive may come between)."""
    fp = archive.fp
    assert fp is not None
    seek_data(fp, info)
    at, left = fp.tell(), info.compress_size
    while left:
        fp.seek(at)
        chunk = fp.read(min(left, size))
        if not chunk:
            raise ZipRawError(f"{info.filename}: the zip file ends in the middle of it")
        at, left = at + len(chunk), left - len(chunk)
        yield chunk
