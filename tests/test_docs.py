"""The README stays true: every command is documented, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import click

from crmbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "crmbook") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix} {name}"))
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for path, command in _commands(main):
        assert command.help, f"{path} has no help text"
        assert path in README or path.split(" ", 2)[1] in README, f"{path} not in README.md"


def test_readme_documents_every_option() -> None:
    for path, command in _commands(main):
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help", "--lang"):
                    assert opt in README, f"{path} {opt} is not in README.md"


def test_ci_runs_the_readme_test_command() -> None:
    block = re.search(r"Run the tests:\n\n```\n(.+?)\n```", README)
    assert block, "README.md has no test command under 'Run the tests:'"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert block.group(1).strip() in ci.splitlines()


def test_readme_links_point_to_files() -> None:
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), f"README.md links to missing {target}"
