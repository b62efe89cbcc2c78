"""`vanthu register SERIES YEAR`: the outgoing register (Phụ lục IV) as xlsx, csv or docx."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "register", help="write the outgoing register of a series and year (xlsx, csv, docx)"
    )
    parser.add_argument("series", help="the register, written ISSUER/REGISTER: BGDĐT/VB")
    parser.add_argument("year", type=int, help="calendar year (Vietnam time)")
    parser.add_argument("--format", choices=("xlsx", "csv", "docx"), default="xlsx")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from numbering.registers import SeriesKey
    from workflow.atomic import write_bytes
    from workflow.dispatching import export_register, register_rows
    from workflow.store import Database

    try:
        key = SeriesKey.parse(args.series)
    except ValueError as exc:
        print(f"vanthu register: {exc}", file=sys.stderr)
        return 2
    db = Database(args.database)
    try:
        rows = len(register_rows(db, key, args.year))
        data = export_register(db, key, args.year, args.format)
    finally:
        db.dispose()
    write_bytes(args.output, data)
    print(f"{args.output}: register {key} {args.year}, {rows} documents ({args.format})")
    return 0
