"""PDF of 2,000 letters (SPEC §5: ≤ 60 s), against one LibreOffice batch run of the same letters.

    python benchmarks/bench_pdf.py [--letters 2000] [--sample 200] [--quick]

crmbook.letters.pdf.to_pdf on every letter and the combined file, timed as one call (it starts
LibreOffice itself). The baseline is what crmbook did before: one LibreOffice call converting
the letters one file each, timed on ``--sample`` letters and scaled to ``--letters`` (labelled).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_letters import SETTINGS, TEMPLATE, recipients
from common import machine

from crmbook.core.letters import batch_context
from crmbook.letters import pdf
from crmbook.letters.engine import LetterTemplate

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
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    people = recipients(args.letters)
    batch = LetterTemplate(TEMPLATE).batch(batch_context(SETTINGS, "Vinter 2026", dt.date.today()))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        files = [out / f"{r['customer_id']} {r['company']}.docx" for r in people]
        for r, f in zip(people, files, strict=True):
            batch.write(f, r)
        combined = out / "alle brev.docx"
        batch.write_combined(combined, people)
        start = time.perf_counter()
        made = pdf.to_pdf(files, out / "pdf", "nb", combined=combined)
        seconds = time.perf_counter() - start
        sample = files[: args.sample]
        old = baseline(sample, out) / len(sample) * len(files)
    print(
        f"PDF of {args.letters} letters + combined file ({len(made)} PDFs, whole call): "
        f"{seconds:.1f} s ({seconds / args.letters * 1000:.0f} ms/letter); "
        f"target ≤ {TARGET:.0f} s"
    )
    print(f"  baseline, one LibreOffice batch, one file per letter: {old:.1f} s "
          f"(timed on {len(sample)} letters, scaled); ratio {old / seconds:.1f}×")  # fmt: skip
    ok = seconds <= TARGET
    print("  target:", "met" if ok else "MISS")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
