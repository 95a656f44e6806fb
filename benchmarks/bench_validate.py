"""`crmbook validate BOOK` as the user waits for it, against a bare calamine read of BOOK.

    python benchmarks/bench_validate.py [--customers 10000 100000] [--quick]

SPEC §5: the whole process (interpreter start, read, checks, marks and Issues written) ≤ 2.0×
a bare python-calamine read of the same workbook in its own process, at 10k and 100k customers,
≤ 400 MB at 100k. The register is a `crmbook new --demo N` workbook (planted mistakes
included); each run gets a fresh copy. Beside it, labelled, the checks alone in memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys

from common import CRMBOOK, in_memory, machine, span, whole_command

TARGET = 2.0

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number(rng: random.Random) -> str:
    """A random valid Norwegian org number (MOD11)."""
    while True:
        base = str(rng.randint(80_000_000, 99_999_999))
        check = (11 - sum(w * int(d) for w, d in zip(WEIGHTS, base, strict=True)) % 11) % 11
        if check != 10:
            return base + str(check)


def customer(i: int, rng: random.Random) -> list[object]:
    """One Customers row in schema order, valid unless a mistake is planted."""
    from crmbook.core import schema as s

    employees = float(rng.randint(0, 2000))
    turnover = float(rng.randint(0, 900) * 1_000_000)
    row = [
        float(i), f"Bedrift {i} AS", org_number(rng), "Customer", None, f"Kari Nordmann {i}",
        "Daglig leder", f"Storgata {i % 200 + 1}", f"{rng.randint(1, 9999):04d}", "Oslo", None,
        f"post{i}@bedrift{i % 5000}.no", f"+47 9{rng.randint(1000000, 9999999)}", "IT",
        turnover, s.turnover_band(turnover), round(rng.uniform(-10, 30), 1), employees,
        s.employee_band(int(employees)), None, "No", "Salg", "Ola", "notat",
    ]  # fmt: skip
    if i % 500 == 0:
        row[8] = float(rng.randint(1, 999))  # postal code that lost its leading zero
        row[11] = "ola@"
        row[17] = "ca. 50"
    return row


def build(customers: int, purchases: int, seed: int = 7):
    """A Register of ``customers`` (24 columns filled, the late ones blank) and ``purchases``
    purchases, in memory."""
    import pandas as pd

    from crmbook.book import layout
    from crmbook.core import schema as s
    from crmbook.core.register import Register, SheetData

    rng = random.Random(seed)
    start = dt.date(2026, 1, 1)
    rows = {
        s.CUSTOMERS: [customer(i, rng) for i in range(1, customers + 1)],
        s.PURCHASES: [
            [
                float(rng.randint(1, customers)),
                start + dt.timedelta(rng.randint(0, 300)),
                "Conference",
                float(rng.randint(1000, 400_000)),
                None,
            ]
            for _ in range(purchases)
        ],
        s.MAILINGS: [],
        s.SELECTIONS: [["Konferanse", 1.0, "Employees", ">", 100.0]],
    }
    sheets = {}
    for key, data in rows.items():
        fields = [f.name for f in s.SHEET_FIELDS[key]]
        data = [[*row, *[None] * (len(fields) - len(row))] for row in data]  # late columns blank
        index = pd.Index(range(2, len(data) + 2), name="row")
        frame = pd.DataFrame(data, columns=fields, index=index, dtype=object)
        columns = {f: layout.column_letter(i) for i, f in enumerate(fields)}
        sheets[key] = SheetData(key, key, frame, columns)
    lists = {k: layout.list_values(k, "en") for k in s.LISTS_EN}
    return Register("en", sheets, lists, {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    ok = whole_command("validate", lambda book: [CRMBOOK, "validate", str(book)], args.customers,
                       TARGET)  # fmt: skip
    from crmbook.core.validate import validate

    for n in args.customers:
        register = build(n, 2 * n)
        times = in_memory(3, lambda r=register: validate(r))
        print(f"{n:>7} customers: in memory only (no read, no write): checks {span(times)}")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
