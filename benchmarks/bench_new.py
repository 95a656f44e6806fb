"""`crmbook new --demo 100000` as the user waits for it (SPEC §5: ≤ 30 s), whole process.

    python benchmarks/bench_new.py [--customers 100000] [--repeat 2] [--quick]

Min–max over ``--repeat`` runs and the peak memory of the process; each run makes a new file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import CRMBOOK, machine, run_process, verdict

TARGET = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "demo.xlsx"
        cmd = [CRMBOOK, "new", str(book), "--demo", str(args.customers), "--force"]
        runs = run_process(cmd, args.repeat)
        size = book.stat().st_size / 1e6
    ok = runs.low <= TARGET
    print(
        f"crmbook new --demo {args.customers}: {runs.span} (peak {runs.peak_mb:.0f} MB, "
        f"{size:.1f} MB file); target ≤ {TARGET:.0f} s {verdict(ok)}"
    )
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
