"""The shared database (SPEC §5): ``select`` on a register in the database vs the same register
read from a workbook, as whole processes; and ``db sync`` of 2,000 edited rows.

Builds (and caches) a workbook of N customers (default 1,000,000) with a selection "Big"
(Employees > 100, Remark <> Bad payer), loads the same rows into a database (SQLite file by
default, or --url postgresql://…; it must be empty or crmbook's), then times
``crmbook select BOOK --selection Big --json --no-write`` against
``crmbook select URL --selection Big --json`` (the selection computed by the database), each
twice, and reports the ratio of the faster runs. The sync figure pulls one
department (10,000 customers, or all when N is smaller), edits 2,000 rows and times
``crmbook db sync``.
Run: python benchmarks/bench_db.py [--customers N] [--url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from common import CACHE, _customer_row

from crmbook.book import layout
from crmbook.core import schema as s

SELECTION = [["Big", 1, "Employees", ">", 100], ["Big", 1, "Remark", "<>", "Bad payer"]]
CRMBOOK = [sys.executable, "-m", "crmbook"]


def workbook(customers: int) -> Path:
    """N customers in departments "Avd 0".."Avd 99", and the selection, built once."""
    import openpyxl

    path = CACHE / f"db-register-{customers}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    rng = random.Random(11)
    wb = openpyxl.Workbook(write_only=True)
    for sheet in (*s.DATA_SHEETS, s.SETTINGS):
        ws = wb.create_sheet(layout.sheet_name(sheet, "en"))
        ws.append(layout.headers(sheet, "en"))
        if sheet == s.CUSTOMERS:
            for i in range(1, customers + 1):
                row = _customer_row(i, rng)
                row[21] = f"Avd {i % max(1, customers // 10_000)}"
                ws.append(row)
        if sheet == s.SELECTIONS:
            for row in SELECTION:
                ws.append(row)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def load(book: Path, url: str) -> None:
    """The workbook's rows into an empty database as they are (a fixture: no matching)."""
    from crmbook.book.reader import read_register
    from crmbook.db import store
    from crmbook.db.connect import connect
    from crmbook.db.migrate import upgrade

    db = connect(url)
    upgrade(db)
    if db.rows("SELECT COUNT(*) FROM customers")[0][0]:  # loaded by an earlier run
        return
    register = read_register(book)
    with db.transaction():
        frame = register.frame(s.CUSTOMERS)
        store.insert(db, s.CUSTOMERS, frame.to_dict("records"), "en")
        store.insert(db, s.SELECTIONS, register.frame(s.SELECTIONS).to_dict("records"), "en",
                     key="position")  # fmt: skip
        db.execute("INSERT INTO settings (name, value) VALUES (?, ?)", [store.LANG_SETTING, "en"])
    db.close()


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([*CRMBOOK, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout


def sync_figure(url: str, folder: Path) -> float:
    """Seconds of ``crmbook db sync`` after editing 2,000 rows of a pulled department."""
    from crmbook.book.builder import create
    from crmbook.book.filebook import FileBook
    from crmbook.book.reader import read_register
    from crmbook.core.edits import SetCells

    book = folder / "department.xlsx"
    book.unlink(missing_ok=True)
    create(book, lang="en", templates=False)
    subprocess.run([*CRMBOOK, "db", "pull", url, str(book), "--department", "Avd 0"], check=True,
                   capture_output=True)  # fmt: skip
    sheet = read_register(book).sheets[s.CUSTOMERS]
    rows = list(sheet.frame.index[:2000])
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(r, sheet.columns["City"]): f"By {r}"
                                                 for r in rows})])  # fmt: skip
    seconds, _ = timed(["db", "sync", str(book)])
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--url", help="default: a SQLite file in benchmarks/.cache")
    args = parser.parse_args()
    book = workbook(args.customers)
    url = args.url or f"sqlite:///{CACHE / f'db-register-{args.customers}.db'}"
    load(book, url)
    runs = [(timed(["select", str(book), "--selection", "Big", "--json", "--no-write"]),
             timed(["select", url, "--selection", "Big", "--json"])) for _ in range(2)]  # fmt: skip
    assert all(b[1] == d[1] for b, d in runs), "the database and the workbook disagree"
    on_book, on_db = [b[0] for b, _ in runs], [d[0] for _, d in runs]
    engine = url.split(":")[0]
    print(f"select, {args.customers:,} customers ({json.loads(runs[0][1][1])['count']:,} chosen): "
          f"workbook {min(on_book):.2f}–{max(on_book):.2f} s, database {min(on_db):.2f}–"
          f"{max(on_db):.2f} s ({engine}); database / workbook = "
          f"{min(on_db) / min(on_book):.3f}")  # fmt: skip
    print(f"db sync of 2,000 edited rows: {sync_figure(url, CACHE):.2f} s")


if __name__ == "__main__":
    main()
