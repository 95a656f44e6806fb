"""`crmbook import-saft` on a large SAF-T file (50,000 invoices, 100,000 lines), as a process.

Times the whole command three times: the dry run (plan + Product mapping sheet), the apply
(every line into Purchases, new customers added) and a rerun of the apply (nothing to add).
The file streams, so memory stays flat; the figures are wall-clock seconds of each process.
Run: python benchmarks/bench_saft.py [--invoices N] [--customers N]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CACHE  # noqa: F401  (puts the project on sys.path)

from crmbook.book.builder import create
from tests.importing.helpers import edit, rows
from tests.saft.saftxml import Customer, Invoice, Line, write

#: Seconds for the apply of 50,000 invoices (the slowest step) on a laptop-class machine.
TARGET_SECONDS = 60.0


def invoices(n: int, customers: int, seed: int = 11) -> object:
    rng = random.Random(seed)
    for i in range(n):
        lines = [Line("3000", f"{rng.randint(500, 90000)}.00"),
                 Line("3100", f"{rng.randint(100, 9000)}.50")]  # fmt: skip
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield Invoice(str(100000 + i), f"K{rng.randint(1, customers)}", day, lines)


#: The baseline: a bare streaming parse of the same file (lxml iterparse, elements cleared).
BARE_PARSE = (
    "import sys\nfrom lxml import etree\nfor _, e in etree.iterparse(sys.argv[1]):\n    e.clear()\n"
)


def process(argv: list[str], label: str) -> float:
    """Wall-clock seconds of one process; prints them with its peak memory."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first = done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""
    print(f"  {label}: {seconds:.1f} s (peak of the processes so far {peak:.0f} MB)  {first}")
    return seconds


def crmbook(*args: object) -> float:
    label = "crmbook " + " ".join(map(str, args[:1] + args[3:]))
    return process([sys.executable, "-m", "crmbook", *map(str, args)], label)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = create(Path(folder) / "book.xlsx", lang="nb", demo=100, seed=3)
        people = [Customer(f"K{i}", f"Regnskapskunde {i} AS", postal=f"{i % 9000 + 1000:04d}")
                  for i in range(1, args.customers + 1)]  # fmt: skip
        file = write(Path(folder) / "saft.xml", people, invoices(args.invoices, args.customers))
        size = file.stat().st_size / 1e6
        print(f"SAF-T file: {args.invoices} invoices, {args.customers} customers, {size:.0f} MB")
        bare = process([sys.executable, "-c", BARE_PARSE, str(file)], "bare lxml iterparse")
        plan = crmbook("import-saft", book, file)
        cells = {(n, "Product"): p for n, p in ((2, "Overnatting"), (3, "Restaurant"))}
        assert [r[0] for r in rows(book, "Product mapping")[1:]] == ["3000", "3100"]
        edit(book, "Product mapping", cells)
        seconds = crmbook("import-saft", book, file, "--apply")
        crmbook("import-saft", book, file, "--apply")
    ok = seconds <= TARGET_SECONDS
    print(f"dry run: {plan / bare:.1f}x the bare parse")
    print(f"apply of {args.invoices} invoices: {seconds:.1f} s (target {TARGET_SECONDS:.0f} s)"
          f" {'ok' if ok else 'SLOW'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
