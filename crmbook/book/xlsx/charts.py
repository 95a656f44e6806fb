"""Native charts on a worksheet: a DrawingML drawing part and one chart part (c:barChart) each.

The series point at ranges of the sheet itself ('Rapport'!$B$5:$B$9), so Excel and LibreOffice
redraw them from the cells. crmbook's charts are recognised by their drawing object's name
("crmbook chart N"); a rerun replaces them (reusing their parts) and leaves any other picture,
shape or chart on the sheet alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from lxml import etree

from crmbook.book.xlsx.package import (
    CT_NS,
    REL_NS,
    Package,
    parse,
    relative,
    rels_name,
    resolve,
)
from crmbook.book.xlsx.sheet import Worksheet, split_ref
from crmbook.book.xlsx.workbook import add_relationship
from crmbook.book.xlsx.xmltext import escape, quoteattr

DRAWING = f"{REL_NS}/drawing"
CHART = f"{REL_NS}/chart"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NAME = "crmbook chart"
_EMU_PER_CM = 360_000
_CONTENT_TYPES = "[Content_Types].xml"
_RID = f"{{{REL_NS}}}id"
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


class ChartLike(Protocol):
    """What a chart needs (``crmbook.core.edits.Chart`` is one)."""

    title: str
    categories: str
    series: Sequence[tuple[str, str]]
    anchor: str
    width_cm: float
    height_cm: float
    kind: str


def replace_charts(
    pkg: Package, sheet_part: str, sheet_name: str, sheet: Worksheet, charts: Sequence[ChartLike]
) -> None:
    """Put ``charts`` on the sheet in place of the crmbook charts it has."""
    drawing = _drawing(pkg, sheet_part, sheet)
    root = pkg.xml(drawing)
    reusable = _remove_ours(pkg, drawing, root)
    next_id = max((int(e.get("id", "0")) for e in root.iter(f"{{{XDR_NS}}}cNvPr")), default=1)
    for number, chart in enumerate(charts, start=1):
        if reusable:
            part = reusable.pop(0)
        else:
            part = _free_name(pkg, "xl/charts/chart{}.xml")
            _set_override(pkg, part, CHART_TYPE)
        pkg.add(part, parse(chart_xml(chart, sheet_name)))
        rid = add_relationship(pkg, drawing, CHART, relative(drawing, part))
        root.append(parse(anchor_xml(chart, rid, next_id + number, f"{NAME} {number}")))
    for part in reusable:
        _drop(pkg, part)
    pkg.changed(drawing)


def _drawing(pkg: Package, sheet_part: str, sheet: Worksheet) -> str:
    """The sheet's drawing part, created (with its <drawing r:id>) when the sheet has none."""
    for _, part in pkg.related(sheet_part, DRAWING):
        if part in pkg:
            return part
    part = _free_name(pkg, "xl/drawings/drawing{}.xml")
    pkg.add(part, etree.Element(f"{{{XDR_NS}}}wsDr", nsmap={"xdr": XDR_NS, "a": A_NS}))
    _set_override(pkg, part, DRAWING_TYPE)
    rid = add_relationship(pkg, sheet_part, DRAWING, relative(sheet_part, part))
    sheet.child("drawing").set(_RID, rid)
    return part


def _remove_ours(pkg: Package, drawing: str, root: etree._Element) -> list[str]:
    """Take crmbook's anchors out of the drawing; their chart parts, for reuse."""
    targets = {rid: part for rid, part in pkg.related(drawing, CHART)}
    freed = []
    for anchor in list(root):
        names = [e.get("name", "") for e in anchor.iter(f"{{{XDR_NS}}}cNvPr")]
        if not any(n.startswith(NAME) for n in names):
            continue
        root.remove(anchor)
        for ref in anchor.iter(f"{{{C_NS}}}chart"):
            rid = ref.get(_RID, "")
            _unrelate(pkg, drawing, rid)
            if targets.get(rid) in pkg:
                freed.append(targets[rid])
                _drop_rels(pkg, targets[rid])
    return freed


def _drop(pkg: Package, part: str) -> None:
    pkg.remove(part)
    _set_override(pkg, part, None)


def _drop_rels(pkg: Package, part: str) -> None:
    """Remove a chart's own related parts (Excel's chart style and colours) and their list."""
    name = rels_name(part)
    if name not in pkg:
        return
    for rel in pkg.xml(name):
        if rel.get("TargetMode") != "External":
            target = resolve(part, rel.get("Target", ""))
            if target in pkg:
                _drop(pkg, target)
    pkg.remove(name)


def _free_name(pkg: Package, pattern: str) -> str:
    number = 1
    while pattern.format(number) in pkg:
        number += 1
    return pattern.format(number)


