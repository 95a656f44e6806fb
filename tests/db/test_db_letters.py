"""``crmbook letters URL``: letters from the shared register, logged in the database — through
the CLI, on SQLite and a real PostgreSQL server, the letters read back with python-docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_push import init, push
from crmbook.actions.letters import Request, make_letters
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.db.sending import DbSending
from tests.db.fixtures import fresh_pg_database
from tests.db.helpers import sql
from tests.letters.helpers import TODAY, body_text

SELECTION = "Konferansetilbud"


@pytest.fixture
def loaded(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A database loaded from a demo register; the template, and the folder the command runs
    in (its relative Settings paths are taken from there)."""
    book = create(tmp_path / "office" / "kunder.xlsx", demo=50, seed=3)
    init(url)
    push(FileBook(book), url, apply=True)
    monkeypatch.chdir(tmp_path / "office")
    return url, book.parent / "letter_templates" / "konferansetilbud.docx"


def letters(url: str, template: Path, out: Path, *more: str) -> object:
    args = ["letters", url, "--selection", SELECTION, "--template", str(template), "--out",
            str(out), "--json", *more]  # fmt: skip
    return CliRunner().invoke(main, args)


def logged(url: str, campaign: str) -> list[tuple]:
    return sql(url, "SELECT mailing_id, customer_id, company, letter_file FROM mailings "
                    "WHERE campaign = ? ORDER BY customer_id", (campaign,))  # fmt: skip


def test_letters_on_a_database_are_written_and_logged_there_once(
    loaded: tuple[str, Path], tmp_path: Path
) -> None:
    url, template = loaded
    before = sql(url, "SELECT MAX(mailing_id) FROM mailings")[0][0] or 0
    result = letters(url, template, tmp_path / "out")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    files = [Path(f) for f in data["files"]]
    assert data["letters"] == len(files) > 0 and Path(data["combined"]).is_file()
    rows = logged(url, SELECTION)
    assert [r[1] for r in rows] == sorted(int(f.name.split(" ")[0]) for f in files)
    assert [r[0] for r in rows] == list(range(before + 1, before + 1 + len(rows)))
    first = files[0]
    cid, company = int(first.name.split(" ")[0]), rows[0][2]
    assert company in body_text(first)  # the letter names its customer, as python-docx reads it
    assert "| " in body_text(first)  # the letterhead's date line
    assert rows[0][3].endswith(first.name) and cid == rows[0][1]
    again = letters(url, template, tmp_path / "out")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["letters"] == 0 and len(logged(url, SELECTION)) == len(rows)


def test_a_run_stopped_before_logging_is_logged_by_the_next_run(
    loaded: tuple[str, Path], tmp_path: Path
) -> None:
    url, template = loaded

    class Stopped(DbSending):
        def apply(self, edits: object) -> None:
            raise KeyboardInterrupt

    port = Stopped(url)
    request = Request(SELECTION, template, tmp_path / "out")
    with pytest.raises(KeyboardInterrupt):
        make_letters(port, port.place, request, TODAY)
    assert logged(url, SELECTION) == []  # the letters are on disk, not yet in the database
    result = letters(url, template, tmp_path / "out")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    made = list((tmp_path / "out" / SELECTION).glob("[0-9]* *.docx"))
    assert data["resumed"] == len(made) == len(logged(url, SELECTION)) > 0
    assert data["letters"] == 0  # nobody gets a second letter


def test_a_read_only_role_is_refused_before_any_letter_is_written(
    postgres: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_pg_database(postgres)
    book = create(tmp_path / "office" / "kunder.xlsx", demo=30, seed=3)
    init(url)
    push(FileBook(book), url, apply=True)
    monkeypatch.chdir(tmp_path / "office")
    grant = "GRANT SELECT ON ALL TABLES IN SCHEMA public TO crm_letters_reader"
    for statement in ("CREATE ROLE crm_letters_reader LOGIN", grant):
        sql(url, statement)
    reader = url.replace("postgresql://postgres@", "postgresql://crm_letters_reader@")
    template = book.parent / "letter_templates" / "konferansetilbud.docx"
    out = tmp_path / "out"
    refused = letters(reader, template, out)
    assert refused.exit_code == 1
    assert "may read the register but not log mailings" in refused.output or (
        "kan lese registeret" in refused.output
    )
    assert not out.exists() or not any(out.rglob("*.docx"))
    assert logged(url, SELECTION) == []
    preview = letters(reader, template, out, "--preview")  # a preview logs nothing: allowed
    assert preview.exit_code == 0, preview.output
    assert len(json.loads(preview.stdout)["files"]) == 1
