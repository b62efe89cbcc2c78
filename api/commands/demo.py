"""`vanthu demo [--out DIR]`: the seed notice through the whole workflow over HTTP.

A temporary server (uvicorn on a free port, a temporary SQLite database with the demo world)
takes the seed conclusion notice from draft to archived, one demo user per role; each step is
printed, the draft and the issued .docx are written to DIR (default ./vanthu-demo).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo", help="run the seed notice through the whole workflow over HTTP, write its files"
    )
    parser.add_argument("--out", default="vanthu-demo", help="folder for the .docx files")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import tempfile
    import time

    import httpx
    import yaml

    from api import flow
    from api.app import create_app
    from api.demo_world import DEMO_PASSWORD
    from api.server import serving
    from api.settings import Settings
    from workflow.atomic import write_bytes
    from workflow.demo import SEED_YAML
    from workflow.rendering.checker import check
    from workflow.vietnamese import vietnam_now

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seed = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    users = ["drafter", *dict.fromkeys(u for u, _ in flow.FULL_FLOW)]

    def say(user: str, action: str, state: str, seconds: float) -> None:
        at = vietnam_now().strftime("%H:%M:%S")
        print(f"{at}  {user:<15} {action:<12} → {state:<20} {seconds * 1000:7.1f} ms")

    with tempfile.TemporaryDirectory(prefix="vanthu-demo-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/demo.sqlite3", demo=True)
        app = create_app(settings)
        with serving(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            print(f"vanthu demo: temporary server {base}, database {tmp}/demo.sqlite3")
            auth = flow.logins(client, users, DEMO_PASSWORD)
            start = time.perf_counter()
            doc, etag = flow.create(client, auth["drafter"], seed)
            say("drafter", "create", doc["state"], time.perf_counter() - start)
            name, draft = flow.download(client, auth["drafter"], doc["id"], "draft")
            print(f"    draft: {write_bytes(out / name, draft)}")
            doc, etag = flow.walk(
                client,
                auth,
                doc,
                etag,
                on_step=lambda s: say(s.user, s.action, s.state, s.seconds),
            )
            name, issued = flow.download(client, auth["clerk"], doc["id"], "issued")
            print(f"    issued: {write_bytes(out / name, issued)}")
    problems = check(issued)
    verdict = "conforms" if not problems else f"{len(problems)} format problems"
    print(f"vanthu check: the issued file {verdict} (Decree 30/2020/NĐ-CP)")
    print(f"Số: {doc['number_symbol']}")
    return 0 if not problems else 1
