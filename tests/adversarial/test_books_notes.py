"""What validate says about the workbook itself (formulas Excel never calculated, a header typed
twice, absolute Settings paths), formulas never overwritten, merged cells on the Issues sheet,
and 1904-date workbooks (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crmbook.book.reader import read_register
from crmbook.book.xlsx import workbook
from crmbook.book.xlsx.package import Package
from crmbook.cli import main
from crmbook.core import schema as s
from tests.adversarial import hostile
from tests.adversarial.snapshot import workbook_cells


def _issues(book: Path, *more: str) -> dict:
    result = CliRunner().invoke(main, ["validate", str(book), "--json", *more])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _warnings(report: dict, words: str) -> list[tuple[str, str, int]]:
    return [(i["sheet"], i["column"], i["row"]) for i in report["issues"]
            if i["severity"] == "Warning" and words in i["message"]]  # fmt: skip


def test_formulas_without_a_value_are_warned_about_and_never_overwritten(tmp_path: Path) -> None:
    book = hostile.build("formulas-without-values", tmp_path)
    before = workbook_cells(book)["Customers"]
    report = _issues(book, "--fix")
    assert sorted(_warnings(report, "recalculate and save")) == [
        ("Customers", "A", 4), ("Customers", "B", 3), ("Customers", "P", 2)
    ]  # fmt: skip
    fixed = {(i["column"], i["row"]) for i in report["fixed"]}
    assert not fixed & {("A", 4), ("B", 3), ("P", 2)}
    after = workbook_cells(book)["Customers"]
    for ref in ("A4", "B3", "P2"):
        assert after[ref] == before[ref] and after[ref][1], ref


def test_a_header_typed_twice_is_warned_about_naming_both_columns(tmp_path: Path) -> None:
    book = hostile.build("duplicate-headers", tmp_path)
    report = _issues(book, "--no-write")
    warned = [i for i in report["issues"] if "also in column B" in i["message"]]
    assert [(i["sheet"], i["column"], i["row"]) for i in warned] == [("Customers", "Z", 1)]
    assert "'Company'" in warned[0]["message"]
    assert read_register(book).frame(s.CUSTOMERS)["Company"].iloc[0] != "Old name 2"


def test_absolute_settings_paths_are_warned_about(tmp_path: Path) -> None:
    book = hostile.build("absolute-paths", tmp_path)
    warned = _warnings(_issues(book, "--no-write"), "absolute path")
    settings = read_register(book).setting_rows
    assert warned == [
        ("Settings", "B", settings["Template folder"]),
        ("Settings", "B", settings["Output folder"]),
    ]


def test_validate_removes_a_merged_range_over_the_rows_it_rewrites(tmp_path: Path) -> None:
    book = hostile.build("merged-issues", tmp_path)
    report = _issues(book)
    pkg = Package(book)
    try:
        issues_xml = pkg.read(workbook.sheets(pkg)["Issues"])
    finally:
        pkg.close()
    assert b"mergeCell" not in issues_xml
    cells = workbook_cells(book)["Issues"]
    assert cells["G2"][0] == report["issues"][0]["message"]


def test_a_1904_workbook_reads_and_writes_the_same_dates(tmp_path: Path) -> None:
    mac = hostile.build("dates-1904", tmp_path / "mac")
    plain = hostile.base(tmp_path / "pc" / "plain.xlsx")
    dates = [read_register(b).frame(s.PURCHASES)["Date"].tolist() for b in (mac, plain)]
    assert dates[0] == dates[1]
    written = []
    for book in (plain, mac):
        template = book.parent / "letter_templates" / hostile.TEMPLATE
        args = ["letters", str(book), "--selection", hostile.SELECTION, "--template", str(template)]
        assert CliRunner().invoke(main, args).exit_code == 0
        written.append(read_register(book).frame(s.MAILINGS)["Date sent"].tolist())
    assert written[0] == written[1]
