"""Mailings figures: letters sent and responses per campaign, and per campaign and customer group.

Letters are Mailings rows. Responses are counted per recipient (a customer in a campaign), by
that customer's latest response in the campaign (``responses``); a recipient whose
letters have no response yet counts as No response, so No response + Negative + Positive =
Recipients. The rates share that unit: Response rate = (Negative + Positive) / Recipients;
Positive rate = Positive / Recipients; both in per cent, blank when there are no recipients
(a customer who got two letters in a campaign and answered once has answered: 100 %).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from crmbook.core import schema as s
from crmbook.core.responses import (
    NEGATIVE,
    NO_RESPONSE,
    POSITIVE,
    RESPONSES,
    latest,
    mailing_log,
)

CAMPAIGN = "Campaign"
COUNTS = ("Letters", "Recipients", *RESPONSES)
RATES = ("Response rate (%)", "Positive rate (%)")
BANDS = {"Turnover band": s.TURNOVER_BANDS, "Employee band": s.EMPLOYEE_BANDS}
_BLANK = "\x00blank"


def rate(part: int, whole: int) -> float | None:
    """``part`` in per cent of ``whole`` (one decimal); None when ``whole`` is 0."""
    return round(100.0 * part / whole, 1) if whole else None


def campaigns(mailings: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign, the earliest sent first: letters, recipients, responses, rates."""
    log = _log(mailings)
    table = _counts(log, [CAMPAIGN], pd.Index(_campaign_order(log), name=CAMPAIGN))
    return _finish(table, [CAMPAIGN])


def by_group(mailings: pd.DataFrame, customers: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One row per campaign and band of ``dimension`` (each band, also those without letters);
    a recipient's band is the one on Customers now."""
    log = _log(mailings)
    known = customers[customers["Customer ID"].notna()].set_index("Customer ID")[dimension]
    log[dimension] = log["Customer ID"].map(known).fillna(_BLANK)
    listed = list(BANDS[dimension])
    others = sorted(set(log[dimension]) - {*listed, _BLANK})
    groups = [*listed, *others, *([_BLANK] if (log[dimension] == _BLANK).any() else [])]
    index = pd.MultiIndex.from_product([_campaign_order(log), groups], names=[CAMPAIGN, dimension])
    return _finish(_counts(log, [CAMPAIGN, dimension], index), [CAMPAIGN, dimension])


def all_campaigns(table: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """A ``by_group`` table summed over the campaigns: one row per band, its rates over every
    campaign (a customer who got letters in two campaigns is two recipients)."""
    keys = table[dimension].fillna(_BLANK)
    order = list(dict.fromkeys(keys))
    counts = table[list(COUNTS)].groupby(keys.to_numpy(), sort=False).sum().reindex(order)
    counts.index.name = dimension
    return _finish(counts.astype(int), [dimension])


def _log(mailings: pd.DataFrame) -> pd.DataFrame:
    log = mailing_log(mailings)
    log[CAMPAIGN] = log[CAMPAIGN].fillna(_BLANK)
    return log


def _campaign_order(log: pd.DataFrame) -> list[str]:
    """Campaigns by their first sending date (undated last), then by name."""
    first = log.groupby(CAMPAIGN)["Date sent"].min()
    frame = pd.DataFrame({"first": first, "name": first.index})
    return frame.sort_values(["first", "name"], na_position="last").index.tolist()


def _counts(log: pd.DataFrame, keys: list[str], index: pd.Index) -> pd.DataFrame:
    """Letters, recipients and responses by kind for every key in ``index`` (0 when none)."""
    recipients = log[log["Customer ID"].notna()].drop_duplicates(["Customer ID", CAMPAIGN])
    answers = latest(log).set_index(["Customer ID", CAMPAIGN])["Response"]
    pairs = recipients.set_index(["Customer ID", CAMPAIGN]).index
    kinds = pd.Series(answers.reindex(pairs).to_numpy(), index=recipients.index)
    recipients = recipients.assign(Kind=kinds.fillna(NO_RESPONSE))
    table = pd.DataFrame(index=index)
    table["Letters"] = _sizes(log, keys, index)
    table["Recipients"] = _sizes(recipients, keys, index)
    for kind in RESPONSES:
        table[kind] = _sizes(recipients[recipients["Kind"] == kind], keys, index)
    return table


def _sizes(frame: pd.DataFrame, keys: Sequence[str], index: pd.Index) -> pd.Series:
    sizes = frame.groupby(list(keys)).size()
    return sizes.reindex(index, fill_value=0).astype(int)


def _finish(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rates added, the key columns moved out of the index, blank keys as None."""
    recipients = table["Recipients"].tolist()
    answered = (table[NEGATIVE] + table[POSITIVE]).tolist()
    positive = table[POSITIVE].tolist()
    table[RATES[0]] = pd.Series(map(rate, answered, recipients), index=table.index, dtype=object)
    table[RATES[1]] = pd.Series(map(rate, positive, recipients), index=table.index, dtype=object)
    out = table.reset_index()
    for key in keys:
        out[key] = pd.Series([None if v == _BLANK else v for v in out[key]], dtype=object)
    return out[[*keys, *COUNTS, *RATES]]
