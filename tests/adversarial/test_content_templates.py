"""Hostile templates through the real ``crmbook letters`` process: a gigabyte of spaces and
loops of ten billion turns are refused within seconds, in little memory, naming the template
file, its paragraph and the customer; nothing is written."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from crmbook.book.builder import create

#: Runs the CLI in a child and prints its peak memory (KiB on Linux) as the last line.
_MEASURED = (
    "import resource, subprocess, sys;"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
    "print(done.stdout + done.stderr); print(done.returncode);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def template(folder: Path, text: str) -> Path:
    path = folder / "fiendtlig.docx"
    doc = docx.Document()
    doc.add_paragraph("Hei {{ firma }}")
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    "tag",
    [
        "{{ company|center(200000000) }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    ],
)
def test_a_template_that_would_exhaust_the_machine_is_refused_quickly(
    tmp_path: Path, tag: str
) -> None:
    book = create(tmp_path / "book.xlsx", demo=30, seed=3)
    hostile = str(template(tmp_path, tag))
    cli = [sys.executable, "-m", "crmbook", "letters", str(book), "--selection",
           "Konferansetilbud", "--template", hostile, "--campaign", "X"]  # fmt: skip
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *cli], capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    took = time.monotonic() - start
    *said, code, peak_kib = done.stdout.strip().splitlines()
    message = "\n".join(said)
    assert int(code) == 2, message
    assert "Traceback" not in message
    assert "Malen fiendtlig.docx feiler for kunde " in message
    assert f"i avsnittet «{tag[:30]}" in message and "Ingen brev er skrevet" in message
    assert took < 30  # before: 49 s and 1 GB for the first, hours for the loops
    assert int(peak_kib) < 400_000  # KiB: the interpreter, pandas and one letter
    assert not (tmp_path / "letters").exists()
    log = subprocess.run([sys.executable, "-m", "crmbook", "report", str(book), "--no-write"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert log.returncode == 0  # the workbook is untouched and readable
