"""Select on 100,000 customers with 5 criteria, from the raw register frames (SPEC §5: ≤ 0.3 s).

Builds the register in memory (customers, purchases, mailings as a reader gives them: object
columns of floats, text and dates), then times ``compute`` — column building, every criterion,
the funnel and the No-marketing exclusion. Run: python benchmarks/bench_select.py [--customers N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

import numpy as np
import pandas as pd

from crmbook.actions.select import compute
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData

TARGET_SECONDS = 0.3
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


def main(n: int = 100_000, repeat: int = 5) -> float:
    """Best time of ``repeat`` runs, printed with the funnel of the last one."""
    register = build(n)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute(register, "Bench")
        times.append(time.perf_counter() - start)
    for step in result.funnel:
        print(f"  {step.criterion:<45} {step.remaining:>8}")
    best = min(times)
    verdict = "OK" if best <= TARGET_SECONDS else "SLOWER THAN TARGET"
    median = sorted(times)[len(times) // 2]
    print(f"select {n:,} customers, {len(CRITERIA)} criteria: best {best:.3f} s, "
          f"median {median:.3f} s (target ≤ {TARGET_SECONDS} s) {verdict}")  # fmt: skip
    return best


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    best = main(parser.parse_args().customers)
    sys.exit(0 if best <= TARGET_SECONDS else 1)
