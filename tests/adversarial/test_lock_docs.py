"""docs/reliability.md stays true: every test it cites as proof exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"


def cited() -> list[tuple[str, str | None]]:
    """(test file, test name or None) for each citation; ``::name`` alone refers to the file
    cited last."""
    found, current = [], None
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", DOC.read_text("utf-8")):
        if path:
            current = path
        if current and (path or name):
            found.append((current, name or None))
    return found


def test_every_test_the_reliability_page_cites_exists() -> None:
    citations = cited()
    assert len(citations) > 20
    for path, name in citations:
        source = ROOT / path
        assert source.is_file(), f"docs/reliability.md cites a missing file {path}"
        if name:
            assert f"def {name}(" in source.read_text("utf-8"), f"{path}::{name} does not exist"


def test_the_page_has_a_limits_section() -> None:
    assert "\n## Limits\n" in DOC.read_text("utf-8")
