"""Responses to mailings: the latest answer per customer and campaign (or per customer).

One rule for every reader of the Mailings log, so the report's response figures and the
selections' ``Last response`` agree: a Response counts when it is one of the list's values
(No response, Negative, Positive, in either language); the latest one wins, dated by Response
date, else Date sent; an undated row counts as the oldest, and among equal dates the row further
down the sheet wins (the log is written in order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import vectors
from crmbook.core.typed import text
from crmbook.core.vocabulary import canonical_value, norm

RESPONSES = s.LISTS_EN["response"]  # ("No response", "Negative", "Positive")
NO_RESPONSE, NEGATIVE, POSITIVE = RESPONSES
PER_CAMPAIGN = ("Customer ID", "Campaign")
PER_CUSTOMER = ("Customer ID",)


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A raw column, or blanks when the sheet lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object, name=name)


def texts(values: pd.Series, convert: Callable[[str], str | None] | None = None) -> pd.Series:
    """Cells as a person reads them (None when blank), optionally converted further."""
    shown = (text(v) for v in values)
    out = [None if t is None else convert(t) if convert else t for t in shown]
    return pd.Series(out, index=values.index, dtype=object, name=values.name)


def mailing_log(mailings: pd.DataFrame) -> pd.DataFrame:
    """The Mailings rows typed: Customer ID (float), Campaign (text), Response (English list
    value or None), Date sent, When (the response's date, else the sending date)."""
    responses = texts(column(mailings, "Response"), _response)
    when = pd.Series(vectors.dates(column(mailings, "Response date")), index=mailings.index)
    sent = pd.Series(vectors.dates(column(mailings, "Date sent")), index=mailings.index)
    return pd.DataFrame(
        {
            "Customer ID": vectors.numbers(column(mailings, "Customer ID"), s.Kind.ID),
            "Campaign": one_spelling(texts(column(mailings, "Campaign"))),
            "Response": responses,
            "Date sent": sent,
            "When": when.fillna(sent),
        },
        index=mailings.index,
    )


def one_spelling(campaigns: pd.Series) -> pd.Series:
    """Each campaign as first written on the sheet: "vinter2025" is "Vinter 2025" when that
    came first, as selections match campaigns (case- and space-insensitive)."""
    first: dict[str, str] = {}
    for name in campaigns.dropna():
        first.setdefault(norm(name), name)
    return campaigns.map(lambda name: None if name is None else first[norm(name)])


def latest_responses(mailings: pd.DataFrame, per: Sequence[str] = PER_CAMPAIGN) -> pd.DataFrame:
    """One row per ``per`` key (default: customer and campaign) that has a response: the key
    columns, Response (English) and When. Rows without a Customer ID are left out."""
    return latest(mailing_log(mailings), per)


def latest(log: pd.DataFrame, per: Sequence[str] = PER_CAMPAIGN) -> pd.DataFrame:
    """``latest_responses`` of a log already typed by ``mailing_log``."""
    keys = list(per)
    answered = log[log["Customer ID"].notna() & log["Response"].notna()]
    answered = answered.dropna(subset=keys)
    ordered = answered.sort_values("When", kind="stable", na_position="first")
    latest = ordered.drop_duplicates(keys, keep="last")
    return latest[[*keys, "Response", "When"]].reset_index(drop=True)


def _response(value: str) -> str | None:
    english = canonical_value(value)
    return english if english in RESPONSES else None
