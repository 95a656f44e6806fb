"""MS-OVBA's two byte codes: the compression of VBA streams and the data encryption of PROJECT.

Written from the specification (MS-OVBA 2.4.1 and 2.4.3) because the packages on PyPI corrupt
sources longer than one 4 KB chunk (DESIGN.md, measured facts). Both are deterministic, so the
same sources always give the same ``vbaProject.bin``.
"""

from __future__ import annotations

import struct

CHUNK = 4096


def compress(data: bytes) -> bytes:
    """A CompressedContainer (2.4.1.1): signature byte 1, then one chunk per 4096 input bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _chunk(data[start : start + CHUNK])
    return bytes(out)


def _chunk(chunk: bytes) -> bytes:
    """One CompressedChunk: a 2-byte header and token sequences, or the raw 4096 bytes."""
    body = _tokens(chunk)
    if len(body) <= CHUNK:
        return struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    # Incompressible: a raw chunk always holds 4096 bytes (2.4.1.3.10 pads the last one).
    return struct.pack("<H", 0x3000 | (CHUNK - 1)) + chunk.ljust(CHUNK, b"\0")


def _tokens(chunk: bytes) -> bytes:
    """Token sequences: a flag byte, then up to 8 literal bytes or 2-byte copy tokens."""
    out = bytearray()
    pos = 0
    while pos < len(chunk):
        flags, group = 0, bytearray()
        for bit in range(8):
            if pos >= len(chunk):
                break
            offset, length = _match(chunk, pos)
            if length:
                bits = _offset_bits(pos)
                group += struct.pack("<H", ((offset - 1) << (16 - bits)) | (length - 3))
                flags |= 1 << bit
                pos += length
            else:
                group.append(chunk[pos])
                pos += 1
        out.append(flags)
        out += group
    return bytes(out)


def _offset_bits(pos: int) -> int:
    """Bits of a copy token's offset at this position in the chunk (2.4.1.3.19.1): 4 to 12."""
    return max((pos - 1).bit_length(), 4)


def _match(chunk: bytes, pos: int) -> tuple[int, int]:
    """The longest earlier copy of the bytes at ``pos`` (the nearest on ties), or (0, 0).

    A copy may overlap ``pos`` itself, as the decompressor copies byte by byte.
    """
    if pos == 0:
        return 0, 0
    longest = min((0xFFFF >> _offset_bits(pos)) + 3, len(chunk) - pos)
    found, length = -1, 0
    size = 3
    while size <= longest:
        at = chunk.rfind(chunk[pos : pos + size], 0, pos - 1 + size)
        if at < 0:
            break
        found, length = at, size
        size += 1
    return (pos - found, length) if length else (0, 0)


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """MS-OVBA data encryption (2.4.3.2) as the upper-case hex text of PROJECT's CMG/DPB/GC.

    The spec asks for a random seed and random ignored bytes; a fixed ``seed`` (and ignored
    bytes of 0) keeps the build reproducible. It hides nothing: these values carry "no
    password" and "visible".
    """
    key = sum(project_id.encode("ascii")) & 0xFF
    version = 2
    out = bytearray([seed, seed ^ version, seed ^ key])
    plain_prev, enc_prev, enc_prev2 = key, seed ^ key, seed ^ version
    payload = bytes((seed & 6) // 2) + struct.pack("<I", len(data)) + data
    for byte in payload:
        enc = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(enc)
        enc_prev2, enc_prev, plain_prev = enc_prev, enc, byte
    return out.hex().upper()
