"""Table parts (tableN.xml): keep a sheet's Excel table covering its rows and headers."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from crmbook.book.xlsx.package import TABLE, Package
from crmbook.book.xlsx.sheet import cell_ref, split_ref


def resize(pkg: Package, sheet_part: str, last_row: int, headers: Mapping[int, str]) -> None:
    """Make every table on the sheet end at ``last_row`` (at least one data row); a totals
    row, which the writer keeps last, stays out of the table's filter range.

    ``headers`` (column -> text) are the sheet's row-1 headers that were written: Excel
    requires a table's column names to equal its header cells, or it "repairs" the file. A
    header written just right of a table (a column import adds) joins it, as when one types a
    header next to a table in Excel.
    """
    for _, part in pkg.related(sheet_part, TABLE):
        if part not in pkg:
            continue
        table = pkg.xml(part)
        totals = _totals(table)
        (top, left), (bottom, right) = _bounds(table.get("ref", "A1"))
        new_bottom = max(last_row, top + 1 + totals)
        changed = new_bottom != bottom
        if top == 1 and table.get("headerRowCount", "1") != "0":
            grown = _add_columns(table, right, headers)
            changed |= grown != right
            right = grown
        if changed:
            table.set("ref", f"{cell_ref(top, left)}:{cell_ref(new_bottom, right)}")
            filtered = f"{cell_ref(top, left)}:{cell_ref(new_bottom - totals, right)}"
            for auto in table.iter(_tag(table, "autoFilter")):
                auto.set("ref", filtered)
        if top == 1 and headers and table.get("headerRowCount", "1") != "0":
            changed |= _rename_columns(table, left, headers)
        if changed:
            pkg.changed(part)


def totals_rows(pkg: Package, sheet_part: str) -> set[int]:
    """Excel rows that are a table's totals row (sums and counts, not data)."""
    found: set[int] = set()
    for _, table in _tables(pkg, sheet_part):
        count = _totals(table)
        if count:
            (_, _), (bottom, _) = _bounds(table.get("ref", "A1"))
            found.update(range(bottom - count + 1, bottom + 1))
    return found


def _tables(pkg: Package, sheet_part: str) -> list[tuple[str, etree._Element]]:
    return [(part, pkg.xml(part)) for _, part in pkg.related(sheet_part, TABLE) if part in pkg]


def _totals(table: etree._Element) -> int:
    try:
        return max(int(table.get("totalsRowCount", "0") or 0), 0)
    except ValueError:
        return 0


def _add_columns(table: etree._Element, right: int, headers: Mapping[int, str]) -> int:
    """Columns for the headers written next to the table's right edge; its new right edge."""
    columns = table.find(_tag(table, "tableColumns"))
    if columns is None:
        return right
    ids = [int(c.get("id", "0")) for c in columns if c.get("id", "").isdigit()]
    while headers.get(right + 1):
        right += 1
        ids.append(max(ids, default=0) + 1)
        etree.SubElement(columns, _tag(table, "tableColumn"), id=str(ids[-1]), name=headers[right])
    columns.set("count", str(len(columns)))
    return right


def _rename_columns(table: etree._Element, left: int, headers: Mapping[int, str]) -> bool:
    columns = table.find(_tag(table, "tableColumns"))
    if columns is None:
        return False
    changed = False
    used: set[str] = set()
    for i, column in enumerate(columns):
        name = headers.get(left + i) or column.get("name") or f"Column{i + 1}"
        base, n = name, 2
        while name.casefold() in used:
            name, n = f"{base}{n}", n + 1
        used.add(name.casefold())
        if column.get("name") != name:
            column.set("name", name)
            changed = True
    return changed


def _bounds(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    start, _, end = ref.partition(":")
    return split_ref(start), split_ref(end or start)


def _tag(table: etree._Element, name: str) -> str:
    return f"{table.tag[: table.tag.index('}') + 1]}{name}"
