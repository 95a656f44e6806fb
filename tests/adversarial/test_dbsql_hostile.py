"""A hostile office's selections computed by the database: values that look like SQL or like
placeholders are only ever values, on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import pytest

from crmbook.db.sql_select import select
from tests.db.helpers import sql
from tests.db.test_db_select_sql import check

HOSTILE = ["'; DROP TABLE customers; --", "%s", "?", "%", "x' OR '1'='1", "Robert'); --"]


@pytest.mark.parametrize("value", HOSTILE)
def test_values_that_look_like_sql_are_values(url: str, value: str) -> None:
    people = [
        {"Customer ID": 1, "Company": value, "City": "Oslo"},
        {"Customer ID": 2, "Company": "Hansen AS", "City": value},
        {"Customer ID": 3, "Company": "Berg AS", "City": None},
    ]
    rows = [
        {"Selection": "A", "Group": 1, "Field": "Company", "Operator": "=", "Value": value},
        {"Selection": "A", "Group": 2, "Field": "City", "Operator": "contains", "Value": value},
        {"Selection": "B", "Group": 1, "Field": "Company", "Operator": "<>", "Value": value},
        {"Selection": "B", "Group": 1, "Field": "Offer received", "Operator": "<>",
         "Value": value},
    ]  # fmt: skip
    data = {"lang": "en", "customers": people, "purchases": [], "mailings": [], "selections": rows}
    check(url, data)  # the database agrees with the engine
    assert select(url, "A").result.customer_ids == (1, 2)
    assert select(url, "B").result.customer_ids == (2, 3)
    assert sql(url, "SELECT COUNT(*) FROM customers") == [(3,)]
