"""Run every benchmark in this folder, one after the other, in one process each.

    python benchmarks/run.py [--quick]

``--quick`` is a smoke run on smaller sizes (minutes instead of half an hour): it prints the
figures but does not judge them, since the targets hold for the full sizes only. Each script
prints the machine (host, CPU, cores, load) its figures come from.
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
    "bench_validate.py": ["--customers", "2000", "--quick"],
    "bench_select.py": ["--customers", "2000", "--quick"],
    "bench_new.py": ["--customers", "5000", "--repeat", "1", "--quick"],
    "bench_letters.py": ["--letters", "300", "--sample", "30", "--quick"],
    "bench_pdf.py": ["--letters", "30", "--sample", "10", "--quick"],
    "bench_flow.py": ["--customers", "2000", "--letters", "300", "--repeat", "1"],
    "bench_saft.py": ["--invoices", "5000", "--customers", "500"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    from common import machine

    print(machine(), flush=True)
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
