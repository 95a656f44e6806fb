"""Hostile offices for the add-in build: odd interpreter paths, a broken xlwings template."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.addin import build
from crmbook.addin import template as tpl


@pytest.mark.parametrize(
    "python",
    [
        "C:\\Brukere\\Åse & Sønn <AS>\\venv\\Scripts\\python.exe",
        "/Users/kari/Dokumenter/crm ]]> 'x'/bin/python3",
        "\\\\filserver\\programmer\\crmbook\\python.exe",
    ],
)
def test_an_interpreter_path_with_markup_and_letters_survives_the_config_sheet(
    tmp_path: Path, python: str
) -> None:
    from pyopenvba import check_file

    addin = build.build_addin(tmp_path / "crmbook.xlam", python)
    settings = build.read_settings(addin)
    assert settings["Interpreter_Win"] == settings["Interpreter_Mac"] == python
    assert check_file(addin).ok


def test_a_template_that_is_not_a_zip_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    fake = tmp_path / tpl.TEMPLATE_FILE
    fake.write_bytes(b"PK\x03\x04 this is not really a zip")
    out = tmp_path / "out" / "crmbook.xlam"
    with pytest.raises(tpl.TemplateError, match="cannot be read"):
        build.build_addin(out, "C:\\Py\\python.exe", template_path=fake)
    assert not out.exists()


def test_an_existing_add_in_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "crmbook.xlam"
    out.write_bytes(b"the add-in of yesterday")
    with pytest.raises(tpl.TemplateError):
        build.build_addin(out, "C:\\Py\\python.exe", template_path=tmp_path / "missing.xlam")
    assert out.read_bytes() == b"the add-in of yesterday"
    build.build_addin(out, "C:\\Py\\python.exe")
    assert build.read_settings(out)["Interpreter_Win"] == "C:\\Py\\python.exe"
    assert [p.name for p in tmp_path.iterdir()] == ["crmbook.xlam"]  # no temporary file left
