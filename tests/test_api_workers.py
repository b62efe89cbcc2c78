"""`vanthu serve --workers 2`: two uvicorn worker processes behind one port on one database
take a document through the whole workflow, each request answered by whichever worker."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import yaml

from api import flow
from api.demo_world import DEMO_PASSWORD
from workflow.demo import SEED_YAML

from .api_support import VANTHU, vanthu_serve

USERS = ["drafter", "unit_head", "format_checker", "signer", "clerk"]


def test_two_workers_serve_the_whole_flow(tmp_path):
    url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    load = subprocess.run([VANTHU, "load-demo", "--database", url], capture_output=True, text=True)
    assert load.returncode == 0, load.stderr
    log = tmp_path / "serve.log"
    args = ("--workers", "2", "--log-level", "info")  # info: each worker says it started
    serve = vanthu_serve(log, {"VANTHU_DATABASE_URL": url}, *args)
    with serve as base, httpx.Client(base_url=base, timeout=60) as c:
        auth = flow.logins(c, USERS, DEMO_PASSWORD)
        seed = yaml.safe_load(Path(SEED_YAML).read_text(encoding="utf-8"))
        doc, etag = flow.create(c, auth["drafter"], seed)
        doc, _ = flow.walk(c, auth, doc, etag, flow.FULL_FLOW[:-1])
        assert doc["state"] == "dispatched" and doc["number_symbol"].startswith("01/")
    started = log.read_text(encoding="utf-8").count("Started server process")
    assert started == 2, log.read_text(encoding="utf-8")
