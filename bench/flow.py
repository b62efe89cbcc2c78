"""Full workflow flows per second over real HTTP, and latency per transition.

One flow = POST /documents (the seed notice) → submit → approve → pass-format → sign → issue →
dispatch → GET the issued .docx, each step as its own demo user, with If-Match and an
Idempotency-Key, exactly as api/flow.py drives it. S `vanthu serve` processes (uvicorn) share
one database; C client threads in this process run flows at once.

Baselines in the same run, same database kind: the same flow through the engine in this
process (no HTTP, one client), and the round trip of GET /health (HTTP with no work).

    .venv/bin/python bench/flow.py [--flows 200] [--servers 2] [--clients 8] [--pg-url URL]

PostgreSQL is used when --pg-url or VANTHU_TEST_PG_URL is set (a scratch database is created
and dropped there). Targets: ≥ 100 flows/s, p99 ≤ 20 ms per transition.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api import flow  # noqa: E402
from api.demo_world import DEMO_PASSWORD  # noqa: E402
from api.server import serve_process  # noqa: E402
from workflow import rendering  # noqa: E402
from workflow.demo import SEED_YAML, load_directory  # noqa: E402
from workflow.dispatching import load_directory as load_receivers  # noqa: E402
from workflow.engine import Engine  # noqa: E402
from workflow.store import Database  # noqa: E402
from workflow.store.scratch import scratch_postgres  # noqa: E402

VANTHU = str(Path(sys.executable).with_name("vanthu"))
STEPS = ("create", *(action for _, action in flow.FULL_FLOW[:-1]), "docx")
USERS = ("drafter", "unit_head", "format_checker", "signer", "clerk")
TARGET_FLOWS, TARGET_P99_MS = 100.0, 20.0


@contextmanager
def servers(url: str, count: int, logs: Path) -> Iterator[list[str]]:
    """`count` vanthu serve processes on one database; their base URLs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env["VANTHU_DATABASE_URL"] = url
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve_process(logs / f"serve-{i}.log", env)) for i in range(count)
        ]


def unique(seed: dict) -> dict:
    """The seed with a paragraph of its own in front, so that no two flows share content (no
    cache keyed on the content can serve one flow from another's work)."""
    tag = f"{_RUN}-{next(_FLOWS)}"  # count's next() is atomic: the client threads share it
    return {**seed, "body": f"Văn bản thử nghiệm số {tag}.\n\n{seed['body']}"}


_RUN, _FLOWS = uuid.uuid4().hex[:8], itertools.count(1)


def one_flow(client: httpx.Client, auth: dict, seed: dict, times: dict[str, list[float]]) -> str:
    start = time.perf_counter()
    doc, etag = flow.create(client, auth["drafter"], unique(seed))
    times["create"].append(time.perf_counter() - start)
    for user, action in flow.FULL_FLOW[:-1]:  # up to dispatch
        r, seconds = flow.act(client, auth[user], doc["id"], action, etag)
        flow.check(r, f"{user} {action}")
        doc, etag = r.json(), r.headers["ETag"]
        times[action].append(seconds)
    start = time.perf_counter()
    flow.download(client, auth["clerk"], doc["id"], "issued")
    times["docx"].append(time.perf_counter() - start)
    return doc["number_symbol"]


def http_run(bases: list[str], flows: int, clients: int, seed: dict) -> dict:
    with httpx.Client(base_url=bases[0], timeout=120) as c:
        auth = flow.logins(c, USERS, DEMO_PASSWORD)
        health = []
        for _ in range(200):
            t = time.perf_counter()
            c.get("/health")
            health.append(time.perf_counter() - t)
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    shares = [flows // clients + (i < flows % clients) for i in range(clients)]
    pids = serve_pids()

    def client_run(i: int) -> list[str]:
        mine: dict[str, list[float]] = defaultdict(list)
        numbers = []
        with httpx.Client(base_url=bases[i % len(bases)], timeout=120) as c:
            numbers.append(one_flow(c, auth, seed, defaultdict(list)))  # warm up
            barrier.wait()
            for _ in range(shares[i]):
                numbers.append(one_flow(c, auth, seed, mine))
        with lock:
            for k, v in mine.items():
                times[k].extend(v)
        return numbers

    barrier = threading.Barrier(clients + 1)
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(client_run, i) for i in range(clients)]
        barrier.wait()
        start, cpu, mine = time.perf_counter(), cpu_seconds(pids), time.process_time()
        numbers = [n for f in futures for n in f.result()]
        wall = time.perf_counter() - start
        server_cpu, client_cpu = cpu_seconds(pids) - cpu, time.process_time() - mine
    return {
        "wall": wall,
        "times": times,
        "numbers": numbers,
        "health": health,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
    }


