"""PDF of 2,000 letters (SPEC §5: ≤ 60 s): the whole `crmbook letters … --pdf` process.

    python benchmarks/bench_pdf.py [--letters 2000] [--repeat 2] [--sample 200] [--quick]

What the user waits for is `crmbook letters BOOK --selection … --template konferansetilbud.docx
--pdf` as a process (interpreter start, read, 2,000 letters and the combined file, one PDF per
letter and the combined file's PDF, Mailings log and Recipients written) on a demo register
whose selection picks ``--letters`` customers, run ``--repeat`` times (min–max). Beside it: the
same command without --pdf (what the PDFs add), and the baseline, what crmbook did before: one
LibreOffice call converting the letters one file each, timed on ``--sample`` of the letters the
command made and scaled to ``--letters`` (labelled).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_flow import NAME, add_selection
from bench_letters import TEMPLATE
from common import CRMBOOK, demo_register, machine, run_process, verdict

from crmbook.letters import pdf
from crmbook.resources import shipped

TARGET = 60.0


def baseline(files: list[Path], out: Path) -> float:
    """One LibreOffice call converting ``files`` one document each (the old way)."""
    profile = (out / "profile").resolve().as_uri()
    start = time.perf_counter()
    subprocess.run(
        [pdf.find_soffice() or "soffice", f"-env:UserInstallation={profile}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out / "old"), *map(str, files)],
        capture_output=True, check=False,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        book, prepared = home / "register.xlsx", home / "prepared.xlsx"
        shutil.copy(demo_register(max(10_000, args.letters * 2)), prepared)
        add_selection(prepared, args.letters)
        shutil.copytree(shipped("letter_templates"), home / "letter_templates")

        def command(out: str, *extra: str) -> list[str]:
            return [CRMBOOK, "letters", str(book), "--selection", NAME, "--template",
                    TEMPLATE.name, "--out", str(home / out), *extra]  # fmt: skip

        def fresh(out: str):  # untimed: the same register and an empty output folder each run
            return lambda: (shutil.copy(prepared, book), shutil.rmtree(home / out, True))

        with_pdf = run_process(command("pdf", "--pdf"), args.repeat, fresh("pdf"))
        pdfs = sorted((home / "pdf").rglob("*.pdf"))
        letters = [p.with_suffix(".docx") for p in pdfs if p.with_suffix(".docx").exists()]
        word = run_process(command("word"), 1, fresh("word"))
        sample = letters[: args.sample]
        old = baseline(sample, home) / len(sample) * args.letters
    seconds = with_pdf.low
    print(
        f"crmbook letters --pdf, {args.letters} letters ({len(pdfs)} PDFs: one per letter and "
        f"the combined file), whole process: {with_pdf.span} over {args.repeat} runs "
        f"({seconds / args.letters * 1000:.0f} ms/letter at best); target ≤ {TARGET:.0f} s"
    )
    print(
        f"  the same command without --pdf: {word.span} (the PDFs add about "
        f"{seconds - word.low:.1f} s)"
    )
    print(f"  baseline, one LibreOffice batch, one file per letter: {old:.1f} s "
          f"(timed on {len(sample)} letters, scaled); ratio {old / seconds:.1f}×")  # fmt: skip
    ok = seconds <= TARGET and len(pdfs) == args.letters + 1
    print("  target:", verdict(ok))
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
