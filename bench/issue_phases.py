"""Where one issue's time goes: Engine.issue's steps timed one by one, in process, one client.

The steps are Engine.issue's own (workflow/engine.py), called in its order on documents signed
through the engine, with the wall time of each summed over the run:

    .venv/bin/python bench/issue_phases.py [--issues 400] [--pg-url URL]

PostgreSQL is timed too when --pg-url or VANTHU_TEST_PG_URL is set (a scratch database).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow import content as content_module
from workflow import issuing, rendering
from workflow.demo import SEED_YAML, load_directory, signed_documents
from workflow.dispatching import load_directory as load_receivers
from workflow.engine import Engine, _issued_file
from workflow.store import Database
from workflow.store.scratch import scratch_postgres
from workflow.users import Actor
from workflow.vietnamese import vietnam_date

CLERK = Actor("clerk", frozenset({"clerk"}))
WARM = 50


def phases(url: str, issues: int) -> dict[str, float]:
    """Mean milliseconds per issue of each step."""
    db = Database(url)
    db.migrate()
    engine = Engine(db, renderer=rendering)
    load_directory(engine)
    load_receivers(db)
    ids = signed_documents(engine, issues + WARM, content_module.read(SEED_YAML))
    for doc_id in ids[:WARM]:
        engine.act(CLERK, doc_id, "issue")
    spent: dict[str, float] = defaultdict(float)
    clock = time.perf_counter

    def lap(step: str, since: float) -> float:
        now = clock()
        spent[step] += now - since
        return now

    for doc_id in ids[WARM:]:
        t = clock()
        with db.issuing() as session:
            t = lap("connect", t)
            read = session.read(doc_id, CLERK.username)
            t = lap("read (one statement)", t)
            facts = read.facts
            prepared = engine._load_rendition(facts.content_sha256, read.rendition)
            t = lap("load the signed rendition", t)
            assert prepared is not None
            decision = issuing.decide_issue(facts, CLERK, recipients_hold=True)
            assert decision is not None
            series = engine._series_id(facts.series_key(engine.registers))
            t = lap("guards, series", t)
            with session.transaction() as commit:
                t = lap("begin", t)
                number = session.take(series, vietnam_date(engine.clock()).year)
                t = lap("counter", t)
                now = engine.clock()
                data, stored = _issued_file(prepared, number, vietnam_date(now))
                t = lap("fill (file + deflate stream)", t)
                sha = hashlib.sha256(data).hexdigest()
                t = lap("file SHA-256", t)
                issued = issuing.issued(
                    facts,
                    CLERK,
                    decision,
                    series_id=series,
                    number=number,
                    issued_date=vietnam_date(now),
                    file_sha256=sha,
                    at=now,
                )
                head = session.write(
                    issued,
                    prev_hash=facts.audit_hash,
                    data=stored or data,
                    sha256=sha,
                    now=now,
                    deflated=stored is not None,
                )
                t = lap("audit entry + writes", t)
                commit()
                t = lap("commit", t)
            read.document(issued, head)
            t = lap("returned Document", t)
        lap("close", t)
    db.dispose()
    return {step: seconds / issues * 1000 for step, seconds in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=400)
    parser.add_argument("--pg-url", default=os.environ.get("VANTHU_TEST_PG_URL"))
    args = parser.parse_args()
    runs: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="vanthu-phases-") as tmp:
        runs["sqlite"] = phases(f"sqlite:///{tmp}/phases.sqlite3", args.issues)
    if args.pg_url:
        with scratch_postgres(args.pg_url, "bench_phases") as url:
            runs["postgres"] = phases(url, args.issues)
    else:
        print("(PostgreSQL skipped: set --pg-url or VANTHU_TEST_PG_URL)")
    print(f"{args.issues} issues of the seed notice, one client; mean ms per issue")
    print(f"{'step':<30}" + "".join(f"{kind:>10}" for kind in runs))
    for step in next(iter(runs.values())):
        print(f"{step:<30}" + "".join(f"{run[step]:>10.3f}" for run in runs.values()))
    print(f"{'total':<30}" + "".join(f"{sum(run.values()):>10.3f}" for run in runs.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
