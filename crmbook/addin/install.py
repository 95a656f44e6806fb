"""Install the add-in into Excel's start-up folder, check it, remove it (DESIGN decision 1).

Excel opens every workbook in its start-up folder when it starts; an ``.xlam`` there loads as
an add-in, so its CRM tab appears with no further set-up and no trust prompt on Windows.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmbook.addin.build import build_addin, read_settings
from crmbook.addin.template import xlwings_dir
from crmbook.errors import BookLockedError, RefusedError

ADDIN_NAME = "crmbook.xlam"
_MAC_STARTUP = (
    "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
)
_MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
#: The AppleScript the add-in's VBA asks, on a Mac, whether its Python has crmbook.
CHECK_SCRIPT = "crmbook.applescript"


def startup_folder(
    platform: str = sys.platform, env: Mapping[str, str] = os.environ, home: Path | None = None
) -> Path | None:
    """Excel's start-up folder on Windows or macOS; None where Excel does not run."""
    if platform == "win32":
        return Path(env.get("APPDATA", Path.home() / "AppData" / "Roaming")) / (
            "Microsoft/Excel/XLSTART"
        )
    if platform == "darwin":
        return (home or Path.home()) / _MAC_STARTUP
    return None


def _folder(folder: Path | None) -> Path:
    found = folder or startup_folder()
    if found is None:
        raise RefusedError(
            "Excel runs on Windows and macOS, so there is no Excel start-up folder here; "
            "nothing was installed. Install Python and crmbook on the Windows or Mac computer "
            "and run `crmbook addin install` there: the add-in is built for the Python that "
            "installs it."
        )
    return found


def install(folder: Path | None = None, python: str = sys.executable) -> Path:
    """Build the add-in into the start-up folder (and, on a Mac, xlwings' AppleScript)."""
    target = _folder(folder) / ADDIN_NAME
    try:
        build_addin(target, python)
    except PermissionError as exc:
        raise BookLockedError(
            f"{target} is in use: quit Excel, then run `crmbook addin install` again."
        ) from exc
    if sys.platform == "darwin" and folder is None:
        install_applescripts(Path.home() / _MAC_SCRIPTS)
    return target


def install_applescripts(scripts: Path) -> list[Path]:
    """The scripts Excel on a Mac may run outside its sandbox: xlwings' (RunPython goes
    through it, as after `xlwings runpython install`) and crmbook's Python check."""
    version = importlib.metadata.version("xlwings")
    scripts.mkdir(parents=True, exist_ok=True)
    ours = importlib.resources.files("crmbook.addin").joinpath(CHECK_SCRIPT)
    (scripts / CHECK_SCRIPT).write_bytes(ours.read_bytes())
    shutil.copy(xlwings_dir() / f"xlwings-{version}.applescript", scripts)
    return [scripts / CHECK_SCRIPT, scripts / f"xlwings-{version}.applescript"]


def uninstall(folder: Path | None = None) -> Path | None:
    """Remove the add-in; returns the removed file, or None when it was not installed."""
    target = _folder(folder) / ADDIN_NAME
    if not target.exists():
        return None
    try:
        target.unlink()
    except PermissionError as exc:
        raise BookLockedError(f"{target} is in use: quit Excel and try again.") from exc
    return target


@dataclass
class Status:
    """What ``crmbook addin status`` reports; ``problems`` empty means all is well."""

    path: Path | None
    installed: bool
    settings: dict[str, str] = field(default_factory=dict)
    xlwings: str = ""
    python: str = ""
    problems: list[str] = field(default_factory=list)


def status(folder: Path | None = None, python: str = sys.executable) -> Status:
    """Is the add-in installed, built for this xlwings and pointing at this Python?"""
    base = folder or startup_folder()
    path = base / ADDIN_NAME if base is not None else None
    found = Status(path, path is not None and path.is_file(), python=python)
    found.xlwings = importlib.metadata.version("xlwings")
    if path is None:
        found.problems.append("Excel runs on Windows and macOS; nothing is installed here.")
        return found
    if not found.installed:
        found.problems.append(f"Not installed: run `crmbook addin install` ({path}).")
        return found
    found.settings = read_settings(path)
    built = found.settings.get("CRMBOOK_XLWINGS_VERSION", "?")
    if built != found.xlwings:
        found.problems.append(
            f"The add-in was built with xlwings {built}, Python has xlwings {found.xlwings}: "
            "run `crmbook addin install` again."
        )
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    if found.settings.get(key) != python:
        found.problems.append(
            f"The add-in runs {found.settings.get(key) or 'no Python'}, not this one ({python}): "
            "run `crmbook addin install` with the Python that has crmbook."
        )
    return found
