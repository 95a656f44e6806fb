"""What a person sees: Start rows tall enough for their wrapped text, Report headers and numbers
aligned alike, the Recipients' letters and funnel wide enough to read (read back with openpyxl)."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from crmbook.actions.select import FUNNEL_GAP
from crmbook.book import builder, builder_content, layout
from crmbook.cli import main
from crmbook.core import schema as s

LANGS = ("nb", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_start_rows_are_as_tall_as_their_wrapped_text(books: dict[str, Path], lang: str) -> None:
    ws = openpyxl.load_workbook(books[lang])[layout.sheet_name(s.START, lang)]
    widths = [ws.column_dimensions[letter].width for letter in "ABC"]
    assert widths == list(builder_content.START_WIDTHS)
    title = ws["A1"]
    assert not title.alignment.wrap_text  # a wrapped title in a narrow column shows one word
    assert ws.row_dimensions[1].height >= title.font.size
    for row, (style, *texts) in enumerate(builder_content.start_lines(lang), start=1):
        if style not in ("heading", "item"):
            continue
        cells = [ws.cell(row, col) for col in (1, 2, 3)]
        assert all(c.alignment.wrap_text for c in cells if c.value)
        lines = max(
            math.ceil(len(text) / (width * (0.85 if col == 2 else 1.1)))
            for col, (text, width) in enumerate(zip(texts, widths, strict=True))
        )
        height = ws.row_dimensions[row].height
        assert height is not None and 15 * max(lines, 1) <= height <= 15 * max(lines, 1) + 6
    long_rows = [
        row
        for row, (style, *_) in enumerate(builder_content.start_lines(lang), start=1)
        if style == "item" and ws.row_dimensions[row].height > 20
    ]
    assert len(long_rows) >= 5  # the long explanations really do get two or three lines


@pytest.mark.parametrize("lang", LANGS)
def test_report_columns_right_align_what_the_report_writes(
    books: dict[str, Path], lang: str
) -> None:
    ws = openpyxl.load_workbook(books[lang])[layout.sheet_name(s.REPORT, lang)]
    assert ws.column_dimensions["A"].alignment.horizontal in (None, "general", "left")
    for col in range(2, 2 + builder_content.REPORT_COLUMNS):
        dimension = ws.column_dimensions[layout.column_letter(col - 1)]
        assert dimension.alignment.horizontal == "right"
        assert dimension.number_format == builder_content.REPORT_NUMBERS
    # thousands separated; negatives keep their sign (they have their own section)
    assert builder_content.REPORT_NUMBERS.split(";") == ["[>=1000]#,##0", "[<0]-General", "General"]


def test_a_written_report_is_right_aligned_under_right_aligned_headers(tmp_path: Path) -> None:
    path = builder.create(tmp_path / "book.xlsx", demo=40, seed=3, templates=False)
    done = CliRunner().invoke(main, ["report", str(path)])
    assert done.exit_code == 0, done.output
    ws = openpyxl.load_workbook(path)[layout.sheet_name(s.REPORT, "nb")]
    header = next(row for row in ws.iter_rows() if row[0].value == "Produkt")
    headers = [c for c in header[1:] if c.value is not None]
    assert headers and all(c.alignment.horizontal == "right" for c in headers)
    numbers = [c for row in ws.iter_rows(min_col=2) for c in row if type(c.value) in (int, float)]
    assert numbers and all(c.alignment.horizontal == "right" for c in numbers)
    assert all(c.alignment.horizontal != "right" for (c,) in ws.iter_rows(max_col=1) if c.value)


@pytest.mark.parametrize("lang", LANGS)
def test_recipients_letters_and_funnel_are_wide_enough(books: dict[str, Path], lang: str) -> None:
    ws = openpyxl.load_workbook(books[lang])[layout.sheet_name(s.RECIPIENTS, lang)]
    fields = [f.name for f in s.SHEET_FIELDS[s.RECIPIENTS]]
    letter = layout.column_letter(fields.index("Letter"))
    assert letter == "J"
    assert ws.column_dimensions[letter].width >= 45
    assert builder.FUNNEL_GAP == FUNNEL_GAP
    criterion = layout.column_letter(len(fields) + FUNNEL_GAP)
    remaining = layout.column_letter(len(fields) + FUNNEL_GAP + 1)
    assert (criterion, remaining) == ("L", "M")
    assert ws.column_dimensions[criterion].width >= 45
    assert ws.column_dimensions[remaining].width >= 8
    assert ws.column_dimensions[remaining].alignment.horizontal == "right"
