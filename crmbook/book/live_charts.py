"""Native charts on a sheet open in Excel, through xlwings (the live side of ``ReplaceCharts``).

crmbook's charts are named "crmbook chart N", the name the file writer gives its drawing
objects (``crmbook.book.xlsx.charts.NAME``), so a chart made by ``crmbook report`` on a closed
file is replaced by the ribbon's Report and the other way round; any other chart on the sheet is
the user's and stays.

A chart's data are one union range: the category column and each series column, every one
taken from the header row above the first data row, so Excel names the series after the
headers in every xlwings version and on both platforms. What only newer xlwings (0.37.3+) or
only Windows can set — series by columns, the title — is tried and, when it fails, left to
Excel's defaults: a chart without a title is better than a Report that stopped half-way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from crmbook.book.xlsx.charts import NAME
from crmbook.core.edits import Chart

POINTS_PER_CM = 28.35
#: xlwings' chart types for ``Chart.kind``.
CHART_TYPES = {"column": "column_clustered", "bar": "bar_clustered"}
_XL_COLUMNS = 2  # Excel's xlColumns: each column of the source is a series
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+):\$?([A-Za-z]{1,3})\$?(\d+)")


def is_crmbooks(name: str) -> bool:
    """Whether a chart on the sheet is one crmbook made (by either port)."""
    return name == NAME or name.startswith(NAME + " ")


def replace_charts(sheet: Any, charts: Sequence[Chart]) -> None:
    """Delete the sheet's crmbook charts, then add ``charts`` in their place."""
    for old in [chart for chart in sheet.charts if is_crmbooks(chart.name)]:
        old.delete()
    for number, spec in enumerate(charts, start=1):
        add_chart(sheet, spec, f"{NAME} {number}")


def add_chart(sheet: Any, spec: Chart, name: str) -> Any:
    """One chart at its anchor cell, drawn from the sheet's own cells."""
    corner = sheet.range(spec.anchor)
    width, height = spec.width_cm * POINTS_PER_CM, spec.height_cm * POINTS_PER_CM
    chart = sheet.charts.add(corner.left, corner.top, width, height)
    chart.name = name
    chart.chart_type = CHART_TYPES.get(spec.kind, CHART_TYPES["column"])
    chart.set_source_data(sheet.range(source_address(spec)))
    _try(lambda: _plot_by_columns(chart))
    _try(lambda: _title(chart, spec.title))
    return chart


def source_address(spec: Chart) -> str:
    """The chart's data as one union address, each column from its header row down.

    ``Chart("…", "A5:A9", [("2025", "C5:C9"), ("2026", "D5:D9")], …)`` gives
    ``"A4:A9,C4:C9,D4:D9"``.
    """
    return ",".join(_with_header(ref) for ref in (spec.categories, *(v for _, v in spec.series)))


def _with_header(ref: str) -> str:
    found = _RANGE.fullmatch(ref.strip())
    if found is None:
        raise ValueError(f"not a range of one column: {ref!r}")
    first, first_row, last, last_row = found.groups()
    header_row = max(int(first_row) - 1, 1)
    return f"{first.upper()}{header_row}:{last.upper()}{last_row}"


def _has_property(chart: Any, name: str) -> bool:
    """Whether this xlwings has the property (setting a missing one would do nothing)."""
    return isinstance(getattr(type(chart), name, None), property)


def _plot_by_columns(chart: Any) -> None:
    if _has_property(chart, "plot_by"):
        chart.plot_by = "columns"
    else:
        chart.api[1].PlotBy = _XL_COLUMNS  # Windows (pywin32); elsewhere this raises


def _title(chart: Any, title: str) -> None:
    if _has_property(chart, "title"):
        chart.title = title
    else:
        api = chart.api[1]  # Windows (pywin32); elsewhere this raises
        api.HasTitle = True
        api.ChartTitle.Text = title


def _try(step: Callable[[], None]) -> None:
    """Run a finishing touch; a failure leaves Excel's default (module docstring)."""
    try:
        step()
    except Exception:  # any bridge or platform error: keep the chart as it is
        return
