"""`crmbook select BOOK --selection …` as the user waits for it, against a bare calamine read.

    python benchmarks/bench_select.py [--customers 10000 100000] [--quick]

SPEC §5: the whole process (interpreter start, read, compute, Recipients written) ≤ 1.5× a bare
python-calamine read of the same workbook in its own process, at 10k and 100k customers. The
register is a `crmbook new --demo N` workbook and its example selection "Konferansetilbud";
each run gets a fresh copy. Beside it, labelled, ``compute`` alone on frames in memory with 5
criteria (column building, every criterion, the funnel, the No-marketing exclusion).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import numpy as np
import pandas as pd
from common import CRMBOOK, in_memory, machine, span, whole_command

from crmbook.actions.select import compute
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData

TARGET = 1.5
SELECTION = "Konferansetilbud"
CRITERIA = [
    ("Employees", ">", 100),
    ("Purchased product", "=", "Konferanse"),
    ("Remark", "<>", "Dårlig betaler"),
    ("Employee band", "between", "10-49;≥500"),
    ("Last purchase date", ">=", "01.01.2025"),
]


def _sheet(key: str, columns: dict[str, object], n: int) -> SheetData:
    fields = [f.name for f in s.SHEET_FIELDS[key]]
    data = {f: np.asarray(columns.get(f, [None] * n), dtype=object) for f in fields}
    frame = pd.DataFrame(data, index=pd.RangeIndex(2, n + 2))
    return SheetData(key, key, frame, {f: chr(65 + i) for i, f in enumerate(fields)})


def build(n: int, seed: int = 1) -> Register:
    """A register of ``n`` customers, 2.5 purchases and 1 mailing per customer on average."""
    rng = np.random.default_rng(seed)
    employees = rng.integers(0, 1000, n).astype(float)
    customers = {
        "Customer ID": np.arange(1, n + 1, dtype=float),
        "Company": [f"Firma {i} AS" for i in range(n)],
        "City": rng.choice(["Oslo", "Bergen", "Trondheim", "Tromsø"], n),
        "Employees": employees,
        "Employee band": [s.employee_band(int(e)) for e in employees],
        "Remark": rng.choice(["Dårlig betaler", "Kredittstopp", None, None, None, None], n),
        "Industry": rng.choice(["IT", "Handel", "Finans", "Reiseliv"], n),
        "No marketing": rng.choice(["Ja", "Nei", None, None], n),
    }
    p = int(n * 2.5)
    first = dt.date(2022, 1, 1)
    purchases = {
        "Customer ID": rng.integers(1, n + 1, p).astype(float),
        "Date": [first + dt.timedelta(days=int(d)) for d in rng.integers(0, 1500, p)],
        "Product": rng.choice(["Konferanse", "Overnatting", "Møterom", "Bankett"], p),
        "Amount (NOK)": rng.integers(1000, 100000, p).astype(float),
    }
    mailings = {
        "Mailing ID": np.arange(1, n + 1, dtype=float),
        "Campaign": rng.choice(["Vinter 2025", "Sommer 2025"], n),
        "Customer ID": rng.integers(1, n + 1, n).astype(float),
        "Response": rng.choice(["Positiv", "Negativ", None], n),
    }
    selections = {
        "Selection": ["Bench"] * len(CRITERIA),
        "Group": [1.0] * len(CRITERIA),
        "Field": [c[0] for c in CRITERIA],
        "Operator": [c[1] for c in CRITERIA],
        "Value": [c[2] for c in CRITERIA],
    }
    sheets = {
        s.CUSTOMERS: _sheet(s.CUSTOMERS, customers, n),
        s.PURCHASES: _sheet(s.PURCHASES, purchases, p),
        s.MAILINGS: _sheet(s.MAILINGS, mailings, n),
        s.SELECTIONS: _sheet(s.SELECTIONS, selections, len(CRITERIA)),
    }
    return Register("nb", sheets, {}, {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    argv = lambda book: [CRMBOOK, "select", str(book), "--selection", SELECTION]  # noqa: E731
    ok = whole_command("select", argv, args.customers, TARGET)
    for n in args.customers:
        register = build(n)
        times = in_memory(3, lambda r=register: compute(r, "Bench"))
        print(f"{n:>7} customers: in memory only (no read, no write): compute {span(times)}")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
