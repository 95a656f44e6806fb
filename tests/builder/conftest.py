"""Workbooks built once per test session: empty and demo registers in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.book.builder import create

DEMO_N = 120
DEMO_SEED = 7

#: name -> (language, demo customers)
BOOKS = {
    "nb": ("nb", 0),
    "en": ("en", 0),
    "demo-nb": ("nb", DEMO_N),
    "demo-en": ("en", DEMO_N),
}


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    return {
        name: create(folder / f"{name}.xlsx", lang=lang, demo=n, seed=DEMO_SEED)
        for name, (lang, n) in BOOKS.items()
    }
