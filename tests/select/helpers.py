"""Small helpers: a register with one selection, and the IDs it selects."""

from __future__ import annotations

from crmbook.actions.select import compute
from crmbook.core.register import Register
from tests.registers import register

# Ten customers covering blanks, both dashes in bands and both languages in list cells, written
# as two half tables side by side (line by line) to stay readable.
_LEFT = """
| Customer ID | Company          | Employees | Employee band | Turnover (NOK) |
| 1           | Fjord AS         | 120       | 100–499       | 25000000       |
| 2           | Bergen Bygg AS   | 90        | 50-99         | 1 000 000      |
| 3           | Tromsø Data AS   | 500       | ≥500          | 600000000      |
| 4           | Blank Ansatte AS |           |               |                |
| 5           | Reservert AS     | 150       | 100-499       | 50000000       |
| 6           | Molde Mat AS     | 101       | 100–499       | 12,5           |
| 7           | Ja Takk AS       | 300       | 100–499       | 30000000       |
| 8           | Små Firma        | 5         | 1–9           | 400000         |
| 9           | Lik Hundre AS    | 100       | 100-499       | 100000000      |
| 10          | Ny Kunde AS      | 0         |               | 0              |
"""
_RIGHT = """
| Remark           | Industry       | Postal code | City      | No marketing |
|                  | IT             | '0150'      | Oslo      |              |
|                  | Bygg og anlegg | '5003'      | Bergen    | Nei          |
| Bad payer        | IT             | '9008'      | Tromsø    |              |
|                  |                |             |           |              |
|                  | Finance        | '0151'      | Oslo      | Yes          |
| Omstridt faktura | Retail         | '6413'      | Molde     | No           |
|                  | IT             | '0152'      | oslo      | Ja           |
| Dårlig betaler   | Health         | '7010'      | Trondheim |              |
| Credit stop      | IT             | '0153'      | OSLO      |              |
|                  | Finance        | '0001'      | Oslo      |              |
"""
CUSTOMERS = "\n".join(
    left.rstrip("|") + right
    for left, right in zip(_LEFT.strip().splitlines(), _RIGHT.strip().splitlines(), strict=True)
)

PURCHASES = """
| Customer ID | Date       | Product      | Amount (NOK) |
| 1           | 2025-03-01 | Conference   | 10000        |
| 1           | 2026-01-15 | Banquet      | 2500,5       |
| 3           | 2024-11-24 | Konferanse   | 8000         |
| 5           | 2025-06-01 | Conference   | 5000         |
| 6           | 2026-02-01 | Konferanse   | 7000         |
| 7           | 2025-01-01 | Conference   | 1000         |
| 2           | 2023-05-05 | Møterom      | 300          |
| 9           | 2026-11-01 | Restaurant   | 100          |
"""

MAILINGS = """
| Mailing ID | Campaign      | Customer ID | Date sent  | Response    | Response date |
| 1          | Vinter 2025   | 1           | 2025-01-10 | Positive    | 2025-01-20    |
| 2          | Vinter 2025   | 2           | 2025-01-10 | Negativ     |               |
| 3          | Vinter 2025   | 3           | 2025-01-10 |             |               |
| 4          | Sommer 2025   | 1           | 2025-06-10 | Negative    | 2025-06-12    |
| 5          | Sommer 2025   | 2           | 2025-06-10 |             |               |
| 6          | Sommer 2025   | 6           | 2025-06-10 | Ikke svart  |               |
| 7          | Vinter 2025   | 6           | 2025-01-10 | Positiv     | 2025-07-01    |
"""


def selections(*criteria: str) -> str:
    """A Selections table for one selection 'S' from 'Group | Field | Operator | Value' rows."""
    rows = [f"| S | {c} |" for c in criteria]
    return "\n".join(["| Selection | Group | Field | Operator | Value |", *rows])


def book(*criteria: str, lang: str = "en", extra: str = "") -> Register:
    """The standard register with selection 'S' made of ``criteria`` (+ extra selection rows)."""
    text = selections(*criteria) + ("\n" + extra if extra else "")
    return register(CUSTOMERS, PURCHASES, MAILINGS, text, lang=lang)


def chosen(*criteria: str, lang: str = "en") -> list[int | None]:
    """IDs selected by selection 'S' made of ``criteria`` ('Group | Field | Operator | Value')."""
    return list(compute(book(*criteria, lang=lang), "S").customer_ids)
