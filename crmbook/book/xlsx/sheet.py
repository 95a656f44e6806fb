"""One worksheet part edited in place: rows, cells, hyperlinks and the dimension.

Everything the editor does not touch — extLst (x14 data validations), conditional formatting,
merged cells, column widths, freeze panes, row attributes, other cells — stays as it was. New
elements go where the CT_Worksheet schema puts them. Rows are parsed only when an edit reaches
them (``rowstore``), so a small edit to a 100,000-row sheet stays fast and small.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator

from lxml import etree

from crmbook.book.xlsx.cells import CellValue, Kind
from crmbook.book.xlsx.package import MAIN_NS, REL_NS
from crmbook.book.xlsx.rowstore import RowStore

#: CT_Worksheet's children in schema order.
ORDER = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
_RANK = {name: i for i, name in enumerate(ORDER)}
#: Excel's last row, and the widest header row crmbook looks at (its sheets use about 25).
MAX_ROW = 1_048_576
MAX_COLUMNS = 1024
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_VALUE_TAGS = ("f", "v", "is")


def split_ref(ref: str) -> tuple[int, int]:
    """'B5' -> (5, 1): Excel row number and 0-based column."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col - 1


def cell_ref(row: int, col: int) -> str:
    """(5, 1) -> 'B5'."""
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def new_worksheet() -> etree._Element:
    """An empty worksheet as Excel makes one."""
    root = etree.Element(f"{{{MAIN_NS}}}worksheet", nsmap={None: MAIN_NS, "r": REL_NS})
    etree.SubElement(root, f"{{{MAIN_NS}}}dimension", ref="A1")
    views = etree.SubElement(root, f"{{{MAIN_NS}}}sheetViews")
    etree.SubElement(views, f"{{{MAIN_NS}}}sheetView", workbookViewId="0")
    etree.SubElement(root, f"{{{MAIN_NS}}}sheetFormatPr", defaultRowHeight="15")
    etree.SubElement(root, f"{{{MAIN_NS}}}sheetData")
    margins = {"left": "0.7", "right": "0.7", "top": "0.75", "bottom": "0.75"}
    etree.SubElement(root, f"{{{MAIN_NS}}}pageMargins", margins, header="0.3", footer="0.3")
    return root


