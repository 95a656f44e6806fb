"""The small register the report's figures are hand-computed on (see test_figures.py)."""

from __future__ import annotations

import datetime as dt

from crmbook.core.register import Register
from tests.registers import register

TODAY = dt.date(2026, 6, 30)


def side_by_side(left: str, right: str) -> str:
    """One table from two halves (the same rows), so a wide sheet fits in the line length."""
    halves = [[ln.strip() for ln in t.strip().splitlines()] for t in (left, right)]
    return "\n".join(a.rstrip("|") + b for a, b in zip(*halves, strict=True))


CUSTOMERS = side_by_side(
    """
| Customer ID | Company  | Status   | Group        | Industry | Turnover (NOK) | Turnover band |
| 1           | Fjord AS | Customer | Nord Gruppen | IT       | 5000000        |               |
| 2           | Berg AS  | Kunde    | Nord Gruppen | Finans   | 60000000       | 50–99 M       |
| 3           | Dal AS   | Customer |              | Retail   |                |               |
| 4           | Vik AS   | Prospect |              |          |                |               |
""",
    """
| Profitability (%) | Employees | Employee band | Department |
| 10                | 120       |               | Salg Øst   |
|                   | 12        | 10-49         | Salg Vest  |
| 20                |           |               | Salg Øst   |
|                   | 0         |               |            |
""",
)

PURCHASES = """
| Customer ID | Date       | Product    | Amount (NOK) |
| 1           | 2026-06-30 | Conference | 1000         |
| 1           | 2025-07-01 | Banquet    | 500          |
| 1           | 2025-06-30 | Conference | 2000         |
| 2           | 2024-01-15 | Konferanse | 3000         |
| 3           | 2026-08-01 | Restaurant | 400          |
| 99          | 2026-01-01 | Conference | 700          |
"""

MAILINGS = """
| Mailing ID | Campaign | Customer ID | Date sent  | Response    | Response date |
| 1          | Spring   | 1           | 2026-03-01 | Positive    | 2026-03-10    |
| 2          | Spring   | 2           | 2026-03-01 | Negativ     |               |
| 3          | Spring   | 3           | 2026-03-01 |             |               |
| 4          | Spring   | 1           | 2026-04-01 | Negative    | 2026-03-05    |
| 5          | Autumn   | 1           | 2025-09-01 |             |               |
| 6          | Autumn   | 4           | 2025-09-01 | No response |               |
"""


def small(settings: dict[str, object] | None = None, mailings: str = MAILINGS) -> Register:
    """Four customers (one prospect without purchases), six purchases, two campaigns."""
    return register(CUSTOMERS, PURCHASES, mailings, settings=settings)
