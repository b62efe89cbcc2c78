"""`vanthu directory load [PATH]`: validate directory files and put them in the database."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "directory", help="load the directory of receivers (fixtures/directory/) into the database"
    )
    parser.add_argument("action", choices=("load",))
    parser.add_argument("path", nargs="?", help="folder or file (default: fixtures/directory/)")
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workflow.directory import DEFAULT_PATH
    from workflow.dispatching import load_directory
    from workflow.store import Database

    db = Database(args.database)
    try:
        db.migrate()
        directory = load_directory(db, args.path or DEFAULT_PATH)
    finally:
        db.dispose()
    kinds = ("organisation", "unit", "position", "group")
    print("directory loaded: " + ", ".join(f"{len(directory.ids(k))} {k}s" for k in kinds))
    return 0
