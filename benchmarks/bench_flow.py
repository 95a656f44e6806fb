"""The demo flow on 10,000 customers: read, validate, select, 2,000 letters + combined + log.

    python benchmarks/bench_flow.py [--customers 10000] [--letters 2000]

SPEC §5 target: ≤ 5 s wall for the whole flow (each step reads the workbook, as the commands do).
The register is `crmbook new --demo N`, with a benchmark selection added that picks ≥ N letters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import CACHE

TARGET_SECONDS = 5.0
TODAY = dt.date(2026, 11, 24)
NAME = "Benchmark"


def demo_book(customers: int) -> Path:
    """A demo register of ``customers``, built once and cached."""
    from crmbook.book.builder import create

    path = CACHE / f"demo-{customers}.xlsx"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        create(path, lang="nb", demo=customers, seed=1, force=True)
    return path


def add_selection(book: Path, letters: int) -> None:
    """A selection 'Customer ID <= X' with the smallest X that gives at least ``letters``."""
    from crmbook.actions import select
    from crmbook.book.filebook import FileBook
    from crmbook.core import schema as s
    from crmbook.core.edits import AppendRows

    port = FileBook(book)
    low, high = letters, letters * 3
    while low < high:  # binary search on the selection's size
        mid = (low + high) // 2
        register = port.read()
        frame = register.frame(s.SELECTIONS)
        frame.loc[max(frame.index, default=1) + 1] = [NAME, 1, "Kundenr", "<=", mid]
        if select.compute(register, NAME).count >= letters:
            high = mid
        else:
            low = mid + 1
    port.apply([AppendRows(s.SELECTIONS, [[NAME, 1, "Kundenr", "<=", low]])])


def flow(book: Path, letters: int) -> dict[str, float]:
    """Run every step the way the commands do; seconds per step."""
    from crmbook.actions import select, validate
    from crmbook.actions.letters import Request, make_letters
    from crmbook.book.filebook import FileBook

    times: dict[str, float] = {}
    start = time.perf_counter()
    validate.run(FileBook(book))
    times["validate (read + check + write)"] = time.perf_counter() - start
    mark = time.perf_counter()
    port = FileBook(book)
    register = port.read()
    result = select.compute(register, NAME)
    port.apply(select.recipients_edits(register, result))
    times["select (read + compute + write)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    req = Request(NAME, Path("konferansetilbud.docx"), out=book.parent / "letters")
    made = make_letters(FileBook(book), book, req, TODAY)
    times[f"{len(made.files)} letters + combined + log"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--letters", type=int, default=2_000)
    args = parser.parse_args()
    from crmbook.resources import shipped

    source = demo_book(args.customers)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "register.xlsx"
        shutil.copy(source, book)
        shutil.copytree(shipped("letter_templates"), Path(tmp) / "letter_templates")
        add_selection(book, args.letters)
        times = flow(book, args.letters)
    for step, seconds in times.items():
        print(f"  {step:<40} {seconds:6.2f} s")
    ok = times["total"] <= TARGET_SECONDS
    print(f"demo flow on {args.customers:,} customers: {times['total']:.2f} s "
          f"(target ≤ {TARGET_SECONDS:.0f} s) {'OK' if ok else 'MISSED'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