class Worksheet:
    """The cells of one worksheet part, addressed by (Excel row, 0-based column)."""

    def __init__(self, data: bytes) -> None:
        self._store = RowStore(data)
        self.root = self._store.root
        self._ns = self.root.tag[: self.root.tag.index("}") + 1] if "}" in self.root.tag else ""
        self._cells: dict[int, dict[int, etree._Element]] = {}
        #: A cell holding a formula was overwritten (calcChain.xml must go).
        self.formula_removed = False
        self._new_columns = 0  # the widest column of the rows added as XML text

    def tag(self, name: str) -> str:
        return self._ns + name

    def chunks(self) -> Iterator[bytes]:
        """The part's new XML."""
        return self._store.chunks()

    def rows(self) -> list[int]:
        """Row numbers that have a <row> element, ascending."""
        return list(self._store.order)

    def has_row(self, number: int) -> bool:
        return number in self._store

    def row_parsed(self, number: int) -> bool:
        """Whether an edit reached the row (it is written from its element, not its bytes)."""
        return self._store.parsed(number)

    def row_bytes(self, number: int) -> bytes:
        """The row's XML as it will be written."""
        return self._store.row_bytes(number)

    def add_row_xml(self, number: int, columns: list[int], xml: bytes) -> None:
        """A row that did not exist, from XML whose cells are in ``columns`` (see rowxml)."""
        self._store.add_xml(number, xml)
        if columns:
            self._new_columns = max(self._new_columns, max(columns))

    def replace_row_xml(self, number: int, columns: list[int], xml: bytes) -> None:
        """An existing row replaced whole by XML whose cells are in ``columns`` (rowbatch)."""
        self._store.replace_xml(number, xml)
        self._cells.pop(number, None)
        if columns:
            self._new_columns = max(self._new_columns, max(columns))

    def raw_row(self, number: int) -> bytes | None:
        """A row's bytes while no edit has parsed it (None once parsed, or when missing)."""
        return self._store.raw_row(number)

    @property
    def row_prefix(self) -> str:
        return self._store.row_prefix

    def header_extent(self, limit: int) -> int:
        """The 0-based column of the last header in row 1 below ``limit`` (0 when none)."""
        cells = self.row_cells(1).items()
        return max((col for col, c in cells if col < limit and _has_value(c)), default=0)

    def last_data_row(self, last_col: int, skip: Container[int] = ()) -> int:
        """The last row (not in ``skip``) with a value in a column up to ``last_col``.

        A stray value far to the right of the headers (Z1048576) is not data: appending after
        it would put rows where Excel cannot show them.
        """
        for number in reversed(self._store.order):
            if number in skip or self._store.raw_has(number, "value") is False:
                continue
            cells = self._row_cells(number).items()
            if any(col <= last_col and _has_value(c) for col, c in cells):
                return number
        return 0

    def drop_cells_right_of(self, row: int, last_col: int) -> None:
        """Remove a row's cells to the right of ``last_col`` (a stray far-right cell)."""
        widest = self._store.raw_last_column(row)
        if widest is not None and widest <= last_col:
            return
        for col in [col for col in self._row_cells(row) if col > last_col]:
            self._remove_cell(row, col)

    def remove_row(self, row: int) -> etree._Element:
        """Take a row element (with its cells) out of the sheet."""
        element = self._store.row(row)
        self._store.remove(row)
        self._cells.pop(row, None)
        return element

    def insert_row(self, row: int, element: etree._Element) -> None:
        """Put a row taken out by ``remove_row`` back at ``row`` (its cells renumbered).

        A row element already there (formatting only, or a stray cell right of the headers)
        is merged in: the moved row's cells take their columns, the others stay.
        """
        cells = list(element.iterchildren(self.tag("c")))
        for c in cells:
            ref = c.get("r")
            if ref:
                c.set("r", cell_ref(row, split_ref(ref)[1]))
            self.formula_removed |= any(etree.QName(x).localname == "f" for x in c)
        if row in self._store:
            old = self.remove_row(row)
            for name, value in old.attrib.items():
                if name not in element.attrib:
                    element.set(name, value)
            taken = {c.get("r") for c in cells}
            cells += [c for c in old.iterchildren(self.tag("c")) if c.get("r") not in taken]
            for c in sorted(cells, key=lambda c: split_ref(c.get("r", "A1"))[1], reverse=True):
                element.insert(0, c)
        self._store.put(row, element)
        self._cells.pop(row, None)

    def has_formula(self, row: int, col: int) -> bool:
        """Whether an existing cell holds a formula."""
        c = self.cell(row, col)
        return c is not None and any(etree.QName(x).localname == "f" for x in c)

    def unmerge_from(self, first_row: int) -> None:
        """Remove merged ranges reaching ``first_row`` or below (rows about to be rewritten)."""
        merges = self.root.find(self.tag("mergeCells"))
        if merges is None:
            return
        for merge in list(merges):
            end = merge.get("ref", "").rpartition(":")[2]
            if _REF.match(end) and split_ref(end)[0] >= first_row:
                merges.remove(merge)
        if len(merges) == 0:
            self.root.remove(merges)
        else:
            merges.set("count", str(len(merges)))

    def rows_with_styles(self, styles: set[int]) -> list[int]:
        """Rows that may have cells formatted with one of ``styles``."""
        return self._store.rows_with_styles(styles) if styles else []

    def cell(self, row: int, col: int) -> etree._Element | None:
        return self._row_cells(row).get(col) if row in self._store else None

    def row_cells(self, row: int) -> dict[int, etree._Element]:
        """A row's cells by column (a copy: safe to change the row while iterating)."""
        return dict(self._row_cells(row)) if row in self._store else {}

    def style(self, row: int, col: int) -> int | None:
        """The format index of an existing cell, or None when there is no cell."""
        c = self.cell(row, col)
        return None if c is None else int(c.get("s", "0"))

    def column_style(self, col: int) -> int:
        """The default format of a column (<cols>), 0 when none."""
        cols = self.root.find(self.tag("cols"))
        for spec in () if cols is None else cols:
            if int(spec.get("min", "0")) - 1 <= col <= int(spec.get("max", "0")) - 1:
                return int(spec.get("style", "0"))
        return 0

    def put(self, row: int, col: int, value: CellValue, style: int) -> None:
        """Set a cell's value and format; a blank without a format removes the cell."""
        existing = self.cell(row, col)
        if existing is None and value.kind is Kind.BLANK and not style:
            return
        c = existing if existing is not None else self._new_cell(row, col)
        for child in list(c):
            if etree.QName(child).localname in _VALUE_TAGS:
                self.formula_removed |= etree.QName(child).localname == "f"
                c.remove(child)
        for attr in ("t", "cm", "vm"):
            c.attrib.pop(attr, None)
        if style:
            c.set("s", str(style))
        else:
            c.attrib.pop("s", None)
        if value.kind is Kind.BLANK:
            if not style and len(c) == 0:
                self._remove_cell(row, col)
            return
        self._fill(c, value)

    def set_style(self, row: int, col: int, style: int) -> None:
        """Give a cell a format, creating an empty cell when needed."""
        c = self.cell(row, col)
        if c is None:
            c = self._new_cell(row, col)
        if style:
            c.set("s", str(style))
        else:
            c.attrib.pop("s", None)

    def drop_empty_rows(self, numbers: Iterable[int]) -> None:
        """Remove those of these rows that hold no cells and no row formatting."""
        for number in numbers:
            row = self._store.row(number)
            if len(row) == 0 and set(row.attrib) <= {"r", "spans"}:
                self.drop_row(number)

    def drop_row(self, number: int) -> None:
        """Remove a row whole (unparsed, if it still is)."""
        self._store.remove(number)
        self._cells.pop(number, None)

    def update_dimension(self) -> None:
        """Grow <dimension ref> to cover every row and the columns of the rows edited."""
        dimension = self.root.find(self.tag("dimension"))
        if dimension is None:
            return
        end = dimension.get("ref", "A1").partition(":")[2] or dimension.get("ref", "A1")
        last_col = split_ref(end)[1] if _REF.match(end) else 0
        last_row = 1
        for number in reversed(self._store.order):
            raw = self._store.raw_has(number, "cell")
            if raw or (raw is None and self._row_cells(number)):
                last_row = number
                break
        last_col = max(last_col, self._new_columns)
        for cols in self._cells.values():
            last_col = max(last_col, *cols) if cols else last_col
        end = cell_ref(last_row, last_col)
        dimension.set("ref", "A1" if end == "A1" else f"A1:{end}")

    def _ensure(self, name: str) -> etree._Element:
        """The child ``name``, inserted at its schema position when missing."""
        found = self.root.find(self.tag(name))
        if found is not None:
            return found
        element = self.root.makeelement(self.tag(name))
        rank, previous = _RANK[name], -1
        for child in self.root:
            previous = _rank(child, previous)
            if previous > rank:
                child.addprevious(element)
                return element
        self.root.append(element)
        return element

    def child(self, name: str) -> etree._Element:
        """A top-level element of the sheet (e.g. 'hyperlinks'), created in place when missing."""
        return self._ensure(name)

    def _row_cells(self, number: int) -> dict[int, etree._Element]:
        if number not in self._cells:
            found: dict[int, etree._Element] = {}
            col = -1
            for c in self._store.row(number).iterchildren(self.tag("c")):
                ref = c.get("r")
                col = split_ref(ref)[1] if ref else col + 1
                if not ref:
                    c.set("r", cell_ref(number, col))
                found[col] = c
            self._cells[number] = found
        return self._cells[number]

    def _new_cell(self, row: int, col: int) -> etree._Element:
        if row not in self._store:
            self._store.add(row, self.tag("row"))
        cells = self._row_cells(row)
        row_el = self._store.row(row)
        row_el.attrib.pop("spans", None)
        c = etree.SubElement(row_el, self.tag("c"), r=cell_ref(row, col))
        if not cells:
            row_el.insert(0, c)
        elif col > max(cells):
            cells[max(cells)].addnext(c)
        else:
            cells[min(k for k in cells if k > col)].addprevious(c)
        cells[col] = c
        return c

    def _remove_cell(self, row: int, col: int) -> None:
        c = self._row_cells(row).pop(col)
        c.getparent().remove(c)

    def _fill(self, c: etree._Element, value: CellValue) -> None:
        if value.kind is Kind.TEXT:
            c.set("t", "inlineStr")
            text = etree.SubElement(etree.SubElement(c, self.tag("is")), self.tag("t"))
            text.text = value.text
            if value.text != value.text.strip() or "\n" in value.text or "\t" in value.text:
                text.set(_XML_SPACE, "preserve")
            return
        if value.kind is Kind.BOOL:
            c.set("t", "b")
        etree.SubElement(c, self.tag("v")).text = value.text


def _rank(child: etree._Element, previous: int) -> int:
    """Schema rank of a top-level element; markup compatibility wrappers (mc:AlternateContent
    around controls or oleObjects) rank as what they wrap, anything else stays where it is."""
    if not isinstance(child.tag, str):
        return previous
    rank = _RANK.get(etree.QName(child).localname)
    if rank is not None:
        return rank
    for inner in child.iterdescendants():
        if isinstance(inner.tag, str) and etree.QName(inner).localname in _RANK:
            return _RANK[etree.QName(inner).localname]
    return previous


def _has_value(c: etree._Element) -> bool:
    return any(etree.QName(child).localname in _VALUE_TAGS for child in c)
