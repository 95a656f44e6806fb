"""The look of each role a formatted sheet's cells have (``edits.Styled``): fonts, fills,
borders and number formats added to styles.xml once and reused.

Number formats use Excel's own separators (``#,##0``), so Excel shows "1 185" or "1,185" and
"7,5" or "7.5" as the reader's Windows or macOS settings say.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from crmbook.book.xlsx.package import MAIN_NS

_M = f"{{{MAIN_NS}}}"
ACCENT, LIGHT = "FF1F4E79", "FFDDEBF7"


@dataclass(frozen=True)
class Look:
    """One role's format: font, fill colour, bottom border, number format, wrapping."""

    bold: bool = False
    italic: bool = False
    size: float = 11
    color: str | None = None
    fill: str | None = None
    border: bool = False
    num_format: str | None = None  # None: General
    wrap: bool = False
    right: bool = False


LOOKS: dict[str, Look] = {
    "title": Look(bold=True, size=16, color=ACCENT),
    "heading": Look(bold=True, size=12, color="FFFFFFFF", fill=ACCENT),
    "header": Look(bold=True, fill=LIGHT, border=True, wrap=True),
    "number header": Look(bold=True, fill=LIGHT, border=True, wrap=True, right=True),
    "text": Look(),
    "key": Look(bold=True),
    "note": Look(italic=True, color="FF595959"),
    "nok": Look(num_format="#,##0", right=True),
    "int": Look(num_format="#,##0", right=True),
    "pct": Look(num_format="0.0", right=True),
    "date": Look(num_format="dd.mm.yyyy", right=True),
}
#: Roles whose text spans the row (titles, headings, notes): they do not widen a column.
SPANNING = frozenset({"title", "heading", "note"})
_FIRST_CUSTOM_FORMAT = 164


def add_look(styles_root: etree._Element, look: Look) -> etree._Element:
    """A new ``<xf>`` for ``look``, its font, fill, border and number format added to the
    styles part (the caller appends the xf to cellXfs, reusing an equal one)."""
    root = styles_root
    font = _append(root, "fonts", _font(root, look))
    fill = _append(root, "fills", _fill(root, look.fill)) if look.fill else 0
    border = _append(root, "borders", _border(root)) if look.border else 0
    fmt = _number_format(root, look.num_format) if look.num_format else 0
    xf = root.makeelement(f"{_M}xf", numFmtId=str(fmt), fontId=str(font), fillId=str(fill))
    xf.set("borderId", str(border))
    xf.set("xfId", "0")
    aligned = look.wrap or look.right
    for name, used in (("applyNumberFormat", fmt), ("applyFont", 1), ("applyFill", fill),
                       ("applyBorder", border), ("applyAlignment", aligned)):  # fmt: skip
        if used:
            xf.set(name, "1")
    if aligned:
        align = etree.SubElement(xf, f"{_M}alignment", vertical="top" if look.wrap else "bottom")
        if look.right:
            align.set("horizontal", "right")
        if look.wrap:
            align.set("wrapText", "1")
    return xf


def _font(root: etree._Element, look: Look) -> etree._Element:
    font = root.makeelement(f"{_M}font")
    if look.bold:
        etree.SubElement(font, f"{_M}b")
    if look.italic:
        etree.SubElement(font, f"{_M}i")
    etree.SubElement(font, f"{_M}sz", val=f"{look.size:g}")
    if look.color:
        etree.SubElement(font, f"{_M}color", rgb=look.color)
    etree.SubElement(font, f"{_M}name", val="Calibri")
    etree.SubElement(font, f"{_M}family", val="2")
    return font


def _fill(root: etree._Element, rgb: str) -> etree._Element:
    fill = root.makeelement(f"{_M}fill")
    pattern = etree.SubElement(fill, f"{_M}patternFill", patternType="solid")
    etree.SubElement(pattern, f"{_M}fgColor", rgb=rgb)
    etree.SubElement(pattern, f"{_M}bgColor", indexed="64")
    return fill


def _border(root: etree._Element) -> etree._Element:
    border = root.makeelement(f"{_M}border")
    for side in ("left", "right", "top", "bottom", "diagonal"):
        edge = etree.SubElement(border, f"{_M}{side}")
        if side == "bottom":
            edge.set("style", "thin")
            etree.SubElement(edge, f"{_M}color", rgb=ACCENT)
    return border


def _append(root: etree._Element, name: str, element: etree._Element) -> int:
    """Index of an equal existing child of <name>, or of ``element`` appended there."""
    parent = root.find(f"{_M}{name}")
    if parent is None:
        parent = etree.SubElement(root, f"{_M}{name}")
    wanted = etree.tostring(element)
    for i, child in enumerate(parent):
        if etree.tostring(child) == wanted:
            return i
    parent.append(element)
    parent.set("count", str(len(parent)))
    return len(parent) - 1


def _number_format(root: etree._Element, code: str) -> int:
    formats = root.find(f"{_M}numFmts")
    if formats is None:
        formats = root.makeelement(f"{_M}numFmts")
        root.insert(0, formats)
    ids = [_FIRST_CUSTOM_FORMAT - 1]
    for fmt in formats:
        if fmt.get("formatCode") == code:
            return int(fmt.get("numFmtId"))
        ids.append(int(fmt.get("numFmtId", "0")))
    new = max(ids) + 1
    etree.SubElement(formats, f"{_M}numFmt", numFmtId=str(new), formatCode=code)
    formats.set("count", str(len(formats)))
    return new
