"""Registers for import tests: two departments in each language, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.book.builder import create


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Demo registers built once: two departments in each language (copied per test)."""
    folder = tmp_path_factory.mktemp("built")
    return {
        "nb": create(folder / "nb" / "east.xlsx", lang="nb", demo=30, seed=3),
        "en": create(folder / "en" / "east.xlsx", lang="en", demo=30, seed=3),
        "nb-west": create(folder / "nbw" / "west.xlsx", lang="nb", demo=20, seed=4),
        "en-west": create(folder / "enw" / "west.xlsx", lang="en", demo=20, seed=4),
    }
