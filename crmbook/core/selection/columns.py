"""The register's values as the selection engine compares them: one array per field.

Every column is built once per computation, vectorised. Text-like columns are factorised, so
keys are computed once per distinct value (a few dozen for a list column) instead of once per
customer; derived fields are grouped from Purchases and Mailings with pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from crmbook.core import responses, typed, vectors
from crmbook.core import schema as s
from crmbook.core.register import Register
from crmbook.core.selection import keys
from crmbook.core.selection import names as n
from crmbook.core.selection.values import Domain, Scope, Target


@dataclass(frozen=True)
class Coded:
    """A text-like column: its distinct keys, and per row the index of its key (-1 = blank)."""

    keys: np.ndarray  # object array of str
    codes: np.ndarray  # int64, one per row

    def take(self, per_key: np.ndarray) -> np.ndarray:
        """Spread a boolean per distinct key to the rows; blank rows get False."""
        padded = np.append(per_key.astype(bool), False)
        return padded[self.codes]  # code -1 picks the padding


@dataclass(frozen=True)
class Has:
    """Many values per customer (products bought, campaigns received): one entry per row."""

    owners: np.ndarray  # Customer ID of each row (float; rows without an id are dropped)
    values: Coded


Column = np.ndarray | Coded | Has


def coded(values: pd.Series, key: Callable[[object], str | None]) -> Coded:
    """Factorise raw cells, then key each distinct value once; equal keys share one code."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    by_key, key_uniques = pd.factorize(np.array([key(u) for u in uniques], dtype=object))
    merged = np.append(by_key, -1)[codes]
    return Coded(np.asarray(key_uniques, dtype=object), merged.astype(np.int64))


def raw_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A raw column, or blanks when the sheet lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object, name=name)


