"""Search at scale: a generated corpus of issued documents (default 1,000,000) loaded in bulk into
a fresh SQLite file and a fresh PostgreSQL database, then p50/p99 of the search service — the
same function GET /documents/search calls (workflow.retrieval.search) — for exact number/symbol
lookups, filtered listings (first page and a later keyset page) and accent-insensitive text
queries, next to the targets (exact p99 ≤ 2 ms, text p99 ≤ 50 ms).

    VANTHU_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/search.py                 # 1,000,000 documents, both databases
    .venv/bin/python bench/search.py --docs 20000 --only sqlite   # a quick check

The corpus (workflow/search_corpus.py) is deterministic (seeded); documents go in with their
search rows in batches (workflow/store/bulk.py, the same derivation as after a real issue); the
search table's secondary indexes and the PostgreSQL GIN index are built after the load.
Databases are created under /tmp (or --dir) and as bench_search_<random>, and dropped after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numbering.symbols import format_number
from workflow import retrieval
from workflow.search import parse
from workflow.search_corpus import TYPES, Generated, generate
from workflow.store import Database
from workflow.store.bulk import load_issued
from workflow.store.scratch import scratch_postgres
from workflow.store.tables import documents, search
from workflow.users import Actor

ARCHIVIST = Actor("archivist", frozenset({"archivist"}))
TARGETS = {"exact": 2.0, "text": 50.0}
# Accent-insensitive text queries: 1–4 words, common and rare, with and without accents.
TEXT_QUERIES = (
    "công tác",  # in nearly every document
    "cong tac",
    "giáo dục",
    "giao duc",
    "triển khai nhiệm vụ",
    "ket luan hoi nghi",
    "Kết luận Hội nghị",
    "đào tạo",
    "dao tao boi duong",
    "phòng, chống thiên tai",
    "phong chong tham nhung",
    "tiêm chủng mở rộng",
    "sot xuat huyet",
    "bao dam an toan thuc pham",
    "kho bac",
    "chuyển đổi số",
    "quyet toan ngan sach",
    "van thu luu tru",
    "Thủ tướng Chính phủ",
    "nghi dinh cong tac van thu",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def fresh_database(kind: str, pg_url: str | None, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        path = directory / f"bench_search_{uuid.uuid4().hex[:8]}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm", ".writer-lock", ".setup-lock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    assert pg_url is not None
    with scratch_postgres(pg_url, "bench_search") as url:
        yield url


def load(db: Database, docs: int, batch: int, seed: int) -> list[Generated]:
    """Bulk-load the corpus; returns a sample of the generated documents for the queries."""
    indexes = [*search.indexes, *(i for i in documents.indexes if not i.unique)]
    with db.engine.begin() as conn:  # secondary indexes after the load: faster
        for index in indexes:
            index.drop(conn)
    sample: list[Generated] = []
    rng = random.Random(seed + 1)
    start = time.perf_counter()
    pending: list[Generated] = []
    done = 0
    now = datetime.now(UTC)
    conn = db.engine.connect()  # one connection for the whole load
    if db.dialect == "sqlite":  # a half-loaded benchmark file is thrown away anyway
        conn.connection.dbapi_connection.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]

    def flush() -> None:
        nonlocal done
        with conn.begin():
            load_issued(conn, pending, now=now, validate=False)
        done += len(pending)
        pending.clear()
        if done % (batch * 20) == 0 or done == docs:
            rate = done / (time.perf_counter() - start)
            print(f"  loaded {done:>9,} documents  ({rate:,.0f}/s)", flush=True)

    for g in generate(docs, seed=seed):
        pending.append(g)
        if rng.random() < 2000 / docs:
            sample.append(g)
        if len(pending) == batch:
            flush()
    if pending:
        flush()
    conn.invalidate()  # never back to the pool with synchronous=OFF
    conn.close()
    t = time.perf_counter()
    with db.engine.begin() as conn:
        for index in indexes:
            index.create(conn)
        if db.dialect == "sqlite":
            # merge the FTS5 b-tree segments the batches left behind, as after any bulk load
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if db.dialect == "sqlite" else "VACUUM ANALYZE")
    print(f"  indexes built and statistics taken in {time.perf_counter() - t:.1f} s")
    return sample


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return times


def measure(db: Database, sample: list[Generated], seed: int, rounds: int) -> dict[str, list]:
    rng = random.Random(seed + 2)
    results: dict[str, list[float]] = {}
    abbr = {t[0]: t[3] for t in TYPES}

    def go(text: str = "", **kwargs: object) -> retrieval.Page:
        return retrieval.search(db, ARCHIVIST, parse(text, **kwargs))  # type: ignore[arg-type]

    # exact number/symbol, written three ways
    exact = []
    for g in rng.sample(sample, min(len(sample), 100 * rounds)):
        number = format_number(g.number)
        form = rng.randrange(3)
        text = (
            f"{number}/{g.symbol}",
            f"số {g.number} {g.symbol}",
            f"so {number}/{g.symbol.lower()}",
        )[form]
        exact.append((text, g))
    go(exact[0][0])  # warm: the catch-up check, statements compiled
    times = []
    for text, g in exact:
        t = time.perf_counter()
        page = go(text)
        times.append((time.perf_counter() - t) * 1000)
        if not any(h.number == g.number and h.issued_date == g.issued_date for h in page.hits):
            raise AssertionError(f"{text!r} did not find the document issued {g.issued_date}")
    results["exact number/symbol (3 spellings)"] = times

    # filtered listings: year + type + issuer, newest first; page 1 and page 6 (keyset)
    first, later = [], []
    for g in rng.sample(sample, min(len(sample), 50 * rounds)):
        kwargs = {"year": g.issued_date.year, "doc_type": abbr[g.doc_type] or g.doc_type,
                  "issuer": g.issuer_code}  # fmt: skip
        t = time.perf_counter()
        page = go(**kwargs)
        first.append((time.perf_counter() - t) * 1000)
        cursor = page.next_cursor
        for _ in range(4):
            if cursor is None:
                break
            cursor = go(cursor=cursor, **kwargs).next_cursor
        if cursor is not None:
            later += timed(lambda k=kwargs, c=cursor: go(cursor=c, **k), 1)
    results["listing year+type+issuer, page 1"] = first
    results["listing year+type+issuer, page 6 (keyset)"] = later

    # accent-insensitive text
    text_times = []
    per_query = {}
    for q in TEXT_QUERIES:
        go(q)
        times = timed(lambda q=q: go(q), 5 * rounds)
        per_query[q] = statistics.median(times)
        text_times += times
    results["text, 20 queries (1-4 words)"] = text_times
    # text and filters together, page 2
    mixed = []
    for g in rng.sample(sample, min(len(sample), 20 * rounds)):
        q = rng.choice(TEXT_QUERIES)
        page = go(q, year=g.issued_date.year)
        if page.next_cursor:
            mixed += timed(
                lambda q=q, g=g, c=page.next_cursor: go(q, year=g.issued_date.year, cursor=c), 1
            )
    results["text + year, page 2"] = mixed
    results["_per_query"] = [per_query]  # type: ignore[list-item]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2, help="scales the number of timed queries")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--pg-url", default=os.environ.get("VANTHU_TEST_PG_URL"))
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["sqlite", "postgres"]
    if "postgres" in kinds and not args.pg_url:
        print("PostgreSQL skipped: set VANTHU_TEST_PG_URL or --pg-url", file=sys.stderr)
        kinds.remove("postgres")
    report = {}
    for kind in kinds:
        print(f"{kind}: {args.docs:,} documents", flush=True)
        with fresh_database(kind, args.pg_url, args.dir) as url:
            db = Database(url)
            try:
                db.migrate()
                t = time.perf_counter()
                sample = load(db, args.docs, args.batch, args.seed)
                print(f"  load total {time.perf_counter() - t:.0f} s", flush=True)
                t = time.perf_counter()
                retrieval.catch_up(db)  # nothing missing: one pass over documents to say so
                print(f"  first catch-up check (nothing to index) {time.perf_counter() - t:.1f} s")
                report[kind] = measure(db, sample, args.seed, args.rounds)
            finally:
                db.dispose()
    print()
    print(f"{args.docs:,} documents; p50 / p99 in ms (count)")
    header = "| query | " + " | ".join(kinds) + " | target p99 |"
    print(header)
    print("|---|" + "---:|" * len(kinds) + "---:|")
    names = [n for n in report[kinds[0]] if not n.startswith("_")]
    for name in names:
        cells = []
        for kind in kinds:
            values = report[kind][name]
            cells.append(
                f"{percentile(values, 0.5):.2f} / {percentile(values, 0.99):.2f} ({len(values)})"
                if values
                else "–"
            )
        target = (
            TARGETS["exact"]
            if name.startswith("exact")
            else TARGETS["text"]
            if name.startswith("text")
            else None
        )
        print(f"| {name} | " + " | ".join(cells) + f" | {f'≤ {target:g}' if target else ''} |")
    print()
    print("median per text query (ms): " + ", ".join(kinds))
    for q in TEXT_QUERIES:
        print(f"  {q!r:<32} " + "  ".join(f"{report[k]['_per_query'][0][q]:8.2f}" for k in kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
