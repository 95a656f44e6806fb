"""The report's figures: what the register and the mailings say, as plain tables.

Pure: a Register and the day of the run in, frames out (English column names, list values as
their English canonical values, blank groups as None), so the Report sheet, ``--json`` and tests
all read the same numbers. NOK sums are rounded to whole kroner and percentages to one decimal.
"Last 12 months" is the year up to and including ``today``; purchases dated after ``today`` count
in the totals only. docs/report.md explains every figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmbook.core import report_mailings, report_value, vectors
from crmbook.core import schema as s
from crmbook.core.register import Register
from crmbook.core.report_mailings import BANDS
from crmbook.core.report_value import Assumptions
from crmbook.core.responses import column, texts
from crmbook.core.selection import keys
from crmbook.core.vocabulary import canonical_value

TOP = 20
RECENT = "Purchases last 12 months (NOK)"
TOTAL = "Purchases total (NOK)"
PROFIT = "Profitability (%)"
AVERAGE_PROFIT = "Average profitability (%)"
#: The customer groups figures are broken down by (Customers fields).
DIMENSIONS = ("Turnover band", "Employee band", "Industry", "Group", "Department")
_BLANK = "\x00blank"  # stands in for a blank group while grouping


@dataclass(frozen=True)
class Figures:
    """Everything on the Report sheet."""

    today: dt.date
    since: dt.date  # first day of the last 12 months
    summary: dict[str, float | int | None]
    top_recent: pd.DataFrame  # top customers by purchases in the last 12 months
    top_total: pd.DataFrame  # top customers by purchases ever
    groups: dict[str, pd.DataFrame]  # dimension -> one row per group
    products: pd.DataFrame  # Product, one column per year (str), Total
    campaigns: pd.DataFrame
    by_employee_band: pd.DataFrame
    by_turnover_band: pd.DataFrame
    top_value: pd.DataFrame  # top customers by lifetime value
    assumptions: Assumptions


def compute(register: Register, today: dt.date) -> Figures:
    """Every figure of the report, as of ``today``."""
    since = year_before(today)
    purchases = purchase_table(register)
    customers = with_purchases(customer_table(register), purchases, since, today)
    assumptions = report_value.assumptions(register.settings)
    mailings = register.frame(s.MAILINGS)
    campaigns = report_mailings.campaigns(mailings)
    return Figures(
        today=today,
        since=since,
        summary=summary(customers, purchases, campaigns, since, today),
        top_recent=top_customers(customers, RECENT),
        top_total=top_customers(customers, TOTAL),
        groups={d: group_table(customers, d, register) for d in DIMENSIONS},
        products=products_per_year(purchases, register),
        campaigns=campaigns,
        by_employee_band=report_mailings.by_group(mailings, customers, "Employee band"),
        by_turnover_band=report_mailings.by_group(mailings, customers, "Turnover band"),
        top_value=report_value.top_values(customers, today, assumptions, TOP),
        assumptions=assumptions,
    )


def year_before(today: dt.date) -> dt.date:
    """The first day of the 12 months that end with ``today`` (29 February -> 1 March)."""
    try:
        return today.replace(year=today.year - 1) + dt.timedelta(days=1)
    except ValueError:
        return dt.date(today.year - 1, 3, 1)


def canonical(value: str) -> str:
    """A list value in English when it is a known one (either language), else as typed."""
    return canonical_value(value) or value


def customer_table(register: Register) -> pd.DataFrame:
    """The Customers fields the report uses, typed; a repeated Customer ID counts once."""
    raw = register.frame(s.CUSTOMERS)
    table = pd.DataFrame(
        {
            "Customer ID": vectors.numbers(column(raw, "Customer ID"), s.Kind.ID),
            "Company": texts(column(raw, "Company")),
            "Status": texts(column(raw, "Status"), canonical),
            "Group": texts(column(raw, "Group")),
            "Industry": texts(column(raw, "Industry"), canonical),
            "Turnover band": _bands(raw, "Turnover band", "Turnover (NOK)", s.turnover_band),
            "Employee band": _bands(raw, "Employee band", "Employees", s.employee_band),
            "Department": texts(column(raw, "Department")),
            "Turnover (NOK)": vectors.numbers(column(raw, "Turnover (NOK)"), s.Kind.NUMBER),
            PROFIT: vectors.numbers(column(raw, PROFIT), s.Kind.NUMBER),
        },
        index=raw.index,
    )
    ids = table["Customer ID"]
    return table[~(ids.notna() & ids.duplicated())]


def _bands(
    raw: pd.DataFrame, band: str, number: str, band_of: Callable[[float], str | None]
) -> pd.Series:
    """The band as written (in its list spelling), else the band of the number beside it."""
    spelled = {keys.band_key(b): b for b in BANDS[band]}
    written = texts(column(raw, band), lambda t: spelled.get(keys.band_key(t), t))
    numbers = vectors.numbers(column(raw, number), s.Kind.NUMBER)
    derived = [
        w if w is not None or np.isnan(n) or n < 0 else band_of(n)
        for w, n in zip(written, numbers, strict=True)
    ]
    return pd.Series(derived, index=raw.index, dtype=object)


def purchase_table(register: Register) -> pd.DataFrame:
    """Purchases typed: Customer ID, Date (datetime64), Product (English), Amount (NOK)."""
    raw = register.frame(s.PURCHASES)
    return pd.DataFrame(
        {
            "Customer ID": vectors.numbers(column(raw, "Customer ID"), s.Kind.ID),
            "Date": vectors.dates(column(raw, "Date")),
            "Product": texts(column(raw, "Product"), canonical),
            "Amount (NOK)": vectors.numbers(column(raw, "Amount (NOK)"), s.Kind.NUMBER),
        },
        index=raw.index,
    )


def with_purchases(
    customers: pd.DataFrame, purchases: pd.DataFrame, since: dt.date, today: dt.date
) -> pd.DataFrame:
    """Customers with their purchases: last 12 months, total and the first purchase's date."""
    amount = purchases["Amount (NOK)"].fillna(0.0)
    recent = purchases["Date"].between(pd.Timestamp(since), pd.Timestamp(today))
    by_id = purchases["Customer ID"]
    ids = customers["Customer ID"]
    out = customers.copy()
    out[RECENT] = _per_customer(amount.where(recent, 0.0).groupby(by_id).sum(), ids).fillna(0.0)
    out[TOTAL] = _per_customer(amount.groupby(by_id).sum(), ids).fillna(0.0)
    out["First purchase"] = _per_customer(purchases["Date"].groupby(by_id).min(), ids)
    return out


