"""Read N customers × 25 columns: crmbook's reader vs python-calamine and pandas+openpyxl.

    python benchmarks/bench_read.py [--customers 100000] [--skip-openpyxl]

SPEC §5 target: crmbook ≤ 1.5 × python-calamine (a bare to_python of the Customers sheet).
"""

from __future__ import annotations

import argparse

from common import best_of, big_register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-openpyxl", action="store_true", help="skip the slow baseline")
    args = parser.parse_args()
    import pandas as pd
    import python_calamine

    from crmbook.book.reader import read_register

    for n in args.customers:
        path = big_register(n)
        calamine = best_of(
            3,
            lambda p=path: (
                python_calamine.CalamineWorkbook.from_path(str(p))
                .get_sheet_by_name("Customers")
                .to_python()
            ),
        )
        ours = best_of(3, lambda p=path: read_register(p))
        print(f"{n:>7} customers: python-calamine {calamine:.2f} s, crmbook {ours:.2f} s "
              f"= {ours / calamine:.2f} × calamine (target ≤ 1.5)")  # fmt: skip
        if not args.skip_openpyxl:
            baseline = best_of(1, lambda p=path: pd.read_excel(p, "Customers", engine="openpyxl"))
            print(f"{'':>17} pandas+openpyxl {baseline:.2f} s = {baseline / ours:.1f} × slower")


if __name__ == "__main__":
    main()
