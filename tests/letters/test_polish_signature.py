"""The sender's own signature in the letters, and a clear message when a named file is missing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.errors import UsageError
from crmbook.letters import check
from crmbook.letters.signature import MARK
from tests.letters.helpers import SHARED, TEMPLATES, recipient

SPACE = (TEMPLATES / "signature.png").read_bytes()


def _png(path: Path, width: int, height: int) -> Path:
    """A real (tiny, grey) PNG of the given size, written with the standard library."""
    import struct
    import zlib

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    head = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip
    return path


def _signature_box(letter: Path) -> tuple[bytes, int, int]:
    """The image bytes and the box (cx, cy) of the picture marked as the signature space."""
    with zipfile.ZipFile(letter) as z:
        xml = z.read("word/document.xml")
        rels = z.read("word/_rels/document.xml.rels").decode()
        drawing = next(
            d for d in re.findall(rb"<w:drawing>.*?</w:drawing>", xml, re.S) if MARK.encode() in d
        )
        rid = re.search(rb'r:embed="([^"]+)"', drawing).group(1).decode()
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
        )
        cx, cy = re.search(rb'<wp:extent cx="(\d+)" cy="(\d+)"', drawing).groups()
        return z.read("word/" + target.group(1)), int(cx), int(cy)


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_every_shipped_template_has_an_empty_signature_space(tmp_path: Path, name: str) -> None:
    letter = tmp_path / "letter.docx"
    check.load(TEMPLATES / name, "nb").batch(SHARED).write(letter, recipient("Fjord AS"))
    image, cx, cy = _signature_box(letter)
    assert image == SPACE and cx == 3 * cy  # 4.5 x 1.5 cm, transparent


def test_the_signature_file_fills_the_space_in_its_own_proportions(tmp_path: Path) -> None:
    sig = _png(tmp_path / "underskrift.png", 200, 50)
    template = check.load(TEMPLATES / "konferansetilbud.docx", "nb", signature=sig)
    letter = tmp_path / "letter.docx"
    template.batch(SHARED).write(letter, recipient("Fjord AS"))
    image, cx, cy = _signature_box(letter)
    assert image == sig.read_bytes()
    assert cx == 4 * cy and cy == 540000  # the 1.5 cm height kept, 4:1 like the picture


@pytest.mark.parametrize(
    ("lang", "logo", "signature", "message"),
    [
        ("nb", None, "mangler.png", r"Innstillinger, Signaturfil: .*mangler\.png må være"),
        ("en", None, "missing.png", r"Settings, Signature file: .*missing\.png must be"),
        ("nb", "borte.png", None, r"Innstillinger, Logofil: .*borte\.png må være"),
    ],
)
def test_a_named_file_that_is_missing_is_named_with_its_settings_row(
    tmp_path: Path, lang: str, logo: str | None, signature: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        check.load(
            TEMPLATES / "brev.docx", lang,
            tmp_path / logo if logo else None, tmp_path / signature if signature else None,
        )  # fmt: skip


def test_signature_file_is_a_settings_row_in_both_languages() -> None:
    names = list(s.SETTING_NAMES)
    assert names.index("Signature file") == names.index("Logo file") + 1
    assert layout.setting_label("Signature file", "nb") == "Signaturfil"
