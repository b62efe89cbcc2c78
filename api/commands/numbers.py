"""`vanthu numbers`: the no-gap report per register and year (exit 1 if any gap)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "numbers", help="no-gap report per register and year: issued, recalled, gaps"
    )
    parser.add_argument("--year", type=int, help="only this calendar year (Vietnam time)")
    parser.add_argument("--series", help="only this register, written ISSUER/REGISTER: BGDĐT/VB")
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from numbering.registers import SeriesKey
    from workflow.store import Database

    if args.series:
        try:
            SeriesKey.parse(args.series)
        except ValueError as exc:
            print(f"vanthu numbers: --series: {exc}", file=sys.stderr)
            return 2
    db = Database(args.database)
    try:
        with db.uow(write=False) as uow:
            rows = uow.numbers.report(year=args.year, series=args.series)
    finally:
        db.dispose()
    print(f"{'register':<20} {'year':>4} {'last':>6} {'issued':>6} {'recalled':>8}  gaps")
    bad = 0
    for r in rows:
        gaps = ", ".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in r.gaps)
        if r.beyond_counter:
            gaps += f" ledger beyond counter: {r.beyond_counter}"
        bad += not r.ok
        print(
            f"{r.series:<20} {r.year:>4} {r.last_number:>6} {r.issued:>6} {r.recalled:>8}"
            f"  {gaps or 'none'}"
        )
    if not rows:
        print("no numbers issued yet")
    return 1 if bad else 0