def _unrelate(pkg: Package, source: str, rid: str) -> None:
    rels = pkg.rels(source)
    for rel in list(rels):
        if rel.get("Id") == rid:
            rels.remove(rel)
    pkg.changed(rels_name(source))


def _set_override(pkg: Package, part: str, content_type: str | None) -> None:
    """Declare a part's content type, or (None) remove its declaration."""
    types = pkg.xml(_CONTENT_TYPES)
    for override in list(types):
        if override.get("PartName") == f"/{part}":
            types.remove(override)
    if content_type is not None:
        etree.SubElement(
            types, f"{{{CT_NS}}}Override", PartName=f"/{part}", ContentType=content_type
        )
    pkg.changed(_CONTENT_TYPES)


def absolute(sheet_name: str, cells: str) -> str:
    """'B5:B9' on sheet Rapport -> "'Rapport'!$B$5:$B$9"."""
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    return f"{quoted}!" + _CELL.sub(lambda m: f"${m.group(1).upper()}${m.group(2)}", cells)


def anchor_xml(chart: ChartLike, rid: str, shape_id: int, name: str) -> bytes:
    """A oneCellAnchor holding the chart: its top-left cell and its size in EMU."""
    row, col = split_ref(chart.anchor)
    cx, cy = round(chart.width_cm * _EMU_PER_CM), round(chart.height_cm * _EMU_PER_CM)
    return f"""<xdr:oneCellAnchor xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}">
<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row>\
<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{cx}" cy="{cy}"/>
<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{shape_id}" name={quoteattr(name)}\
 descr={quoteattr(chart.title)}/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>
<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>
<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" xmlns:r="{REL_NS}" r:id="{rid}"/>\
</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>""".encode()


def chart_xml(chart: ChartLike, sheet_name: str) -> bytes:
    """A chart part: one clustered bar chart, a legend when it has several series."""
    horizontal = chart.kind == "bar"
    series = "".join(
        _series_xml(i, name, absolute(sheet_name, chart.categories), absolute(sheet_name, values))
        for i, (name, values) in enumerate(chart.series)
    )
    legend = "<c:legend><c:legendPos val='b'/><c:overlay val='0'/></c:legend>"
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{REL_NS}"><c:roundedCorners val="0"/>
<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>\
<a:r><a:rPr lang="en-US" sz="1200" b="1"/><a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich>\
</c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>
<c:plotArea><c:layout/><c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/>\
<c:grouping val="clustered"/><c:varyColors val="0"/>{series}<c:gapWidth val="80"/>\
<c:axId val="500001"/><c:axId val="500002"/></c:barChart>{_axes_xml(horizontal)}</c:plotArea>\
{legend if len(chart.series) > 1 else ""}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>\
</c:chart></c:chartSpace>""".encode()


def _series_xml(index: int, name: str, categories: str, values: str) -> str:
    return (
        f"<c:ser><c:idx val='{index}'/><c:order val='{index}'/>"
        f"<c:tx><c:v>{escape(name)}</c:v></c:tx><c:invertIfNegative val='0'/>"
        f"<c:cat><c:strRef><c:f>{escape(categories)}</c:f></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{escape(values)}</c:f></c:numRef></c:val></c:ser>"
    )


def _axes_xml(horizontal: bool) -> str:
    """Category and value axes; horizontal bars list the first category at the top."""
    ticks = "<c:majorTickMark val='out'/><c:minorTickMark val='none'/><c:tickLblPos val='nextTo'/>"
    return (
        "<c:catAx><c:axId val='500001'/><c:scaling>"
        f"<c:orientation val='{'maxMin' if horizontal else 'minMax'}'/></c:scaling>"
        f"<c:delete val='0'/><c:axPos val='{'l' if horizontal else 'b'}'/>"
        f"<c:numFmt formatCode='General' sourceLinked='0'/>{ticks}<c:crossAx val='500002'/>"
        "<c:crosses val='autoZero'/><c:auto val='1'/><c:lblAlgn val='ctr'/>"
        "<c:lblOffset val='100'/><c:noMultiLvlLbl val='0'/></c:catAx>"
        "<c:valAx><c:axId val='500002'/><c:scaling><c:orientation val='minMax'/></c:scaling>"
        f"<c:delete val='0'/><c:axPos val='{'b' if horizontal else 'l'}'/><c:majorGridlines/>"
        f"<c:numFmt formatCode='#,##0' sourceLinked='0'/>{ticks}<c:crossAx val='500001'/>"
        f"<c:crosses val='{'max' if horizontal else 'autoZero'}'/>"
        "<c:crossBetween val='between'/></c:valAx>"
    )
