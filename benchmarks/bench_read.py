"""Read N customers × 25 columns: crmbook's reader vs python-calamine and pandas+openpyxl.

    python benchmarks/bench_read.py [--customers 100000] [--skip-openpyxl]

In memory, inside one process (labelled so): read_register against a bare to_python of the
Customers sheet, min–max over ``--repeat`` runs. What the user waits for, with interpreter start
and the write, is in bench_validate.py and bench_select.py.
"""

from __future__ import annotations

import argparse

from common import big_register, in_memory, machine, span


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-openpyxl", action="store_true", help="skip the slow baseline")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    import pandas as pd
    import python_calamine

    from crmbook.book.reader import read_register

    for n in args.customers:
        path = big_register(n)
        calamine = in_memory(
            args.repeat,
            lambda p=path: (
                python_calamine.CalamineWorkbook.from_path(str(p))
                .get_sheet_by_name("Customers")
                .to_python()
            ),
        )
        ours = in_memory(args.repeat, lambda p=path: read_register(p))
        ratio = min(ours) / min(calamine)
        print(f"{n:>7} customers, in memory: python-calamine {span(calamine)}, "
              f"crmbook reader {span(ours)}; {ratio:.2f} × calamine (fastest runs; "
              f"{args.repeat} runs each)")  # fmt: skip
        if not args.skip_openpyxl:
            baseline = in_memory(1, lambda p=path: pd.read_excel(p, "Customers", engine="openpyxl"))
            slower = baseline[0] / min(ours)
            print(f"{'':>17} pandas+openpyxl {span(baseline)} = {slower:.1f} × slower")


if __name__ == "__main__":
    main()
