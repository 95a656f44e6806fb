"""MS-OVBA compression and data encryption, checked against oletools' decompressor and
against values Excel wrote."""

from __future__ import annotations

import random
import warnings

import pytest

from crmbook.addin import ovba
from crmbook.addin.build import xlwings_modules

with warnings.catch_warnings():  # oletools calls a pyparsing name deprecated since
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream


def _round_trip(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(ovba.compress(data))))


def _text(n: int, seed: int = 1) -> bytes:
    words = [b"Dim ", b"x ", b"As ", b"String", b"\r\n", b"    ", b"End Sub", b"'", b"RunPython "]
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < n:
        out += rng.choice(words)
    return bytes(out[:n])


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 17, 4095, 4096, 4097, 8192, 20_000, 100_003])
def test_text_of_any_length_round_trips(size: int) -> None:
    assert _round_trip(_text(size)) == _text(size)


def test_runs_and_overlapping_copies_round_trip() -> None:
    data = b"a" * 5000 + b"ab" * 3000 + bytes(range(256)) * 20 + b"\r\n" * 4000
    assert _round_trip(data) == data


def test_the_xlwings_module_round_trips_and_shrinks() -> None:
    source = xlwings_modules()[0].source
    packed = ovba.compress(source)
    assert bytes(decompress_stream(bytearray(packed))) == source
    assert len(packed) < len(source) // 2


def test_incompressible_chunks_are_stored_raw() -> None:
    data = random.Random(7).randbytes(4096 * 3)
    packed = ovba.compress(data)
    assert len(packed) == 1 + 3 * (2 + 4096)
    assert bytes(decompress_stream(bytearray(packed))) == data


def _decrypt(text: str) -> bytes:
    """MS-OVBA 2.4.3.3, written here independently of the encryptor."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[:3]
    assert seed ^ version_enc == 2
    plain, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    out = bytearray()
    for byte in raw[3:]:
        value = byte ^ ((enc2 + plain) & 0xFF)
        out.append(value)
        enc2, enc1, plain = enc1, byte, value
    out = out[(seed & 6) // 2 :]
    size = int.from_bytes(out[:4], "little")
    assert len(out) == 4 + size
    return bytes(out[4:])


def test_decrypting_values_excel_wrote_gives_no_password_and_visible() -> None:
    # From the PROJECT stream of xlwings' quickstart add-in, saved by Excel.
    assert _decrypt("5D5F8AADDAA8DEA8DEA8DEA8DE") == bytes(4)
    assert _decrypt("5D5F8AADDAADDBADDBAD") == b"\0"
    assert _decrypt("5D5F8AADDAADDBADDB52") == b"\xff"


@pytest.mark.parametrize("seed", [0x00, 0x5D, 0xA6, 0xFF])
@pytest.mark.parametrize("data", [bytes(4), b"\0", b"\xff"])
def test_encryption_round_trips(seed: int, data: bytes) -> None:
    text = ovba.encrypt(data, "{318BEE36-5BE1-492A-826D-473DB19B0F30}", seed)
    assert text == text.upper()
    assert _decrypt(text) == data