def _per_customer(per_id: pd.Series, ids: pd.Series) -> pd.Series:
    """Values keyed by Customer ID lined up with the customers (missing: NaN or NaT)."""
    return pd.Series(per_id.reindex(ids.to_numpy()).to_numpy(), index=ids.index)


def summary(
    customers: pd.DataFrame,
    purchases: pd.DataFrame,
    campaigns: pd.DataFrame,
    since: dt.date,
    today: dt.date,
) -> dict[str, float | int | None]:
    """The key figures at the top of the report (purchases of every Purchases row, also those
    of a Customer ID that is not on Customers)."""
    amount = purchases["Amount (NOK)"].fillna(0.0)
    recent = purchases["Date"].between(pd.Timestamp(since), pd.Timestamp(today))
    letters = int(campaigns["Letters"].sum())
    recipients = int(campaigns["Recipients"].sum())
    answered = int(campaigns["Negative"].sum() + campaigns["Positive"].sum())
    return {
        "Customers": int((customers["Status"] == "Customer").sum()),
        "Prospects": int((customers["Status"] == "Prospect").sum()),
        "Customers with purchases": int((customers[TOTAL] > 0).sum()),
        RECENT: round(float(amount[recent].sum())),
        TOTAL: round(float(amount.sum())),
        "Letters sent": letters,
        "Response rate (%)": report_mailings.rate(answered, recipients),
    }


