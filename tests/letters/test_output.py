"""Letter files land where they should, with names every Windows machine accepts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmbook.errors import RefusedError
from crmbook.letters.output import (
    RESERVED,
    campaign_folder,
    letter_file_name,
    manifest_text,
    refuse_overwrite,
    safe_name,
)

WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def windows_valid(name: str) -> bool:
    stem = name.split(".")[0].rstrip(" ").upper()
    return (
        0 < len(name) <= 255
        and not WINDOWS_FORBIDDEN.search(name)
        and not name.endswith((".", " "))
        and stem not in RESERVED
    )


@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_any_company_name_gives_a_valid_unique_confined_file_name(companies: list[str]) -> None:
    names = [letter_file_name(i, c) for i, c in enumerate(companies, start=1)]
    assert all(windows_valid(n) and n.endswith(".docx") for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert all(Path(n).name == n and n not in (".", "..") for n in names)


@pytest.mark.parametrize(
    ("company", "expected"),
    [
        ("Hansen & Sønn AS", "7 Hansen & Sønn AS.docx"),
        ('A/S "Bryggen": <Best>?', "7 A_S _Bryggen__ _Best__.docx"),
        ("Slutt med punktum...", "7 Slutt med punktum.docx"),
    ],
)
def test_file_names_keep_what_they_can(company: str, expected: str) -> None:
    assert letter_file_name(7, company) == expected


@pytest.mark.parametrize("name", ["CON", "nul.txt", "com1", "LPT9", "Aux "])
def test_reserved_device_names_are_never_used(name: str) -> None:
    assert safe_name(name).split(".")[0].strip().upper() not in RESERVED


def test_long_names_are_shortened() -> None:
    assert len(letter_file_name(1, "Å" * 500)) <= 90


@pytest.mark.parametrize("campaign", ["../x", "..", "C:\\x", "/etc", "a/../../b", "\\\\srv\\s"])
def test_a_campaign_name_can_never_leave_the_output_folder(tmp_path: Path, campaign: str) -> None:
    folder = campaign_folder(tmp_path, campaign, "en")
    assert folder.resolve().parent == tmp_path.resolve()


def test_existing_letters_are_not_overwritten_without_the_flag(tmp_path: Path) -> None:
    old = tmp_path / "1 Fjord AS.docx"
    old.write_bytes(b"old")
    with pytest.raises(RefusedError, match="--overwrite"):
        refuse_overwrite([old, tmp_path / "2 Ny AS.docx"], overwrite=False, lang="en")
    refuse_overwrite([old], overwrite=True, lang="en")


def test_a_new_campaign_folder_gets_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from crmbook.letters import output

    folder = tmp_path / "letters" / "Høst"
    with output.staged(folder, [folder / "a.docx"]) as staging:
        (staging / "a.docx").write_bytes(b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~mask
    assert (folder / "a.docx").read_bytes() == b"x"
    assert [p.name for p in folder.parent.iterdir()] == ["Høst"], "no staging folder left"


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(
            st.none(),
            st.booleans(),
            st.text(),
            st.lists(st.dictionaries(st.text(max_size=5), st.text() | st.integers(), max_size=3)),
        ),
        max_size=5,
    )
)
def test_the_manifest_text_is_the_json_it_holds(manifest: dict) -> None:
    text = manifest_text(manifest)
    assert json.loads(text) == manifest and text.endswith("}\n")


def test_the_manifest_shows_a_letter_a_line() -> None:
    letters = [{"customer_id": i, "company": f"Ås & Sønn {i}", "file": f"{i}.docx"} for i in (1, 2)]
    text = manifest_text({"campaign": "Vår", "date": dt.date(2026, 11, 22), "letters": letters})
    assert text.splitlines() == [
        "{",
        '  "campaign": "Vår",',
        '  "date": "2026-11-22",',
        '  "letters": [',
        '    {"customer_id": 1, "company": "Ås & Sønn 1", "file": "1.docx"},',
        '    {"customer_id": 2, "company": "Ås & Sønn 2", "file": "2.docx"}',
        "  ]",
        "}",
    ]
