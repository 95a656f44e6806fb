"""The compound-file writer, read back by olefile with every defect check on."""

from __future__ import annotations

import io
import random

import olefile
import pytest

from crmbook.addin import cfb
from crmbook.errors import CrmbookError


def _read(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def _streams(tree: cfb.Tree, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], bytes]:
    out = {}
    for name, value in tree.items():
        if isinstance(value, bytes):
            out[(*prefix, name)] = value
        else:
            out.update(_streams(value, (*prefix, name)))
    return out


@pytest.mark.parametrize("sizes", [[0], [1, 63, 64, 65], [4095, 4096, 4097], [70_000, 3, 300_000]])
def test_streams_of_any_size_read_back(sizes: list[int]) -> None:
    rng = random.Random(len(sizes))
    tree = {
        "PROJECT": b"ID=x",
        "VBA": {f"s{i}": rng.randbytes(n) for i, n in enumerate(sizes)},
    }
    ole = _read(cfb.write_cfb(tree))
    for path, data in _streams(tree).items():
        assert ole.openstream(list(path)).read() == data
    assert sorted(ole.listdir()) == sorted(list(p) for p in _streams(tree))


def test_many_siblings_form_a_valid_red_black_tree() -> None:
    names = [f"Module{i}" for i in range(37)] + ["A", "bb", "ThisWorkbook", "_VBA_PROJECT"]
    data = cfb.write_cfb({"VBA": {n: n.encode() for n in names}})
    ole = _read(data)
    assert {p[1] for p in ole.listdir()} == set(names)
    entries = {i: e for i, e in enumerate(ole.direntries) if e is not None}
    storage = next(e for e in entries.values() if e.name == "VBA")

    def black_height(sid: int, parent_red: bool) -> int:
        if sid == cfb.NOSTREAM:
            return 1
        entry = entries[sid]
        red = entry.color == 0
        assert not (red and parent_red), "a red node has a red child"
        left, right = black_height(entry.sid_left, red), black_height(entry.sid_right, red)
        assert left == right, "paths to leaves differ in black nodes"
        return left + (0 if red else 1)

    assert entries[storage.sid_child].color == 1
    black_height(storage.sid_child, False)


def test_same_tree_same_bytes() -> None:
    tree = {"VBA": {"dir": b"x" * 5000, "m": b"y"}, "PROJECT": b"z"}
    assert cfb.write_cfb(tree) == cfb.write_cfb(dict(tree))


def test_names_a_compound_file_cannot_hold_are_refused() -> None:
    with pytest.raises(CrmbookError):
        cfb.write_cfb({"a/b": b""})