def top_customers(customers: pd.DataFrame, by: str) -> pd.DataFrame:
    """The ``TOP`` customers who bought most (by ``by``); customers who bought nothing are left
    out, ties go to the lower Customer ID."""
    bought = customers[(customers[by] > 0) & customers["Customer ID"].notna()]
    other = TOTAL if by == RECENT else RECENT
    ranked = bought.sort_values([by, other, "Customer ID"], ascending=[False, False, True])
    top = ranked.head(TOP)
    return pd.DataFrame(
        {
            "Company": top["Company"],
            "Customer ID": top["Customer ID"].astype(int),
            RECENT: top[RECENT].round(0),
            TOTAL: top[TOTAL].round(0),
            "Turnover (NOK)": top["Turnover (NOK)"],
            PROFIT: top[PROFIT],
        }
    ).reset_index(drop=True)


def group_table(customers: pd.DataFrame, dimension: str, register: Register) -> pd.DataFrame:
    """Customers, purchases and average profitability per group of ``dimension``.

    Bands and industries list every value of their list, also those without customers; a
    "blank" group (None) comes last when some customers have none.
    """
    labels = customers[dimension].fillna(_BLANK)
    grouped = customers.groupby(labels, sort=False)
    table = pd.DataFrame(
        {
            "Customers": grouped.size(),
            RECENT: grouped[RECENT].sum().round(0),
            TOTAL: grouped[TOTAL].sum().round(0),
            AVERAGE_PROFIT: grouped[PROFIT].mean().round(1),
        }
    )
    order = _group_order(table, _listed(dimension, register))
    table = table.reindex(order)
    table[["Customers", RECENT, TOTAL]] = table[["Customers", RECENT, TOTAL]].fillna(0)
    table["Customers"] = table["Customers"].astype(int)
    return table.reset_index(drop=True).assign(Value=_labels(table.index))[
        ["Value", *table.columns]
    ]


def _listed(dimension: str, register: Register) -> list[str]:
    if dimension in BANDS:
        return list(BANDS[dimension])
    if dimension == "Industry":
        return list(dict.fromkeys(canonical(v) for v in register.lists.get("industry", ())))
    return []


def _group_order(table: pd.DataFrame, listed: list[str]) -> list[str]:
    """Listed values in list order, then the others by purchases (most first), blank last."""
    found = table.drop(index=[v for v in [*listed, _BLANK] if v in table.index])
    others = found.sort_values([TOTAL], ascending=False, kind="stable").index.tolist()
    return [*listed, *others, *([_BLANK] if _BLANK in table.index else [])]


def products_per_year(purchases: pd.DataFrame, register: Register) -> pd.DataFrame:
    """Purchases (NOK) per product (rows, list order first) and year (columns), with a Total.

    Years run from the first to the last year with purchases, also a year between without any
    (all zeros), so a chart's axis has no gap; undated purchases count in Total only.
    """
    amount = purchases["Amount (NOK)"].fillna(0.0)
    product = purchases["Product"].fillna(_BLANK)
    year = purchases["Date"].dt.year
    dated = pd.DataFrame({"product": product, "year": year, "amount": amount}).dropna()
    pivot = dated.pivot_table(
        index="product", columns="year", values="amount", aggfunc="sum", fill_value=0.0
    )
    if len(pivot.columns):
        years = range(int(min(pivot.columns)), int(max(pivot.columns)) + 1)
        pivot = pivot.reindex(columns=list(years), fill_value=0.0)
    pivot.columns = [str(int(y)) for y in pivot.columns]
    listed = list(dict.fromkeys(canonical(v) for v in register.lists.get("product", ())))
    totals = amount.groupby(product).sum()
    table = pd.DataFrame(index=_group_order(totals.to_frame(TOTAL), listed))
    table = table.join(pivot).fillna(0.0).round(0)
    table["Total"] = totals.reindex(table.index).fillna(0.0).round(0)
    return table.reset_index(drop=True).assign(Product=_labels(table.index))[
        ["Product", *table.columns]
    ]


def _labels(index: pd.Index) -> pd.Series:
    """Group labels with the blank group as None."""
    return pd.Series([None if v == _BLANK else v for v in index], dtype=object)
