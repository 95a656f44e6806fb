"""Run by LibreOffice's Python (it has ``uno``): open a workbook, run one of its macros.

Usage: python3 uno_run_macro.py WORKBOOK MACRO_URL PROFILE_DIR
Prints the first sheet's used cells after the macro ran as one JSON object {"A1": "text", …},
so the caller sees what the VBA wrote (texts with line breaks included).
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("LibreOffice did not start")


def _cells(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    found = {}
    for row in range(end.EndRow + 1):
        for col in range(end.EndColumn + 1):
            cell = sheet.getCellByPosition(col, row)
            if cell.String:
                found[f"{chr(65 + col)}{row + 1}"] = cell.String
    return found


def main(path, macro, profile):
    pipe = f"crmbook{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
            "--headless",
            "--norestore",
            "--invisible",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    desktop = None
    try:
        ctx = _connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path),
            "_blank",
            0,
            (_prop("Hidden", True), _prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN)),
        )
        doc.getScriptProvider().getScript(macro).invoke((), (), ())
        print(json.dumps(_cells(doc.Sheets.getByIndex(0)), ensure_ascii=False))
        doc.close(True)
    finally:
        if desktop is not None:
            desktop.terminate()
        office.wait(timeout=60)


if __name__ == "__main__":
    main(*sys.argv[1:4])
