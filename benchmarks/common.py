"""Shared pieces of the benchmarks: cached registers, the machine, and timing whole processes.

Every figure a user waits for is a whole process (interpreter start, read, compute, write),
run ``repeat`` times and reported as min–max, with the peak memory of the child process.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
MEMORY_MB = 400  # SPEC §5: peak memory of validate and select at 100k customers
#: The venv's console script and interpreter, as the user runs them.
BIN = Path(sys.executable).parent
CRMBOOK = str(BIN / "crmbook")
TIME = "/usr/bin/time"  # GNU time: the peak memory of the command's own process
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def as_installed() -> None:
    """crmbook's modules compiled to bytecode, as ``pip install`` leaves a package: with
    PYTHONDONTWRITEBYTECODE set (some shells and CI runners), every run would otherwise compile
    them from source again (~0.15 s), a cost no installed copy pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "crmbook")], check=True)


def big_register(customers: int, *, seed: int = 7) -> Path:
    """A register with ``customers`` rows × 25 columns (English), built once and cached."""
    import openpyxl

    from crmbook.book import layout
    from crmbook.core import schema as s

    path = CACHE / f"register-{customers}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    for sheet in s.DATA_SHEETS:
        ws = wb.create_sheet(layout.sheet_name(sheet, "en"))
        ws.append(layout.headers(sheet, "en"))
        if sheet == s.CUSTOMERS:
            for i in range(1, customers + 1):
                ws.append(_customer_row(i, rng))
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def demo_register(customers: int, lang: str = "nb") -> Path:
    """A demo register as ``crmbook new --demo`` makes it (every sheet, purchases, mailings,
    the example selection), built once and cached."""
    from crmbook.book.builder import create

    path = CACHE / f"demo-{lang}-{customers}.xlsx"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        tmp = CACHE / f"demo-{lang}-{customers}.tmp.xlsx"
        create(tmp, lang=lang, demo=customers, force=True, templates=False)
        tmp.replace(path)
    return path


def whole_command(
    name: str, argv: Callable[[Path], list[str]], sizes: Sequence[int], target: float
) -> bool:
    """Time ``crmbook …`` (``argv`` of a fresh copy of the register) against a bare calamine
    read of the same workbook, each in its own process, at each size; True if every ratio and
    the memory at 100k meet the targets."""
    ok = True
    for n in sizes:
        source = demo_register(n)
        repeat = 3 if n <= 20_000 else 2
        with tempfile.TemporaryDirectory() as tmp:
            book = Path(tmp) / source.name
            read = run_process(calamine_read(source), repeat)
            ours = run_process(argv(book), repeat, setup=partial(shutil.copyfile, source, book))
        ratio = ours.low / read.low
        memory_ok = n < 100_000 or ours.peak_mb <= MEMORY_MB
        ok = ok and ratio <= target and memory_ok
        memory = f"; memory ≤ {MEMORY_MB} MB {verdict(memory_ok)}" if n >= 100_000 else ""
        print(f"{n:>7} customers: crmbook {name} {ours.span} (peak {ours.peak_mb:.0f} MB), "
              f"bare calamine read {read.span} (peak {read.peak_mb:.0f} MB), "
              f"ratio {ratio:.2f}× (target ≤ {target}×) {verdict(ratio <= target)}"
              f"{memory}")  # fmt: skip
    return ok


def _customer_row(i: int, rng: random.Random) -> list[object]:
    employees = rng.randint(0, 2000)
    turnover = rng.randint(0, 900) * 1_000_000
    return [
        i, f"Bedrift {i} AS", f"{rng.randint(800000000, 999999999)}", "Customer", None,
        f"Kari Nordmann {i}", "Daglig leder", f"Storgata {i % 200 + 1}",
        f"{rng.randint(1, 9999):04d}",
        "Oslo", None, f"post{i}@example.no", f"+47 9{rng.randint(1000000, 9999999)}", "IT",
        turnover, None, rng.uniform(-10, 30), employees, None, None, "No", "Salg",
        "Ola", "notat",
    ]  # fmt: skip


def in_memory(repeat: int, func: Callable[[], object]) -> list[float]:
    """Seconds of each of ``repeat`` calls inside this process (in-memory figures only)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def span(times: Sequence[float]) -> str:
    return f"{min(times):.2f}–{max(times):.2f} s"


def machine() -> str:
    """The machine the figures come from: host, CPU, cores, Python, load when they were taken.
    Every benchmark starts here, so crmbook is first compiled as an install leaves it."""
    as_installed()
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:  # Linux, as the benchmark machine
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {platform.node()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load}")  # fmt: skip


@dataclass
class Runs:
    """Wall seconds of each run of one command, and the largest peak memory of its process."""

    seconds: list[float]
    peak_mb: float

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def span(self) -> str:
        return f"{min(self.seconds):.2f}–{max(self.seconds):.2f} s"


def run_process(cmd: Sequence[str], repeat: int, setup: Callable[[], object] | None = None) -> Runs:
    """Run ``cmd`` ``repeat`` times as its own process (``setup`` before each, untimed), under
    /usr/bin/time for the child's own peak memory; a failing run stops the benchmark, since
    its time would mean nothing (exit 1 is validate's "errors found", by design)."""
    seconds, peak = [], 0.0
    for _ in range(repeat):
        if setup:
            setup()
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            start = time.perf_counter()
            done = subprocess.run(
                [TIME, "-f", "%M", "-o", rss.name, *cmd],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
            )  # fmt: skip
            seconds.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                err = done.stderr.decode(errors="replace")[-500:]
                raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {err}")
            peak = max(peak, int(rss.read().split()[-1]) / 1024)
    return Runs(seconds, peak)


def calamine_read(path: Path) -> list[str]:
    """The bare read every command starts with: python-calamine, every sheet, to_python."""
    code = ("import sys, python_calamine as c; wb = c.CalamineWorkbook.from_path(sys.argv[1]); "
            "[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]")  # fmt: skip
    return [sys.executable, "-c", code, str(path)]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISS"
