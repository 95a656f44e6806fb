"""The report's figures as one JSON object (``crmbook report --json``).

Keys are the English column names in snake_case (``purchases_total_nok``); list values are the
English canonical values; a blank group is null; dates are ISO text.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from crmbook.core.report import Figures
from crmbook.core.schema import snake


def to_json(figures: Figures) -> dict[str, object]:
    """Every figure on the Report sheet, JSON-ready."""
    return {
        "today": figures.today.isoformat(),
        "since": figures.since.isoformat(),
        "summary": {snake(k): plain(v) for k, v in figures.summary.items()},
        "top_customers_last_12_months": records(figures.top_recent),
        "top_customers_total": records(figures.top_total),
        "groups": {snake(d): records(t) for d, t in figures.groups.items()},
        "purchases_per_product": records(figures.products),
        "campaigns": records(figures.campaigns),
        "campaigns_by_employee_band": records(figures.by_employee_band),
        "campaigns_by_turnover_band": records(figures.by_turnover_band),
        "customer_value": {
            "expected_customer_years": figures.assumptions.expected_years,
            "default_margin_pct": figures.assumptions.default_margin_pct,
            "top": records(figures.top_value),
        },
    }


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A table's rows as objects keyed by snake_case column names."""
    keys = [snake(str(c)) for c in frame.columns]
    return [
        {k: plain(v) for k, v in zip(keys, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]


def plain(cell: object) -> object:
    """A cell as a JSON value: numpy numbers as Python ones, NaN as null, dates as ISO text."""
    if hasattr(cell, "item"):
        cell = cell.item()
    if isinstance(cell, float):
        if math.isnan(cell):
            return None
        return int(cell) if cell.is_integer() else cell
    if isinstance(cell, dt.date):
        return cell.isoformat()[:10]
    return cell
