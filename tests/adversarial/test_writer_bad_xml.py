"""A sheet part holding XML no Excel writes (a raw U+FFFE from some other program): calamine reads
it, but a command that writes must refuse with a message, never a traceback, and change nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from crmbook.book.builder import create
from crmbook.cli import main


def _with_raw_fffe(book: Path) -> Path:
    bad = book.with_name("bad.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        injected = False
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and b"AS<" in data and not injected:
                data, injected = data.replace(b"AS<", "AS\ufffe<".encode(), 1), True
            out.writestr(info, data)
    assert injected
    return bad


def test_validate_refuses_a_sheet_with_invalid_xml(tmp_path: Path) -> None:
    bad = _with_raw_fffe(create(tmp_path / "b.xlsx", demo=20, templates=False))
    before = bad.read_bytes()
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "65534" in result.output and "lagre den på nytt" in result.output
    assert bad.read_bytes() == before
