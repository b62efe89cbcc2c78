"""Complete vanthu issues per second against a raw counter baseline, same database, same run.

vanthu: Engine.act(clerk, id, "issue") on documents signed through the engine's own path (the
        signed rendition stored): number, date, issued file, ledger, document, audit entry and
        commit in one transaction.
raw:    one transaction = UPDATE counter SET n = n + 1 … RETURNING n + one INSERT, commit.
raw+file (for reference, not the target's baseline): the same with the seed's issued file in
        the INSERT, as vanthu stores it (the 73 KB .docx deflated to ≈13 KB) — what writing the
        file costs alone.

floor (with --floor; for reference): vanthu's own issue statements — read, counter, the five
        writes with the deflated file, commit — with everything else done before the clock
        starts (plan, rendition, file, hashes): what the storage path costs alone, so that the
        rest of vanthu's time is the Python work between the statements.

Both run in N client processes (1, 4, 16) on SQLite (a file, WAL, synchronous=FULL, BEGIN
IMMEDIATE) and PostgreSQL (READ COMMITTED), through the same engine settings; every run is
checked for gaps afterwards. Run:

    .venv/bin/python bench/numbering.py [--issues 400] [--clients 1 4 16] [--pg-url URL] [--floor]

PostgreSQL is used when --pg-url or VANTHU_TEST_PG_URL is set (a scratch database is created
and dropped there).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow import content as content_module
from workflow import issuing, rendering
from workflow.demo import SEED_YAML, load_directory, signed_documents
from workflow.dispatching import load_directory as load_receivers
from workflow.engine import Engine
from workflow.store import Database
from workflow.store.scratch import scratch_postgres
from workflow.users import Actor
from workflow.vietnamese import vietnam_date

CLERK = Actor("clerk", frozenset({"clerk"}))
START_DELAY = 3.0  # seconds for every client to connect before the common start


def _warm() -> None:
    """Pool initialiser: import and compile templates once per process, outside the timing."""
    rendering.prepare(content_module.read(SEED_YAML))


def _wait(start: float) -> None:
    delay = start - time.time()
    if delay > 0:
        time.sleep(delay)


def vanthu_client(url: str, ids: list[int], start: float) -> tuple[float, float]:
    """(finish time, CPU seconds this client process spent issuing)."""
    db = Database(url)
    engine = Engine(db, renderer=rendering)
    with db.uow(write=False) as uow:  # connect before the start
        uow.documents.ids(states=["signed"])
    _wait(start)
    cpu = time.process_time()
    for doc_id in ids:
        engine.act(CLERK, doc_id, "issue")
    done, cpu = time.time(), time.process_time() - cpu
    db.dispose()
    return done, cpu


def floor_client(url: str, ids: list[int], start: float) -> tuple[float, float]:
    """vanthu_client with only issue's statements timed: each document's plan (its read,
    decision and rendition), issued file and hash are made before the start; timed per document
    are the read, the counter, the writes and the commit — as Engine.issue runs them."""
    db = Database(url)
    engine = Engine(db, renderer=rendering)
    prepared = rendering.prepare(content_module.read(SEED_YAML))
    data, deflated = prepared.fill_deflated(1, date(2021, 9, 20))
    sha = hashlib.sha256(data).hexdigest()
    with db.issuing() as session:
        plans = {i: engine._plan_issue(session, CLERK, i, None) for i in ids}
    _wait(start)
    cpu = time.process_time()
    with db.issuing() as session:
        for doc_id in ids:
            plan = plans[doc_id]
            session.read(doc_id, CLERK.username)
            with session.transaction() as commit:
                number = session.take(plan.series, plan.year)
                now = engine.clock()
                facts = plan.read.facts
                issued = issuing.issued(
                    facts,
                    CLERK,
                    plan.decision,
                    series_id=plan.series,
                    number=number,
                    issued_date=vietnam_date(now),
                    file_sha256=sha,
                    at=now,
                )
                session.write(
                    issued,
                    prev_hash=facts.audit_hash,
                    data=deflated,
                    sha256=sha,
                    now=now,
                    deflated=True,
                )
                commit()
    done, cpu = time.time(), time.process_time() - cpu
    db.dispose()
    return done, cpu


def raw_client(
    url: str, count: int, start: float, payload: bytes | None = None
) -> tuple[float, float]:
    db = Database(url)
    bump = sa.text("UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n")
    insert = sa.text("INSERT INTO bench_item (n, at) VALUES (:n, :at)")
    if payload is not None:
        insert = sa.text("INSERT INTO bench_file (n, at, b) VALUES (:n, :at, :b)").bindparams(
            sa.bindparam("b", type_=sa.LargeBinary)
        )
    extra = {} if payload is None else {"b": payload}
    with db.engine.connect() as conn:
        _wait(start)
        cpu = time.process_time()
        for _ in range(count):
            with conn.begin():
                n = conn.execute(bump).scalar_one()
                conn.execute(insert, {"n": n, "at": datetime.now(UTC), **extra})
    done, cpu = time.time(), time.process_time() - cpu
    db.dispose()
    return done, cpu


def _timed(pool: multiprocessing.pool.Pool, func: object, jobs: list[tuple]) -> tuple[float, float]:
    """(seconds from the common start to the last client's finish, client CPU seconds)."""
    start = time.time() + START_DELAY
    finished = pool.starmap(func, [(*job[:2], start, *job[2:]) for job in jobs])  # type: ignore[arg-type]
    return max(done for done, _ in finished) - start, sum(cpu for _, cpu in finished)


def run_vanthu(
    pool: multiprocessing.pool.Pool, url: str, clients: int, issues: int, client: object = None
) -> tuple:
    db = Database(url)
    db.migrate()
    engine = Engine(db, renderer=rendering)
    load_directory(engine)
    load_receivers(db)  # the issue guard checks every recipient against it
    ids = signed_documents(engine, issues, content_module.read(SEED_YAML))
    jobs = [(url, ids[i::clients]) for i in range(clients)]
    seconds, cpu = _timed(pool, client or vanthu_client, jobs)
    with db.uow(write=False) as uow:
        report = uow.numbers.report()
    db.dispose()
    (series,) = report
    gaps = len(series.gaps) + (series.issued != issues) + (series.last_number != issues)
    return issues / seconds, gaps, cpu / issues


def run_raw(
    pool: multiprocessing.pool.Pool,
    url: str,
    clients: int,
    issues: int,
    payload: bytes | None = None,
) -> tuple:
    db = Database(url)
    table = "bench_item" if payload is None else "bench_file"
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_counter (id INTEGER PRIMARY KEY, n INTEGER)")
        conn.exec_driver_sql(
            "CREATE TABLE bench_item (n INTEGER PRIMARY KEY, at TIMESTAMP WITH TIME ZONE)"
        )
        blob = "BLOB" if db.dialect == "sqlite" else "BYTEA"
        conn.exec_driver_sql(
            "CREATE TABLE bench_file"
            f" (n INTEGER PRIMARY KEY, at TIMESTAMP WITH TIME ZONE, b {blob} NOT NULL)"
        )
        if db.dialect == "postgresql":  # as vanthu stores files (migration 0003)
            conn.exec_driver_sql("ALTER TABLE bench_file ALTER COLUMN b SET STORAGE EXTERNAL")
        conn.exec_driver_sql("INSERT INTO bench_counter VALUES (1, 0)")
    share = [issues // clients + (i < issues % clients) for i in range(clients)]
    seconds, cpu = _timed(pool, raw_client, [(url, n, payload) for n in share])
    with db.engine.connect() as conn:
        count, top = conn.exec_driver_sql(f"SELECT count(*), max(n) FROM {table}").one()
    db.dispose()
    return issues / seconds, int(count != issues or top != issues), cpu / issues


class Databases:
    """A fresh database per run: a new SQLite file, or a scratch PostgreSQL database."""

    def __init__(self, pg_url: str | None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="vanthu-bench-"))
        self.pg_url = pg_url
        self.scratch = ExitStack()

    def new(self, kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.dir / f'engine_bench_{uuid.uuid4().hex[:10]}'}.sqlite3"
        assert self.pg_url
        return self.scratch.enter_context(scratch_postgres(self.pg_url, "engine_bench"))

    def close(self) -> None:
        self.scratch.close()
        for path in self.dir.glob("*"):
            path.unlink()
        self.dir.rmdir()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=400, help="issues per run (default 400)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--pg-url", default=os.environ.get("VANTHU_TEST_PG_URL"))
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    parser.add_argument(
        "--floor", action="store_true", help="also time issue's statements alone (floor/s)"
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.pg_url else ["sqlite"]
    if args.only:
        kinds = [args.only]
    if not args.pg_url and "postgres" in kinds:
        parser.error("PostgreSQL needs --pg-url or VANTHU_TEST_PG_URL")
    if not args.pg_url:
        print("(PostgreSQL skipped: set --pg-url or VANTHU_TEST_PG_URL)")
    dbs = Databases(args.pg_url)
    print(f"{args.issues} issues per run; seed notice ({SEED_YAML.name}); {os.cpu_count()} CPUs")
    prepared = rendering.prepare(content_module.read(SEED_YAML))
    issued_file = prepared.fill_deflated(1, date(2021, 9, 20))[1]  # as issue stores it
    print(
        f"{'database':<10} {'clients':>7} {'vanthu/s':>9} {'raw/s':>9} {'ratio':>6} {'gaps':>5}"
        f" {'raw+file/s':>11} {'cpu ms: vanthu':>14} {'raw':>5}"
        + (f" {'floor/s':>8} {'floor %':>7} {'cpu ms':>6}" if args.floor else "")
    )
    failed = False
    ctx = multiprocessing.get_context("spawn")
    try:
        with ctx.Pool(max(args.clients), initializer=_warm) as pool:
            for kind in kinds:
                for clients in args.clients:
                    ours, our_gaps, our_cpu = run_vanthu(pool, dbs.new(kind), clients, args.issues)
                    raw, raw_gaps, raw_cpu = run_raw(pool, dbs.new(kind), clients, args.issues)
                    filed, file_gaps, _ = run_raw(
                        pool, dbs.new(kind), clients, args.issues, issued_file
                    )
                    ratio = ours / raw
                    failed |= bool(our_gaps or raw_gaps or file_gaps)
                    floor = ""
                    if args.floor:
                        low, low_gaps, low_cpu = run_vanthu(
                            pool, dbs.new(kind), clients, args.issues, floor_client
                        )
                        failed |= bool(low_gaps)
                        floor = f" {low:>8.1f} {low / raw:>7.0%} {low_cpu * 1000:>6.2f}"
                    print(
                        f"{kind:<10} {clients:>7} {ours:>9.1f} {raw:>9.1f} {ratio:>6.0%}"
                        f" {our_gaps + raw_gaps + file_gaps:>5} {filed:>11.1f}"
                        f" {our_cpu * 1000:>14.2f} {raw_cpu * 1000:>5.2f}{floor}",
                        flush=True,
                    )
    finally:
        dbs.close()
    print("target: vanthu ≥ 50% of raw at every client count, zero gaps")
    print("cpu ms: client-process CPU per issue / per raw transaction (time.process_time)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
