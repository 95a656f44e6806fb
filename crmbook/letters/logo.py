"""Put the sender's logo (Settings: Logo file) into a template's letterhead, once per batch.

The letterhead's first picture is the logo placeholder. Its image member is swapped for the
logo file (renamed when the format differs) and its box keeps its height and takes the logo's
proportions. The picture stays a static part of the header, so every letter copies it as bytes.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path, PurePosixPath

from crmbook.core.i18n import say
from crmbook.errors import UsageError
from crmbook.zipraw import Member

IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif"}
_BLIP = re.compile(rb'<a:blip\b[^>]*\br:embed="([^"]+)"')
_EXTENT = re.compile(rb'(<(?:wp:extent|a:ext)\b[^>]*?\bcx=")(\d+)("[^>]*?\bcy=")(\d+)(")')


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels of a PNG, JPEG or GIF image; None when unreadable."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def check_image(image: Path, setting: tuple[str, str], lang: str) -> str:
    """The image's extension; refused, naming the Settings row (en, nb), when the file is
    missing or of a kind a letter cannot show."""
    ext = image.suffix.lower().lstrip(".")
    if ext in IMAGE_TYPES and image.is_file():
        return ext
    raise UsageError(
        say(lang,
            "Settings, {row}: {f} must be an existing .png, .jpg or .gif file (relative to the "
            "workbook's folder). Correct the setting or clear it.",
            "Innstillinger, {row}: {f} må være en .png-, .jpg- eller .gif-fil som finnes "
            "(relativt til mappen arbeidsboka ligger i). Rett innstillingen eller tøm den.",
            row=setting[lang == "nb"], f=image)
    )  # fmt: skip


def replace_logo(members: list[Member], logo: Path, lang: str = "en") -> list[Member]:
    """The template's members with the letterhead's first picture replaced by ``logo``."""
    ext = check_image(logo, ("Logo file", "Logofil"), lang)
    data = logo.read_bytes()
    by_name = {m.name: m for m in members}
    for header in sorted(n for n in by_name if re.match(r"^word/header\d*\.xml$", n)):
        xml = by_name[header].content()
        found = _BLIP.search(xml)
        if found:
            fitted = fit_height(xml, image_size(data))
            return swap_image(members, header, fitted, found.group(1).decode(), data, ext)
    raise UsageError(
        say(
            lang,
            "the template's letterhead (page header) has no picture for the Logo file setting to "
            "replace: add a picture to the header in Word, or clear the setting.",
            "malens brevhode (topptekst) har ikke noe bilde som Logofil-innstillingen kan "
            "erstatte: sett inn et bilde i topptekst i Word, eller tøm innstillingen.",
        )
    )


def swap_image(
    members: list[Member], header: str, xml: bytes, rid: str, data: bytes, ext: str
) -> list[Member]:
    """``members`` with the image of relationship ``rid`` of part ``header`` replaced by
    ``data`` (renamed to ``ext``), and the part's XML replaced by ``xml``."""
    rels_name = f"word/_rels/{PurePosixPath(header).name}.rels"
    rels = {m.name: m for m in members}[rels_name].content().decode("utf-8")
    rel = re.search(rf'<Relationship\b[^>]*\bId="{re.escape(rid)}"[^>]*>', rels)
    if rel is None:
        raise UsageError(f"{header}: the logo's relationship {rid} is missing")
    target = re.search(r'Target="([^"]+)"', rel.group(0)).group(1)
    old = str(PurePosixPath("word") / target)
    new_target = str(PurePosixPath(target).with_suffix("." + ext))
    new = str(PurePosixPath("word") / new_target)
    new_rel = rel.group(0).replace(f'Target="{target}"', f'Target="{new_target}"')
    changed = {
        old: Member.deflated(new, data),
        rels_name: Member.deflated(rels_name, rels.replace(rel.group(0), new_rel).encode()),
        header: Member.deflated(header, xml),
        "[Content_Types].xml": _with_type(members, ext),
    }
    return [changed.get(m.name, m) for m in members]


def fit_height(xml: bytes, size: tuple[int, int] | None) -> bytes:
    """The first picture's box: same height, the logo's width-to-height ratio."""
    if not size or not size[1]:
        return xml
    width, height = size

    def scale(m: re.Match[bytes]) -> bytes:
        cy = int(m.group(4))
        return (
            m.group(1) + str(cy * width // height).encode() + m.group(3) + m.group(4) + m.group(5)
        )

    return _EXTENT.sub(scale, xml, count=2)


def _with_type(members: list[Member], ext: str) -> Member:
    types = {m.name: m for m in members}["[Content_Types].xml"].content().decode("utf-8")
    if f'Extension="{ext}"' not in types.lower():
        default = f'<Default Extension="{ext}" ContentType="{IMAGE_TYPES[ext]}"/>'
        types = types.replace("</Types>", default + "</Types>")
    return Member.deflated("[Content_Types].xml", types.encode("utf-8"))
