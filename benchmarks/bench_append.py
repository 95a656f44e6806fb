"""Append 2,000 Mailings rows to a register of N customers: FileBook.apply vs openpyxl.

    python benchmarks/bench_append.py [--customers 100000] [--rows 2000] [--skip-openpyxl]

Each measurement runs in its own process on a fresh copy of the cached register, so peak memory
(ru_maxrss, the whole process including Python and imports) belongs to that write alone.
SPEC §5 target: ≥ 10× faster than openpyxl load+save, ≤ 300 MB, untouched parts byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import big_register


def mailing_rows(count: int) -> list[list[object]]:
    """Rows as the letters step logs them."""
    sent = dt.date(2026, 11, 22)
    return [
        [i, "Conference offer", i, f"Bedrift {i} AS", "offer.docx", sent, f"letters/{i}.docx",
         None, None, "benchmark"]
        for i in range(1, count + 1)
    ]  # fmt: skip


def write_filebook(path: Path, rows: list[list[object]]) -> None:
    from crmbook.book.filebook import FileBook
    from crmbook.core import schema as s
    from crmbook.core.edits import AppendRows

    FileBook(path).apply([AppendRows(s.MAILINGS, rows)])


def write_openpyxl(path: Path, rows: list[list[object]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Mailings"]
    for row in rows:
        ws.append(row)
    wb.save(path)


WRITERS = {"filebook": write_filebook, "openpyxl": write_openpyxl}


def measure(writer: str, path: Path, rows: int) -> None:
    """Child process: time one write and print seconds and peak RSS (MB) as JSON."""
    data = mailing_rows(rows)
    func = WRITERS[writer]
    if writer == "filebook":
        import crmbook.book.filebook  # noqa: F401 - import cost is not part of the write
    else:
        import openpyxl  # noqa: F401
    start = time.perf_counter()
    func(path, data)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def run(writer: str, source: Path, rows: int, folder: Path) -> tuple[dict[str, float], Path]:
    path = folder / f"{writer}.xlsx"
    shutil.copy(source, path)
    done = subprocess.run(
        [sys.executable, __file__, "--measure", writer, str(path), "--rows", str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), path


def raw_members(path: Path) -> dict[str, bytes]:
    """Every member's stored (compressed) bytes, to prove untouched parts were not recompressed."""
    found = {}
    with zipfile.ZipFile(path) as z, path.open("rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset + 26)
            skip = int.from_bytes(f.read(2), "little") + int.from_bytes(f.read(2), "little")
            f.seek(skip, 1)
            found[info.filename] = f.read(info.compress_size)
    return found


def check(source: Path, written: Path, rows: int) -> list[str]:
    """Members the write changed: only the Mailings sheet, and styles.xml for the date format."""
    import python_calamine

    before, after = raw_members(source), raw_members(written)
    changed = sorted(n for n in before if before[n] != after.get(n))
    book = python_calamine.CalamineWorkbook.from_path(str(written))
    got = len(book.get_sheet_by_name("Mailings").to_python()) - 1
    assert got == rows, f"Mailings has {got} rows, expected {rows}"
    sheets = [n for n in changed if n.startswith("xl/worksheets/")]
    assert len(sheets) == 1 and set(changed) <= {*sheets, "xl/styles.xml"}, changed
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--skip-openpyxl", action="store_true", help="skip the slow baseline")
    parser.add_argument("--measure", nargs=2, metavar=("WRITER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), args.rows)
        return
    source = big_register(args.customers)
    (source.parent / ".gitignore").write_text("*\n")
    print(f"append {args.rows:,} Mailings rows to {args.customers:,} customers ({source.name}, "
          f"{source.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        ours, path = run("filebook", source, args.rows, Path(tmp))
        changed = check(source, path, args.rows)
        print(f"  FileBook.apply  {ours['seconds']:6.2f} s  peak {ours['peak_mb']:5.0f} MB  "
              f"changed parts: {', '.join(changed)}; every other part byte-identical")  # fmt: skip
        if args.skip_openpyxl:
            return
        base, _ = run("openpyxl", source, args.rows, Path(tmp))
        ratio = base["seconds"] / ours["seconds"]
        print(f"  openpyxl        {base['seconds']:6.2f} s  peak {base['peak_mb']:5.0f} MB")
        verdict = "met" if ratio >= 10 and ours["peak_mb"] <= 300 else "NOT met"
        print(f"  ratio {ratio:.1f}× faster (target ≥ 10×, ≤ 300 MB): {verdict}")


if __name__ == "__main__":
    main()
