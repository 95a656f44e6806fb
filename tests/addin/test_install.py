"""Installing, checking and removing the add-in; the command line around it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.addin import install
from crmbook.cli import main


def test_startup_folders_of_windows_and_macos() -> None:
    windows = install.startup_folder("win32", {"APPDATA": "C:/Users/kari/AppData/Roaming"})
    assert windows == Path("C:/Users/kari/AppData/Roaming/Microsoft/Excel/XLSTART")
    mac = install.startup_folder("darwin", {}, Path("/Users/kari"))
    assert mac == Path(
        "/Users/kari/Library/Group Containers/UBF8T346G9.Office/User Content.localized"
        "/Startup.localized/Excel"
    )
    assert install.startup_folder("linux", {}) is None


def test_install_status_uninstall(tmp_path: Path) -> None:
    folder = tmp_path / "XLSTART"
    path = install.install(folder, python="/opt/py/bin/python")
    assert path == folder / "crmbook.xlam" and path.is_file()
    found = install.status(folder, python="/opt/py/bin/python")
    assert found.installed and found.problems == []
    other = install.status(folder, python="/usr/bin/python3")
    assert len(other.problems) == 1 and "/opt/py/bin/python" in other.problems[0]
    assert install.uninstall(folder) == path and not path.exists()
    assert install.uninstall(folder) is None
    assert "Not installed" in install.status(folder).problems[0]


def test_status_sees_an_add_in_built_for_another_xlwings(tmp_path: Path) -> None:
    path = install.install(tmp_path, python=sys.executable)
    version = install.read_settings(path)["CRMBOOK_XLWINGS_VERSION"]
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    strings = parts["xl/sharedStrings.xml"].decode()
    parts["xl/sharedStrings.xml"] = strings.replace(f">{version}<", ">0.30.0<").encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    (problem,) = install.status(tmp_path, python=sys.executable).problems
    assert "0.30.0" in problem and version in problem


def test_the_mac_scripts_are_xlwings_and_our_python_check(tmp_path: Path) -> None:
    found = install.install_applescripts(tmp_path)
    assert sorted(p.name for p in found) == sorted(p.name for p in tmp_path.iterdir())
    ours = (tmp_path / "crmbook.applescript").read_text(encoding="utf-8")
    assert "on CheckPython(parameters)" in ours and "quoted form of interpreter" in ours
    assert any(p.name.startswith("xlwings-") for p in found)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Excel's platforms install")
def test_cli_install_explains_where_excel_runs() -> None:
    done = CliRunner().invoke(main, ["addin", "install"])
    assert done.exit_code == 1, "refused to act (SPEC exit codes), not a usage error"
    assert "Windows and macOS" in done.output and "nothing was installed" in done.output


def test_cli_build_writes_the_add_in(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["addin", "build", str(tmp_path / "crm.xlam")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "crm.xlam").is_file()


def test_loading_the_cli_and_the_ribbon_module_imports_no_xlwings() -> None:
    code = (
        "import sys, crmbook.cli, crmbook.excel, crmbook.book.live, crmbook.addin.install\n"
        "print('xlwings' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_importing_the_entry_points_loads_neither_xlwings_nor_pandas() -> None:
    """SPEC §5: importing an Excel entry point is quick; the work's libraries load on a press."""
    code = "import sys, crmbook.excel\nprint(sorted({'xlwings', 'pandas'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
