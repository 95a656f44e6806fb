"""The demo flow as the user runs it: `crmbook validate`, `select`, `letters`, `report`, each its
own process, on 10,000 customers and 2,000 letters.

    python benchmarks/bench_flow.py [--customers 10000] [--letters 2000] [--repeat 2]

Each step is timed as a whole process (interpreter start, read, compute, write), min–max over
``--repeat`` runs of the flow, each on a fresh copy of the register. The register is
`crmbook new --demo N`, with a benchmark selection added that picks ≥ ``--letters`` customers.
No target of its own (SPEC §5 sets the steps' targets); the interpreter start is shown beside.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from common import CRMBOOK, demo_register, machine, run_process

NAME = "Benchmark"


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


def steps(book: Path, out: Path) -> dict[str, list[str]]:
    """Each step's command, as typed in a terminal."""
    return {
        "validate": [CRMBOOK, "validate", str(book)],
        "select": [CRMBOOK, "select", str(book), "--selection", NAME],
        "letters (+ combined file, log)": [
            CRMBOOK, "letters", str(book), "--selection", NAME,
            "--template", "konferansetilbud.docx", "--out", str(out)],
        "report": [CRMBOOK, "report", str(book)],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--letters", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from crmbook.resources import shipped

    print(machine())
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.xlsx"
        shutil.copy(demo_register(args.customers), prepared)
        add_selection(prepared, args.letters)
        shutil.copytree(shipped("letter_templates"), Path(tmp) / "letter_templates")
        for run in range(args.repeat):
            book = Path(tmp) / "register.xlsx"
            shutil.copy(prepared, book)
            for step, cmd in steps(book, Path(tmp) / f"letters-{run}").items():
                times.setdefault(step, []).extend(run_process(cmd, 1).seconds)
    start = run_process([sys.executable, "-c", "pass"], 3)
    print(
        f"demo flow on {args.customers:,} customers, {args.letters:,} letters, "
        f"{args.repeat} runs, each step its own process (min–max):"
    )
    for step, seconds in times.items():
        print(f"  crmbook {step:<32} {min(seconds):6.2f}–{max(seconds):.2f} s")
    totals = [sum(run) for run in zip(*times.values(), strict=True)]
    print(f"  {'whole flow':<40} {min(totals):6.2f}–{max(totals):.2f} s")
    print(f"  (python -c pass: {start.span})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
