"""Table parts (tableN.xml): keep a sheet's Excel table covering its rows and headers."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from crmbook.book.xlsx.package import TABLE, Package
from crmbook.book.xlsx.sheet import cell_ref, split_ref


def resize(pkg: Package, sheet_part: str, last_row: int, headers: Mapping[int, str]) -> None:
    """Make every table on the sheet end at ``last_row`` (at least one data row).

    ``headers`` (column -> text) are the sheet's row-1 headers when they were rewritten: Excel
    requires a table's column names to equal its header cells, or it "repairs" the file.
    """
    for _, part in pkg.related(sheet_part, TABLE):
        if part not in pkg:
            continue
        table = pkg.xml(part)
        if int(table.get("totalsRowCount", "0") or 0):
            continue  # a totals row would have to move; leave such tables as the user made them
        (top, left), (bottom, right) = _bounds(table.get("ref", "A1"))
        new_bottom = max(last_row, top + 1)
        changed = new_bottom != bottom
        if changed:
            ref = f"{cell_ref(top, left)}:{cell_ref(new_bottom, right)}"
            table.set("ref", ref)
            for auto in table.iter(_tag(table, "autoFilter")):
                auto.set("ref", ref)
        if top == 1 and headers and table.get("headerRowCount", "1") != "0":
            changed |= _rename_columns(table, left, headers)
        if changed:
            pkg.changed(part)


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
