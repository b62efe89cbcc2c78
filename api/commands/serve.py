"""`vanthu serve [--host H] [--port P]`: the HTTP API under uvicorn (default 127.0.0.1:8000).

Without VANTHU_DATABASE_URL it runs in demo mode on an SQLite file in the user's data
directory, created, migrated and loaded with the demo accounts on first start. Several
processes may serve one database: start-up work takes a lock, and state lives in the database.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve", help="run the HTTP API (demo mode on SQLite without VANTHU_DATABASE_URL)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL, else demo mode)"
    )
    parser.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (uvicorn workers; one per core uses them all)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from api.app import create_app, prepare_database
    from api.demo_world import DEMO_PASSWORD
    from api.settings import Settings
    from workflow.store import Database
    from workflow.store.database import URL_VAR

    settings = Settings.from_env(database_url=args.database)
    db = Database(settings.database_url)  # not connected: for the URL as it may be shown
    where = db.engine.url.render_as_string(hide_password=True)
    db.dispose()
    if settings.demo:
        print(f"vanthu: demo mode on {where}")
        print(
            "vanthu: demo accounts drafter, unit_head, format_checker, signer, clerk, archivist,"
            f" admin — password {DEMO_PASSWORD}"
        )
    else:
        print(f"vanthu: database {where}")
    print(f"vanthu: API on http://{args.host}:{args.port}  (docs: /docs, schema: /openapi.json)")
    if args.workers > 1:
        # Each worker process builds its own app from the environment, as several `vanthu
        # serve` processes on one database do; the database is prepared once, here, first.
        if args.database:
            os.environ[URL_VAR] = args.database
        prepare_database(settings)
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            workers=args.workers,
        )
        return 0
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0
