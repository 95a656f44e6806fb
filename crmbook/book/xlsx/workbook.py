"""workbook.xml, its relationships and [Content_Types].xml: the sheet list and new sheets."""

from __future__ import annotations

import posixpath

from lxml import etree

from crmbook.book.xlsx.package import (
    CALC_CHAIN,
    CT_NS,
    MAIN_NS,
    PKG_REL_NS,
    REL_NS,
    STYLES,
    WORKSHEET,
    WORKSHEET_TYPE,
    Package,
    relative,
    rels_name,
)

CONTENT_TYPES = "[Content_Types].xml"
_RID = f"{{{REL_NS}}}id"


def sheets(pkg: Package) -> dict[str, str]:
    """Visible sheet name -> worksheet part, in the workbook's order (chart sheets left out)."""
    targets = dict(pkg.related(pkg.workbook, WORKSHEET))
    found = {}
    for sheet in pkg.xml(pkg.workbook).iter(f"{{{MAIN_NS}}}sheet"):
        part = targets.get(sheet.get(_RID, ""))
        if part is not None:
            found[sheet.get("name", "")] = part
    return found


def all_sheet_names(pkg: Package) -> list[str]:
    """Every sheet name, worksheets and chart sheets alike (names must stay unique)."""
    return [el.get("name", "") for el in pkg.xml(pkg.workbook).iter(f"{{{MAIN_NS}}}sheet")]


def uses_1904(pkg: Package) -> bool:
    """Whether serial dates count from 1904 (old Mac workbooks) instead of 1900."""
    pr = pkg.xml(pkg.workbook).find(f"{{{MAIN_NS}}}workbookPr")
    return pr is not None and pr.get("date1904", "0").lower() in ("1", "true")


def styles_part(pkg: Package) -> str | None:
    """The styles part, or None for a workbook without one."""
    found = pkg.related(pkg.workbook, STYLES)
    return found[0][1] if found and found[0][1] in pkg else None


def add_worksheet(pkg: Package, name: str, root: etree._Element) -> str:
    """Add a worksheet part at the end of the sheet list; returns the new part's name."""
    folder = posixpath.join(posixpath.dirname(pkg.workbook), "worksheets")
    number = 1
    while posixpath.join(folder, f"sheet{number}.xml") in pkg:
        number += 1
    part = posixpath.join(folder, f"sheet{number}.xml")
    pkg.add(part, root)
    rid = add_relationship(pkg, pkg.workbook, WORKSHEET, relative(pkg.workbook, part))
    book = pkg.xml(pkg.workbook)
    sheets_el = book.find(f"{{{MAIN_NS}}}sheets")
    assert sheets_el is not None, "workbook.xml without <sheets>"
    ids = [int(el.get("sheetId", "0")) for el in sheets_el]
    entry = etree.SubElement(sheets_el, f"{{{MAIN_NS}}}sheet")
    entry.set("name", name)
    entry.set("sheetId", str(max(ids, default=0) + 1))
    entry.set(_RID, rid)
    pkg.changed(pkg.workbook)
    _add_override(pkg, part, WORKSHEET_TYPE)
    return part


def drop_calc_chain(pkg: Package) -> None:
    """Remove calcChain.xml; Excel rebuilds it, and a stale one makes Excel 'repair' the file."""
    for rid, part in pkg.related(pkg.workbook, CALC_CHAIN):
        pkg.remove(part)
        rels = pkg.rels(pkg.workbook)
        for rel in list(rels):
            if rel.get("Id") == rid:
                rels.remove(rel)
        pkg.changed(rels_name(pkg.workbook))
        types = pkg.xml(CONTENT_TYPES)
        for override in list(types):
            if override.get("PartName") == f"/{part}":
                types.remove(override)
        pkg.changed(CONTENT_TYPES)


def add_relationship(pkg: Package, source: str, rel_type: str, target: str) -> str:
    """A new relationship from ``source`` (the next free rId), its rels part marked changed."""
    rels = pkg.rels(source)
    used = {rel.get("Id") for rel in rels}
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    rid = f"rId{number}"
    etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=rel_type, Target=target)
    pkg.changed(rels_name(source))
    return rid


def _add_override(pkg: Package, part: str, content_type: str) -> None:
    types = pkg.xml(CONTENT_TYPES)
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{part}", ContentType=content_type)
    pkg.changed(CONTENT_TYPES)
