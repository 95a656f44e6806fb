"""styles.xml: the cell formats (``cellXfs``) a write needs — date formats and problem marks.

New formats are clones of a cell's own format with one thing changed, so a date written into a
bold, bordered cell stays bold and bordered. A clone identical to an existing entry reuses it.

Problem marks: a marked cell's format is its own format with the fill replaced by a crmbook mark
fill. A mark fill is recognisable by its content, not by an index or a side file: a solid fill of
MARK_COLOR whose ``bgColor`` (invisible for solid fills) is ``0C`` followed by the index of the
fill it replaced. So clearing restores exactly the fill the cell had, never touches a user's own
red fills (Excel's UI writes ``bgColor indexed="64"``), needs no extra part that Excel would drop
on save, and follows the cell when the user sorts. A program that rewrites the fill's bgColor
(LibreOffice does) turns the mark into an ordinary fill, which clearing then leaves alone.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from crmbook.book.xlsx.cells import Kind
from crmbook.book.xlsx.package import MAIN_NS, Package, PackageError
from crmbook.book.xlsx.roles import LOOKS, add_look

MARK_COLOR = "FFFFC7CE"
_MARK_TAG = "0C"
_M = f"{{{MAIN_NS}}}"
#: Built-in number formats that show dates, and those of them that also show a time.
_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_TIME_IDS = {*range(18, 23), *range(45, 48)}
_DATE_FORMAT, _DATETIME_FORMAT, _GENERAL = "14", "22", "0"
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


class Styles:
    """The cell formats of one workbook, changed only when a new format is needed."""

    def __init__(self, pkg: Package, part: str) -> None:
        self._pkg = pkg
        self._part = part
        root = pkg.xml(part)
        self._root = root
        self._xfs = _child(root, "cellXfs")
        self._fills = _child(root, "fills")
        self._formats = {
            el.get("numFmtId", ""): el.get("formatCode", "") for el in root.iter(f"{_M}numFmt")
        }
        self._for_value: dict[tuple[int, Kind], int] = {}
        self._roles: dict[str, int] = {}
        # Formats are only ever appended, so an answer found once stays right: a sheet of
        # 250,000 marked cells asks about a handful of formats, each compared once.
        self._marked: dict[int, int] = {}
        self._unmarked: dict[int, int | None] = {}

    def role(self, name: str) -> int:
        """The format of a cell with this role on a formatted sheet (``roles.LOOKS``)."""
        if name not in self._roles:
            xf = add_look(self._root, LOOKS.get(name, LOOKS["text"]))
            self._pkg.changed(self._part)
            self._roles[name] = self._find_or_add(xf)
        return self._roles[name]

    def for_value(self, style: int, kind: Kind) -> int:
        """The format for a value of ``kind`` in a cell formatted ``style``.

        Dates need a date format (or Excel shows a serial number) and numbers must not have one
        (or they read back as dates); otherwise the cell keeps its own format.
        """
        if (style, kind) not in self._for_value:
            self._for_value[style, kind] = self._format_for(style, kind)
        return self._for_value[style, kind]

    def _format_for(self, style: int, kind: Kind) -> int:
        fmt = self._xf(style).get("numFmtId", "0")
        is_date, has_time = self._is_date(fmt), self._has_time(fmt)
        if kind is Kind.DATE and not is_date:
            return self._variant(style, numFmtId=_DATE_FORMAT, applyNumberFormat="1")
        if kind is Kind.DATETIME and not (is_date and has_time):
            return self._variant(style, numFmtId=_DATETIME_FORMAT, applyNumberFormat="1")
        if kind is Kind.NUMBER and is_date:
            return self._variant(style, numFmtId=_GENERAL, applyNumberFormat="1")
        return style

    def marked(self, style: int) -> int:
        """The format of a marked cell whose own format is ``style``."""
        if style not in self._marked:
            self._marked[style] = self._marked_format(style)
        return self._marked[style]

    def _marked_format(self, style: int) -> int:
        fill = self._xf(style).get("fillId", "0")
        if self._mark_origin(fill) is not None:
            return style
        return self._variant(style, fillId=str(self._mark_fill(int(fill))), applyFill="1")

    def marked_styles(self) -> set[int]:
        """Every format that is a mark."""
        marks = {str(i) for i in range(len(self._fills)) if self._mark_origin(str(i)) is not None}
        return {i for i, xf in enumerate(self._xfs) if xf.get("fillId", "0") in marks}

    def unmarked(self, style: int) -> int | None:
        """The cell's own format behind a marked ``style``; None when it is not marked."""
        if style not in self._unmarked:
            self._unmarked[style] = self._unmarked_format(style)
        return self._unmarked[style]

    def _unmarked_format(self, style: int) -> int | None:
        origin = self._mark_origin(self._xf(style).get("fillId", "0"))
        if origin is None:
            return None
        wanted = copy.deepcopy(self._xf(style))
        wanted.set("fillId", str(origin))
        for i, xf in enumerate(self._xfs):
            if _key(xf, "applyFill") == _key(wanted, "applyFill"):
                return i
        if origin == 0:
            wanted.attrib.pop("applyFill", None)
        return self._find_or_add(wanted)

    def _xf(self, style: int) -> etree._Element:
        if 0 <= style < len(self._xfs):
            return self._xfs[style]
        return self._xfs[0]

    def _variant(self, style: int, **changes: str) -> int:
        xf = copy.deepcopy(self._xf(style))
        for name, val in changes.items():
            xf.set(name, val)
        return self._find_or_add(xf)

    def _find_or_add(self, xf: etree._Element) -> int:
        wanted = _key(xf)
        for i, existing in enumerate(self._xfs):
            if _key(existing) == wanted:
                return i
        self._xfs.append(xf)
        self._xfs.set("count", str(len(self._xfs)))
        self._pkg.changed(self._part)
        return len(self._xfs) - 1

    def _is_date(self, fmt: str) -> bool:
        if fmt.isdigit() and int(fmt) in _DATE_IDS:
            return True
        code = _LITERALS.sub("", self._formats.get(fmt, "")).lower()
        return bool(re.search(r"[dmyhs]", code))

    def _has_time(self, fmt: str) -> bool:
        if fmt.isdigit() and int(fmt) in _TIME_IDS:
            return True
        code = _LITERALS.sub("", self._formats.get(fmt, "")).lower()
        return bool(re.search(r"[hs]", code))

    def _mark_fill(self, origin: int) -> int:
        tag = f"{_MARK_TAG}{origin:06X}"
        for i, fill in enumerate(self._fills):
            if _mark_tag(fill) == tag:
                return i
        fill = etree.SubElement(self._fills, f"{_M}fill")
        pattern = etree.SubElement(fill, f"{_M}patternFill", patternType="solid")
        etree.SubElement(pattern, f"{_M}fgColor", rgb=MARK_COLOR)
        etree.SubElement(pattern, f"{_M}bgColor", rgb=tag)
        self._fills.set("count", str(len(self._fills)))
        self._pkg.changed(self._part)
        return len(self._fills) - 1

    def _mark_origin(self, fill_id: str) -> int | None:
        """The fill a mark fill replaced, or None when ``fill_id`` is not a mark fill."""
        if not fill_id.isdigit() or int(fill_id) >= len(self._fills):
            return None
        tag = _mark_tag(self._fills[int(fill_id)])
        if tag is None:
            return None
        origin = int(tag[2:], 16)
        return origin if origin < len(self._fills) else 0


def _mark_tag(fill: etree._Element) -> str | None:
    pattern = fill.find(f"{_M}patternFill")
    if pattern is None or pattern.get("patternType") != "solid":
        return None
    fg, bg = pattern.find(f"{_M}fgColor"), pattern.find(f"{_M}bgColor")
    if fg is None or bg is None or (fg.get("rgb") or "").upper() != MARK_COLOR:
        return None
    tag = (bg.get("rgb") or "").upper()
    return tag if re.fullmatch(f"{_MARK_TAG}[0-9A-F]{{6}}", tag) else None


def _key(xf: etree._Element, *ignored: str) -> bytes:
    """Compare formats by content: attributes in any order, children as written."""
    attrs = sorted((k, v) for k, v in xf.attrib.items() if k not in ignored)
    return repr(attrs).encode() + b"".join(etree.tostring(child) for child in xf)


def _child(root: etree._Element, name: str) -> etree._Element:
    found = root.find(f"{_M}{name}")
    if found is None or (name == "cellXfs" and len(found) == 0):
        raise PackageError(f"styles.xml has no <{name}>; open and save the workbook in Excel")
    return found
