"""The raw zip layer: members copied as their compressed bytes, new ones deflated, Zip64 refused."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from isal import isal_zlib

from crmbook.zipraw import Block, Member, ZipRawError, ZipWriter, inflated, read_members

#: zlib and ISA-L (what the workbook package hands in): the same deflate format.
CODECS = [zlib, isal_zlib]

TEXT = b"<row>" + b"Ola Nordmann, Bergen; " * 2000 + b"</row>"


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "source.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xml", TEXT, zipfile.ZIP_DEFLATED, compresslevel=9)
        archive.writestr("stored.bin", bytes(range(256)), zipfile.ZIP_STORED)
        archive.writestr("æøå/ø.xml", "<blåbær/>".encode(), zipfile.ZIP_DEFLATED)
    return path


def _raw(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
        archive.fp.seek(info.header_offset + 30 + len(info.orig_filename.encode()))
        return archive.fp.read(info.compress_size)


def _check(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def test_copy_keeps_crc_sizes_and_bytes_and_deflates_new_members(tmp_path: Path) -> None:
    path = _source(tmp_path)
    out = io.BytesIO()
    writer = ZipWriter(out)
    with zipfile.ZipFile(path) as source:
        for info in source.infolist():
            writer.copy(source, info)
    writer.deflate("new/ny.xml", [b"<a>", "blåbær".encode(), b"</a>"], 3)
    writer.add(Member.deflated("new/other.xml", TEXT))
    writer.close()
    copy = tmp_path / "copy.zip"
    copy.write_bytes(out.getvalue())

    archive = _check(out.getvalue())
    with zipfile.ZipFile(path) as source:
        for old in source.infolist():
            new = archive.getinfo(old.filename)
            assert (new.CRC, new.file_size, new.compress_size, new.compress_type) == (
                old.CRC,
                old.file_size,
                old.compress_size,
                old.compress_type,
            )
            assert _raw(copy, old.filename) == _raw(path, old.filename)
    assert archive.read("new/ny.xml") == "<a>blåbær</a>".encode()
    assert archive.getinfo("new/other.xml").compress_type == zipfile.ZIP_DEFLATED
    assert archive.read("new/other.xml") == TEXT
    assert archive.getinfo("new/other.xml").compress_size < len(TEXT) // 10


def test_utf8_names_carry_the_utf8_flag_and_ascii_names_do_not(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    writer.add(Member.deflated("blåbær.xml", b"x"))
    writer.add(Member.deflated("plain.xml", b"y"))
    writer.close()
    archive = _check(out.getvalue())
    assert archive.namelist() == ["blåbær.xml", "plain.xml"]
    assert archive.getinfo("blåbær.xml").flag_bits & 0x800
    assert not archive.getinfo("plain.xml").flag_bits & 0x800


def test_read_members_then_a_block_makes_many_zips(tmp_path: Path) -> None:
    members = read_members(_source(tmp_path))
    assert [m.name for m in members] == ["a.xml", "stored.bin", "æøå/ø.xml"]
    assert members[0].content() == TEXT
    assert members[1].content() == bytes(range(256))
    block = Block.of(members[:2])
    for i in range(3):
        out = io.BytesIO()
        block.write(out, [members[2], Member.deflated(f"letter{i}.xml", b"<l/>" * i)])
        archive = _check(out.getvalue())
        assert archive.namelist() == ["a.xml", "stored.bin", "æøå/ø.xml", f"letter{i}.xml"]
        assert archive.read("a.xml") == TEXT
        assert archive.read(f"letter{i}.xml") == b"<l/>" * i


def test_streamed_member_after_a_block(tmp_path: Path) -> None:
    block = Block.of(read_members(_source(tmp_path)))
    path = tmp_path / "combined.zip"
    with open(path, "wb") as fh:
        writer = ZipWriter(fh, block)
        writer.deflate("word/document.xml", (TEXT for _ in range(50)), 1)
        writer.close()
    archive = _check(path.read_bytes())
    assert archive.read("word/document.xml") == TEXT * 50
    assert archive.read("æøå/ø.xml") == "<blåbær/>".encode()


def test_zip64_sized_members_are_refused() -> None:
    big = Member("big.xml", 0, 0x1_0000_0000, zipfile.ZIP_DEFLATED, data=b"\x03\x00")
    with pytest.raises(ZipRawError, match="Zip64"):
        ZipWriter(io.BytesIO()).add(big)
    info = zipfile.ZipInfo("copied.xml")
    info.CRC, info.compress_size, info.file_size = 0, 0x1_0000_0000, 0x1_0000_0000
    with pytest.raises(ZipRawError, match="Zip64"):
        ZipWriter(io.BytesIO()).add(Member.stored(info))


def test_too_many_members_are_refused() -> None:
    block = Block(b"", b"", 0xFFFF)
    writer = ZipWriter(io.BytesIO(), block)
    writer.add(Member.deflated("one-too-many.xml", b""))
    with pytest.raises(ZipRawError, match="Zip64"):
        writer.close()


def test_encrypted_members_are_refused(tmp_path: Path) -> None:
    path = _source(tmp_path)
    with zipfile.ZipFile(path) as source:
        info = source.infolist()[0]
        info.flag_bits |= 0x1
        with pytest.raises(ZipRawError, match="encrypted"):
            ZipWriter(io.BytesIO()).copy(source, info)


def test_a_source_cut_short_is_refused(tmp_path: Path) -> None:
    path = _source(tmp_path)
    with zipfile.ZipFile(path) as source:
        info = source.getinfo("a.xml")
        info.compress_size = path.stat().st_size
        with pytest.raises(ZipRawError, match="ends in the middle"):
            ZipWriter(io.BytesIO()).copy(source, info)


def test_the_raw_zip_layer_imports_only_the_standard_library() -> None:
    import ast
    import sys

    import crmbook.zipraw as raw

    tree = ast.parse(Path(raw.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names | {"__future__"}, name


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("size", [1, 100, 1 << 20])
def test_inflated_gives_each_member_in_bounded_pieces(tmp_path: Path, codec, size: int) -> None:
    path = _source(tmp_path)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            pieces = list(inflated(archive, info, size, codec))
            assert b"".join(pieces) == archive.read(info)
            assert all(0 < len(p) <= size for p in pieces)


def test_inflated_reads_other_methods_through_zipfile(tmp_path: Path) -> None:
    path = tmp_path / "bz.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("a.xml", TEXT)
    with zipfile.ZipFile(path) as archive:
        assert b"".join(inflated(archive, archive.getinfo("a.xml"), 999)) == TEXT


def _damaged(tmp_path: Path, change) -> zipfile.ZipFile:
    """The source zip with ``a.xml`` changed by ``change(member) -> member``."""
    members = [change(m) if m.name == "a.xml" else m for m in read_members(_source(tmp_path))]
    out = tmp_path / "damaged.zip"
    with out.open("wb") as f:
        writer = ZipWriter(f)
        for member in members:
            writer.add(member)
        writer.close()
    return zipfile.ZipFile(out)


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(
    "change",
    [
        lambda m: replace(m, crc=m.crc ^ 1),  # a wrong CRC
        lambda m: replace(m, size=m.size + 1),  # a wrong size
        lambda m: replace(m, data=m.data[:-9] + bytes(9)),  # the end of the deflate stream broken
        lambda m: replace(m, data=b"\xff" * 8 + m.data[8:]),  # not a deflate stream
    ],
)
def test_inflated_refuses_a_damaged_member(tmp_path: Path, codec, change) -> None:
    with _damaged(tmp_path, change) as archive, pytest.raises(ZipRawError, match=r"a\.xml"):
        list(inflated(archive, archive.getinfo("a.xml"), 1 << 20, codec))


@pytest.mark.parametrize("codec", CODECS)
def test_a_codec_deflates_what_zipfile_reads(codec) -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    writer.deflate("big.xml", [TEXT] * 50, 1, codec)
    writer.close()
    assert _check(out.getvalue()).read("big.xml") == TEXT * 50
