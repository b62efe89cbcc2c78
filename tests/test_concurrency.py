"""Gap-free numbering under real concurrency: 8 processes on one SQLite file and 32 sessions on
PostgreSQL issue 2,000 documents in one series through the engine's real issue path. Some
issues fail on purpose after taking their number; they are retried, and no gap remains."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from workflow.engine import Engine
from workflow.states import Action
from workflow.store import Database
from workflow.store.tables import documents, number_ledger

from .engine_support import RENDERER, actor, bulk_signed, make_engine, open_db

TOTAL = 2000
FAIL_EVERY = 50  # every 50th issue attempt of a client dies after taking its number
WHEN = datetime(2021, 6, 1, 2, 0, tzinfo=UTC)


class InjectedFailure(Exception):
    pass


class Client:
    """One clerk's session: issues its share, failing every FAIL_EVERY-th attempt on purpose."""

    def __init__(self, db: Database) -> None:
        self.attempts = 0
        self.failures = 0
        self.engine = Engine(db, renderer=RENDERER, clock=lambda: WHEN, after_number=self.hook)

    def hook(self, doc, number) -> None:
        self.attempts += 1
        if self.attempts % FAIL_EVERY == 0:
            raise InjectedFailure(f"client died holding number {number}")

    def run(self, ids: list[int]) -> tuple[list[tuple[int, int]], int]:
        out = []
        for doc_id in ids:
            while True:
                try:
                    doc = self.engine.act(actor("clerk"), doc_id, Action.ISSUE)
                    break
                except InjectedFailure:
                    self.failures += 1
            out.append((doc_id, doc.number))
        return out, self.failures


def _process(url: str, ids: list[int]) -> tuple[list[tuple[int, int]], int]:
    db = Database(url)
    try:
        return Client(db).run(ids)
    finally:
        db.dispose()


def check_gap_free(db: Database, results: list[tuple[list[tuple[int, int]], int]], ids: list[int]):
    issued = [pair for pairs, _ in results for pair in pairs]
    failures = sum(f for _, f in results)
    assert failures >= TOTAL // FAIL_EVERY - len(results)  # the injected failures really happened
    assert sorted(doc_id for doc_id, _ in issued) == sorted(ids)
    assert sorted(n for _, n in issued) == list(range(1, TOTAL + 1))
    with db.engine.connect() as conn:
        ledger = conn.execute(sa.select(number_ledger.c.number, number_ledger.c.document_id)).all()
        stored = conn.execute(
            sa.select(documents.c.id, documents.c.number).where(documents.c.number.is_not(None))
        ).all()
    assert sorted(n for n, _ in ledger) == list(range(1, TOTAL + 1))
    assert sorted(stored) == sorted(issued) == sorted((d, n) for n, d in ledger)
    with db.uow(write=False) as uow:
        (report,) = uow.numbers.report()
    assert (report.last_number, report.issued, report.gaps) == (TOTAL, TOTAL, [])


@pytest.mark.slow
def test_sqlite_eight_processes(tmp_path, request):
    db = open_db("sqlite", tmp_path, request)
    ids = bulk_signed(make_engine(db), TOTAL)
    shares = [ids[i::8] for i in range(8)]
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        results = pool.starmap(_process, [(db.url, share) for share in shares])
    check_gap_free(db, results, ids)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_thirty_two_sessions(tmp_path, request):
    db = open_db("postgres", tmp_path, request)
    ids = bulk_signed(make_engine(db), TOTAL)
    db.dispose()
    db = Database(db.url, pool_size=32, max_overflow=4)
    shares = [ids[i::32] for i in range(32)]
    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(lambda share: Client(db).run(share), shares))
    check_gap_free(db, results, ids)
    db.dispose()
