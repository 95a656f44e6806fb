"""Shared pieces of the benchmarks: a cached large register and a timer."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


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


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