class Columns:
    """The comparable columns of one register, built on first use and kept."""

    def __init__(self, register: Register) -> None:
        self.customers = register.frame(s.CUSTOMERS)
        self.purchases = register.frame(s.PURCHASES)
        self.mailings = register.frame(s.MAILINGS)
        self.ids = self._typed(self.customers, "Customer ID", s.Kind.ID)
        self._cache: dict[tuple[str, Scope | None], Column] = {}
        self._blank: dict[str, np.ndarray] = {}
        self._responses: dict[str, np.ndarray] = {}

    def get(self, target: Target, scope: Scope | None = None) -> Column:
        """The column a criterion on ``target`` compares against (purchase figures: over the
        purchases in ``scope``)."""
        key = (target.name, scope if target.scoped else None)
        if key not in self._cache:
            self._cache[key] = self._build(target, key[1] or Scope())
        return self._cache[key]

    def blank(self, target: Target) -> np.ndarray | None:
        """Customers whose raw cell for ``target`` is blank (None, empty or spaces).

        ``is blank`` / ``not blank`` look at the cell itself, so text a field cannot read
        (Employees ``ca. 50``) is not blank. None for a derived field, whose blank is its value's.
        """
        if target.name in n.DERIVED_NB:
            return None
        if target.name not in self._blank:
            self._blank[target.name] = blank_cells(raw_column(self.customers, target.name))
        return self._blank[target.name]

    def _build(self, target: Target, scope: Scope) -> Column:
        figures = {
            n.PURCHASES_TOTAL: self._purchases_total,
            n.NUMBER_OF_PURCHASES: self._purchases_count,
            n.LAST_PURCHASE_DATE: self._last_purchase,
        }
        if target.name in figures:
            return figures[target.name](scope)
        derived = {
            n.PURCHASED_PRODUCT: self._products,
            n.OFFER_RECEIVED: self._offers,
            n.LAST_RESPONSE: self._last_response,
        }
        if target.name in derived:
            return derived[target.name]()
        raw = raw_column(self.customers, target.name)
        if target.domain is Domain.NUMBER:
            return self._typed(self.customers, target.name, s.field(s.CUSTOMERS, target.name).kind)
        if target.domain is Domain.COUNTRY:
            return _blank_is(coded(raw, keys.country_key), keys.NORWAY)
        if target.domain is Domain.BAND and target.list_name is not None:
            return _ranks(coded(raw, keys.band_key), target.list_name)
        return coded(raw, keys.list_key if target.domain is Domain.LIST else keys.text_key)

    @staticmethod
    def _typed(frame: pd.DataFrame, name: str, kind: s.Kind) -> np.ndarray:
        raw = raw_column(frame, name)
        return vectors.dates(raw) if kind is s.Kind.DATE else vectors.numbers(raw, kind)

    def _owners(self, frame: pd.DataFrame) -> np.ndarray:
        return self._typed(frame, "Customer ID", s.Kind.ID)

    def _has(self, frame: pd.DataFrame, name: str, key: Callable[[object], str | None]) -> Has:
        owners = self._owners(frame)
        keep = ~np.isnan(owners)
        return Has(owners[keep], coded(raw_column(frame, name)[keep], key))

    def _products(self) -> Has:
        return self._has(self.purchases, "Product", keys.list_key)

    def _offers(self) -> Has:
        return self._has(self.mailings, "Campaign", keys.text_key)

    def _per_customer(self, per_id: pd.Series) -> pd.Series:
        """Values keyed by Customer ID, lined up with the customers (missing -> NaN/NaT)."""
        return per_id.reindex(pd.Index(self.ids))

    @cached_property
    def _purchase_owners(self) -> np.ndarray:
        return self._owners(self.purchases)

    @cached_property
    def _purchase_dates(self) -> np.ndarray:
        return self._typed(self.purchases, "Date", s.Kind.DATE)

    @cached_property
    def _product_keys(self) -> Coded:
        return coded(raw_column(self.purchases, "Product"), keys.list_key)

    def in_scope(self, scope: Scope) -> np.ndarray | None:
        """Which purchases count for a scope (its products, all when none; in its period), or
        None when every purchase counts."""
        if scope == Scope():
            return None
        keep = np.ones(len(self.purchases), dtype=bool)
        if scope.products:
            column = self._product_keys
            keep &= column.take(np.isin(column.keys, np.array(scope.products, dtype=object)))
        if scope.start is not None:
            keep &= self._purchase_dates >= scope.start  # NaT compares False: undated drop out
        if scope.end is not None:
            keep &= self._purchase_dates <= scope.end
        return keep

    def _per_purchase(self, values: np.ndarray, scope: Scope) -> pd.core.groupby.SeriesGroupBy:
        """Values of the purchases in scope, grouped by their customer."""
        keep = self.in_scope(scope)
        owners = self._purchase_owners
        if keep is not None:
            values, owners = values[keep], owners[keep]
        return pd.Series(values).groupby(owners, sort=False)

    def _purchases_total(self, scope: Scope) -> np.ndarray:
        """Sum of Amount per customer; a customer without purchases has bought for 0."""
        amounts = self._typed(self.purchases, "Amount (NOK)", s.Kind.NUMBER)
        totals = self._per_purchase(amounts, scope).sum()
        return self._per_customer(totals).fillna(0.0).to_numpy(dtype=float)

    def _purchases_count(self, scope: Scope) -> np.ndarray:
        """Number of purchases per customer (0 when none)."""
        counts = self._per_purchase(self._purchase_owners, scope).size().astype(float)
        return self._per_customer(counts).fillna(0.0).to_numpy(dtype=float)

    def _last_purchase(self, scope: Scope) -> np.ndarray:
        latest = self._per_purchase(self._purchase_dates, scope).max()
        return self._per_customer(latest).to_numpy(dtype="datetime64[s]")

    def offer_response(self, campaign: str) -> np.ndarray:
        """Per customer, the response key to one campaign (by its key): the latest response by
        the rule of ``responses``, ``no response`` for a customer who got the campaign and has
        not answered, None for one who did not get it."""
        if campaign not in self._responses:
            log = responses.mailing_log(self.mailings)
            log["Campaign"] = [keys.text_key(c) for c in log["Campaign"]]
            log = log[log["Campaign"] == campaign]
            got = pd.Series(keys.list_key(responses.NO_RESPONSE), index=log["Customer ID"].unique())
            latest = responses.latest(log, responses.PER_CAMPAIGN)
            said = pd.Series([keys.list_key(r) for r in latest["Response"]], latest["Customer ID"])
            per_id = pd.concat([got[got.index.notna()], said]).groupby(level=0).last()
            shown = self._per_customer(per_id)
            self._responses[campaign] = shown.astype(object).where(shown.notna(), None).to_numpy()
        return self._responses[campaign]

    def _last_response(self) -> Coded:
        """Each customer's latest response, by the one rule the report uses too (``responses``)."""
        latest = responses.latest_responses(self.mailings, responses.PER_CUSTOMER)
        per_id = latest.set_index("Customer ID")["Response"]
        shown = self._per_customer(per_id[~per_id.index.duplicated()])
        return coded(shown.astype(object).where(shown.notna(), None), keys.list_key)


def blank_cells(values: pd.Series) -> np.ndarray:
    """Which raw cells are blank, decided once per distinct value."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    per_value = np.array([typed.is_blank(u) for u in uniques] + [True], dtype=bool)
    return per_value[codes]  # code -1 (None, NaN) picks the final True


def _blank_is(column: Coded, key: str) -> Coded:
    """The column with blank cells read as ``key`` (Country: blank means Norway)."""
    found = np.flatnonzero(column.keys == key)
    keys_ = column.keys if len(found) else np.append(column.keys, np.array([key], dtype=object))
    code = int(found[0]) if len(found) else len(column.keys)
    return Coded(keys_, np.where(column.codes < 0, code, column.codes))


def _ranks(column: Coded, list_name: str) -> np.ndarray:
    """Band keys to their order in the list (NaN for blank or unknown bands)."""
    ranks = keys.band_ranks(list_name)
    per_key = np.array([ranks.get(k, np.nan) for k in column.keys] + [np.nan], dtype=float)
    return per_key[column.codes]