def serve_pids() -> list[int]:
    """The vanthu serve processes this one started (from Linux's /proc; [] elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat, cmd = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"serve" in cmd:
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes used so far."""
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def engine_baseline(url: str, flows: int, seed: dict) -> tuple[float, float]:
    """Flows per second through the engine in this process (no HTTP, one client), and the
    CPU seconds per flow."""
    db = Database(url)
    engine = Engine(db, renderer=rendering)
    users = {u.username: u.actor for u in load_directory(engine).values()}
    steps = [(u, a) for u, a in flow.FULL_FLOW[:-1]]
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(flows):
        doc = engine.create(users["drafter"], unique(seed), signer="signer")
        for user, action in steps:
            if action == "dispatch":
                from workflow.dispatching import dispatch

                doc = dispatch(engine, users[user], doc.id).document
            else:
                doc = engine.act(users[user], doc.id, action)
        with db.uow(write=False) as uow:
            uow.files.latest(doc.id, "issued")
    rate, cpu = flows / (time.perf_counter() - start), (time.process_time() - cpu) / flows
    db.dispose()
    return rate, cpu


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


@contextmanager
def database(kind: str, pg_url: str | None, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    assert pg_url is not None
    with scratch_postgres(pg_url, "api_bench") as url:
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--baseline-flows", type=int, default=30)
    parser.add_argument("--pg-url", default=os.environ.get("VANTHU_TEST_PG_URL"))
    args = parser.parse_args()
    seed = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    kinds = ["sqlite"] + (["postgres"] if args.pg_url else [])
    print(
        f"flow = create → submit → approve → pass-format → sign → issue → dispatch → GET .docx;"
        f" {args.flows} flows, {args.servers} vanthu serve processes, {args.clients} clients,"
        f" {os.cpu_count()} CPUs"
    )
    for kind in kinds:
        load_before = os.getloadavg()[0]  # other work on the machine skews every figure
        with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
            url = stack.enter_context(database(kind, args.pg_url, Path(tmp)))
            load = [VANTHU, "load-demo", "--database", url]
            subprocess.run(load, check=True, capture_output=True)
            base_db = Database(url)
            load_receivers(base_db)
            base_db.dispose()
            baseline, engine_cpu = engine_baseline(url, args.baseline_flows, seed)
            bases = stack.enter_context(servers(url, args.servers, Path(tmp)))
            run = http_run(bases, args.flows, args.clients, seed)
        rate = args.flows / run["wall"]
        numbers = run["numbers"]
        print(
            f"\n{kind} (load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}):"
            f" {rate:.1f} flows/s over HTTP (target ≥ {TARGET_FLOWS:.0f});"
            f" engine in process, 1 client: {baseline:.1f} flows/s;"
            f" GET /health p50 {pct(run['health'], 0.5):.2f} ms"
        )
        print(
            f"  CPU per flow: engine in process {engine_cpu * 1000:.1f} ms;"
            f" over HTTP, the servers {run['server_cpu'] / args.flows * 1000:.1f} ms"
            f" and the clients (this process) {run['client_cpu'] / args.flows * 1000:.1f} ms"
        )
        # The baseline flows took the first numbers; the HTTP flows (warm-ups included) follow.
        got = sorted(int(n.split("/")[0]) for n in numbers)
        first = args.baseline_flows + 1
        gap_free = got == list(range(first, first + len(got)))
        print(
            f"  {len(got)} documents numbered over HTTP (warm-ups included):"
            f" {first}..{first + len(got) - 1}, no gap, no duplicate: {'yes' if gap_free else 'NO'}"
        )
        print(f"  {'step':<14}{'p50 ms':>9}{'p99 ms':>9}  p99 ≤ {TARGET_P99_MS:.0f} ms")
        for step in STEPS:
            values = run["times"][step]
            p99 = pct(values, 0.99)
            verdict = "yes" if p99 <= TARGET_P99_MS else "no"
            print(f"  {step:<14}{pct(values, 0.5):>9.1f}{p99:>9.1f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
