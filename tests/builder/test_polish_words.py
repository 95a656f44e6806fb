"""The Start sheet and the Help box name the buttons as the ribbon shows them in the workbook's
language: no English button name in a Norwegian workbook."""

from __future__ import annotations

import pytest

from crmbook.addin.texts import TEXTS
from crmbook.book import builder_content

LANGS = ("en", "nb")


def _labels(lang: str) -> set[str]:
    return {v[lang == "nb"] for k, v in TEXTS.items() if k.endswith(".label")}


@pytest.mark.parametrize("lang", LANGS)
def test_start_sheet_buttons_are_the_ribbons_labels(lang: str) -> None:
    lines = builder_content.start_lines(lang)
    heading = next(i for i, line in enumerate(lines) if line[0] == "heading" and line[3])
    buttons = []
    for style, name, *_ in lines[heading + 1 :]:
        if style != "item":
            break
        buttons.append(name)
    assert len(buttons) >= 6 and set(buttons) <= _labels(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_box_names_the_buttons_in_the_workbooks_language(lang: str) -> None:
    from crmbook import excel
    from crmbook.book import layout
    from crmbook.core import schema as s

    class Sheet:
        def __init__(self, name: str) -> None:
            self.name = name

    class Book:
        sheets = tuple(Sheet(layout.sheet_name(k, lang)) for k in (s.CUSTOMERS, s.PURCHASES))

    text = excel.help.__wrapped__(Book(), None)
    named = {line[2:].split(" — ")[0] for line in text.splitlines() if line.startswith("• ")}
    buttons = {name for names in named for name in names.split(" / ")}
    assert len(buttons) >= 10 and buttons <= _labels(lang)


def test_no_english_button_name_on_the_norwegian_start_sheet() -> None:
    english = _labels("en") - _labels("nb")
    shown = " ".join(" ".join(line) for line in builder_content.start_lines("nb"))
    assert [w for w in english if f" {w} " in f" {shown} "] == []
