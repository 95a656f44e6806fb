"""Customer value: a simple, documented lifetime-value estimate per customer.

    lifetime value = average yearly purchases × margin × expected customer years

Average yearly purchases = all the customer's purchases ÷ the years since their first purchase
(at least one year, so a new customer's first order is not multiplied up). Margin = the
customer's Profitability (%), or the "Default margin (%)" setting when it is blank. Expected
customer years = the "Expected customer years" setting. Both settings are optional rows on the
Settings sheet; a blank, unreadable or out-of-range value means the default below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmbook.core.typed import number

EXPECTED_YEARS = "Expected customer years"
DEFAULT_MARGIN = "Default margin (%)"
#: Settings rows the report reads (English name -> bokmål label), beside SPEC §1's.
SETTINGS_NB = {EXPECTED_YEARS: "Forventet antall kundeår", DEFAULT_MARGIN: "Standard margin (%)"}
VALUE = "Lifetime value (NOK)"
YEARLY = "Average yearly purchases (NOK)"
MARGIN = "Margin (%)"
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Assumptions:
    """What the lifetime value assumes; the defaults apply when Settings lacks a value."""

    expected_years: float = 5.0
    default_margin_pct: float = 10.0


def assumptions(settings: Mapping[str, object]) -> Assumptions:
    """The assumptions from the Settings sheet's values (English names), defaults elsewhere."""
    years = number(settings.get(EXPECTED_YEARS))
    margin = number(settings.get(DEFAULT_MARGIN))
    default = Assumptions()
    return Assumptions(
        expected_years=years if years is not None and 0 < years <= 100 else default.expected_years,
        default_margin_pct=(
            margin if margin is not None and -100 <= margin <= 100 else default.default_margin_pct
        ),
    )


def lifetime_values(customers: pd.DataFrame, today: dt.date, given: Assumptions) -> pd.DataFrame:
    """Per customer (with ``Purchases total (NOK)``, ``First purchase`` and Profitability):
    years as a customer, average yearly purchases, margin used and lifetime value."""
    first = pd.to_datetime(customers["First purchase"])
    days = (pd.Timestamp(today) - first).dt.days.to_numpy(dtype=float)
    years = np.fmax(np.nan_to_num(days / _DAYS_PER_YEAR, nan=1.0), 1.0)
    yearly = customers["Purchases total (NOK)"].to_numpy(dtype=float) / years
    margin = customers["Profitability (%)"].fillna(given.default_margin_pct).to_numpy(dtype=float)
    value = yearly * margin / 100.0 * given.expected_years
    return pd.DataFrame(
        {"Years": years, YEARLY: yearly, MARGIN: margin, VALUE: value}, index=customers.index
    )


def top_values(
    customers: pd.DataFrame, today: dt.date, given: Assumptions, top: int
) -> pd.DataFrame:
    """The ``top`` customers by lifetime value, among those who have bought something."""
    values = lifetime_values(customers, today, given)
    bought = customers["Purchases total (NOK)"].gt(0) & customers["Customer ID"].notna()
    ranked = values[bought].sort_values(VALUE, ascending=False, kind="stable").head(top)
    chosen = customers.loc[ranked.index]
    return pd.DataFrame(
        {
            "Company": chosen["Company"],
            "Customer ID": chosen["Customer ID"].astype(int),
            "First purchase": [
                None if pd.isna(d) else d.date() for d in pd.to_datetime(chosen["First purchase"])
            ],
            YEARLY: ranked[YEARLY].round(0),
            MARGIN: ranked[MARGIN].round(1),
            VALUE: ranked[VALUE].round(0),
        }
    ).reset_index(drop=True)
