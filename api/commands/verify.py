"""`vanthu verify`: check every audit chain, the number ledger and every issued file's hash."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "verify",
        help="check audit hash chains, ledger ⇄ documents, and re-render every issued document",
    )
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.add_argument(
        "--package",
        metavar="FILE",
        help="check a case file's hand-over package (zip) instead of the database",
    )
    parser.set_defaults(run=run)


def verify_package_file(path: str) -> int:
    """`vanthu verify --package FILE`: manifest, metadata and container of a hand-over zip."""
    from workflow.handover import verify_package

    problems = verify_package(path)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"verify: {path}: OK" if not problems else f"verify: {len(problems)} problem(s)")
    return 0 if not problems else 1


def run(args: argparse.Namespace) -> int:
    import importlib

    if args.package:
        return verify_package_file(args.package)

    from workflow.store import Database
    from workflow.verify import verify

    db = Database(args.database)
    try:

        def progress(what: str, done: int, total: int) -> None:
            print(f"  … {done}/{total} {what}", file=sys.stderr, flush=True)

        result = verify(db, importlib.import_module("workflow.rendering"), progress=progress)
    finally:
        db.dispose()
    print(f"documents checked:        {result.documents}")
    print(f"audit entries (chains):   {result.audit_entries}")
    print(f"issued files re-rendered: {result.rerendered}")
    print(f"signed renditions:        {result.renditions}")
    print(f"ledger rows:              {result.ledger_rows}")
    print(f"registers × years:        {result.series_years}")
    for problem in result.problems:
        print(f"PROBLEM: {problem}")
    print("verify: OK" if result.ok else f"verify: {len(result.problems)} problem(s)")
    return 0 if result.ok else 1
