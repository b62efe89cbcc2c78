"""`vanthu deliveries DOC_ID`: list a document's deliveries, or set one's status."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "deliveries", help="list a document's deliveries, or --set ID STATUS"
    )
    parser.add_argument("document", type=int, help="document id")
    parser.add_argument(
        "--set",
        nargs=2,
        metavar=("ID", "STATUS"),
        help="set delivery ID to queued, sent, received, failed or returned",
    )
    parser.add_argument("--error", help="what went wrong (needed with failed)")
    parser.add_argument("--as", dest="user", help="username acting (a clerk or admin); with --set")
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workflow.deliveries import Status
    from workflow.dispatching import deliveries, set_delivery_status
    from workflow.errors import NotFound
    from workflow.store import Database

    db = Database(args.database)
    try:
        if args.set:
            if not args.user:
                raise NotFound("--set needs --as USERNAME (a clerk or admin)")
            with db.uow(write=False) as uow:
                user = uow.directory.user(args.user)
            if user is None:
                raise NotFound(f"no user {args.user!r}")
            delivery_id, status = args.set
            set_delivery_status(
                db,
                user.actor,
                int(delivery_id),
                status,
                document_id=args.document,
                error=args.error,
            )
        rows = deliveries(db, args.document)
    finally:
        db.dispose()
    print(f"{'id':>6}  {'channel':<8} {'status':<8} {'receiver':<50} address / error")
    for d in rows:
        detail = d.error if d.error else (d.address or "")
        print(f"{d.id:>6}  {d.channel:<8} {d.status:<8} {d.target_name[:50]:<50} {detail}")
    counts = {s: sum(d.status is s for d in rows) for s in Status}  # in lifecycle order
    print(f"{len(rows)} deliveries: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return 0
