"""The benchmarks' in-memory registers follow the schema: a column added to a sheet must not
break `make bench` unnoticed (bench_validate once built 24 columns for a 29-column sheet)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from crmbook.core import schema as s
from crmbook.core.selection import compute
from crmbook.core.validate import validate

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    yield lambda name: importlib.import_module(name)
    for name in ("bench_validate", "bench_select", "common"):
        sys.modules.pop(name, None)


def test_bench_validate_builds_a_register_validate_reads(bench) -> None:
    register = bench("bench_validate").build(customers=30, purchases=10)
    assert list(register.frame(s.CUSTOMERS).columns) == [
        f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]
    ]
    assert validate(register) is not None


def test_bench_select_builds_a_register_select_computes(bench) -> None:
    module = bench("bench_select")
    register = module.build(30)
    names = {str(v) for v in register.frame(s.SELECTIONS)["Selection"]}
    assert names and all(compute(register, name) is not None for name in names)
