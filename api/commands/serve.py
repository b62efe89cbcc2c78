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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.demo_world import DEMO_PASSWORD
    from api.settings import Settings

    settings = Settings.from_env(database_url=args.database)
    app = create_app(settings)
    where = app.state.services.db.engine.url.render_as_string(hide_password=True)
    if settings.demo:
        print(f"vanthu: demo mode on {where}")
        print(
            "vanthu: demo accounts drafter, unit_head, format_checker, signer, clerk, archivist,"
            f" admin — password {DEMO_PASSWORD}"
        )
    else:
        print(f"vanthu: database {where}")
    print(f"vanthu: API on http://{args.host}:{args.port}  (docs: /docs, schema: /openapi.json)")
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0
