"""Registers for SAF-T tests, built once per session and copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.book.builder import create


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built")
    return {
        "nb": create(folder / "nb" / "hotell.xlsx", lang="nb", demo=30, seed=3),
        "en": create(folder / "en" / "hotel.xlsx", lang="en", demo=30, seed=3),
    }
