"""Where one issue's time goes: Engine.issue timed step by step, in process, one client.

Engine.issue itself runs, on documents signed through the engine; the store calls it makes
(connect, read, begin, counter, writes, commit, close) and the engine's own steps (loading the
signed rendition, filling the file, building the returned Document) are wrapped with timers, and
what is left of each issue's time is "the rest" (guards, series, the file's SHA-256, the audit
entry). Mean wall time per issue of each:

    .venv/bin/python bench/issue_phases.py [--issues 400] [--pg-url URL]

PostgreSQL is timed too when --pg-url or VANTHU_TEST_PG_URL is set (a scratch database).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow import content as content_module
from workflow import engine as engine_module
from workflow import rendering
from workflow.demo import SEED_YAML, load_directory, signed_documents
from workflow.dispatching import load_directory as load_receivers
from workflow.engine import Engine
from workflow.store import Database
from workflow.store.issuing import IssueRead, IssueSession
from workflow.store.scratch import scratch_postgres
from workflow.users import Actor

CLERK = Actor("clerk", frozenset({"clerk"}))
WARM = 50
clock = time.perf_counter
spent: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, step: str) -> None:
    """Replace owner.name with the same callable, its wall time added to spent[step]."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return original(*args, **kwargs)
        finally:
            spent[step] += clock() - start

    setattr(owner, name, wrapper)


def time_transactions() -> None:
    """IssueSession.transaction with its begin and the commit it yields timed."""
    original = IssueSession.transaction

    @contextmanager
    def transaction(self: IssueSession) -> Iterator[Callable[[], None]]:
        start = clock()
        with original(self) as commit:
            spent["begin"] += clock() - start

            def timed_commit() -> None:
                began = clock()
                commit()
                spent["commit"] += clock() - began

            yield timed_commit

    IssueSession.transaction = transaction  # type: ignore[method-assign]


def instrument() -> None:
    timed(IssueSession, "__enter__", "connect")
    timed(IssueSession, "read", "read (one statement)")
    timed(Engine, "_load_rendition", "load the signed rendition")
    time_transactions()
    timed(IssueSession, "take", "counter")
    timed(engine_module, "_issued_file", "fill (file + deflate stream)")
    timed(IssueSession, "write", "writes")
    timed(IssueRead, "document", "returned Document")
    timed(IssueSession, "__exit__", "close")


def phases(url: str, issues: int) -> dict[str, float]:
    """Mean milliseconds per issue of each step, and of the rest."""
    db = Database(url)
    db.migrate()
    engine = Engine(db, renderer=rendering)
    load_directory(engine)
    load_receivers(db)
    ids = signed_documents(engine, issues + WARM, content_module.read(SEED_YAML))
    for doc_id in ids[:WARM]:
        engine.act(CLERK, doc_id, "issue")
    spent.clear()
    start = clock()
    for doc_id in ids[WARM:]:
        engine.act(CLERK, doc_id, "issue")
    total = clock() - start
    db.dispose()
    steps = {step: seconds / issues * 1000 for step, seconds in spent.items()}
    steps["rest: guards, hash, audit"] = (total - sum(spent.values())) / issues * 1000
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=400)
    parser.add_argument("--pg-url", default=os.environ.get("VANTHU_TEST_PG_URL"))
    args = parser.parse_args()
    instrument()
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
