"""Run every benchmark in this folder, one after the other, in one process each.

    python benchmarks/run.py [--quick]

``--quick`` is a smoke run on smaller sizes (a minute instead of several): it prints the figures
but does not fail on the targets, which hold for the full sizes only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: script -> arguments for a quick run
SCRIPTS = {
    "bench_read.py": ["--customers", "10000", "--skip-openpyxl"],
    "bench_append.py": ["--customers", "10000"],
    "bench_validate.py": ["--customers", "10000"],
    "bench_select.py": ["--customers", "10000"],
    "bench_letters.py": ["--letters", "500"],
    "bench_flow.py": ["--customers", "2000", "--letters", "400"],
    "bench_saft.py": ["--invoices", "5000", "--customers", "500"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    failed = 0
    for script, quick_args in SCRIPTS.items():
        if not (HERE / script).exists():
            continue
        print(f"== {script}", flush=True)
        args = quick_args if quick else []
        failed += subprocess.run([sys.executable, script, *args], cwd=HERE).returncode != 0
    return 1 if failed and not quick else 0


if __name__ == "__main__":
    sys.exit(main())
