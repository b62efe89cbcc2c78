"""`vanthu load-demo`: the demo accounts and directory into the configured database."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "load-demo",
        help="load the demo accounts (password vanthu-demo) and directory into the database",
    )
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL, else the demo database)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from api.demo_world import DEMO_PASSWORD, load_demo
    from api.settings import Settings
    from workflow.store import Database
    from workflow.store.api_repos import setup_lock

    settings = Settings.from_env(database_url=args.database)
    db = Database(settings.database_url)
    try:
        with setup_lock(db):
            db.migrate()
            loaded = load_demo(db)
        where = db.engine.url.render_as_string(hide_password=True)
    finally:
        db.dispose()
    print(
        f"{where}: {loaded.users} demo users (password {DEMO_PASSWORD} where none was set:"
        f" {loaded.passwords_set}), {loaded.delegations_added} delegations added, directory"
        f" {'loaded' if loaded.directory_loaded else 'already there'}"
    )
    return 0
