"""`vanthu search QUERY [filters]`: issued documents as the archive finds them; `--reindex`
rebuilds what is missing or stale in the search index."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "search",
        help="find issued documents by number/symbol, filters and words (accents optional)",
    )
    parser.add_argument(
        "query", nargs="*", help="words and/or '07/TB-BGDĐT', 'so 7 tb-bgddt', 'ket luan hoi nghi'"
    )
    parser.add_argument("--year", type=int, help="issued in this year")
    parser.add_argument("--type", dest="doc_type", help="document type: TB, QĐ, cong_van …")
    parser.add_argument("--issuer", help="issuer code: BGDĐT (or BGDDT)")
    parser.add_argument("--signer", help="words of the signer's name: 'tran quang nam'")
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--recipient", help="words of a recipient: 'so giao duc'")
    parser.add_argument("--case-file", type=int, help="case file id")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--cursor", help="next_cursor of the previous page")
    parser.add_argument("--json", action="store_true", help="the page as JSON")
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="index every issued document missing from the index or changed since, then search"
        " (if a query is given)",
    )
    parser.add_argument(
        "--database", help="database URL (default: $VANTHU_DATABASE_URL or ./var/vanthu.sqlite3)"
    )
    parser.set_defaults(run=run)


def _marked(text: str, spans: Any) -> str:
    """The text with matched words between [ and ] for a terminal."""
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], "[", text[start:end], "]"]
        at = end
    return "".join([*out, text[at:]])


def run(args: argparse.Namespace) -> int:
    from workflow import retrieval
    from workflow.search import QueryError, parse
    from workflow.store import Database
    from workflow.users import Actor

    text = " ".join(args.query)
    try:
        query = parse(
            text,
            year=args.year,
            doc_type=args.doc_type,
            issuer=args.issuer,
            signer=args.signer,
            date_from=args.date_from,
            date_to=args.date_to,
            recipient=args.recipient,
            case_file=args.case_file,
            limit=args.limit,
            cursor=args.cursor,
        )
    except QueryError as exc:
        print(f"vanthu search: --{exc.field.replace('_', '-')}: {exc.message}", file=sys.stderr)
        return 2
    db = Database(args.database)
    try:
        if args.reindex:
            count = retrieval.catch_up(db, full=True)
            print(f"vanthu search: indexed {count} document(s)", file=sys.stderr)
            if not text and not _filtered(args):
                return 0
        # Whoever runs the command reads the database directly: the archive's reading role.
        page = retrieval.search(db, Actor("vanthu-cli", frozenset({"archivist"})), query)
    finally:
        db.dispose()
    if args.json:
        hits = [{**h.__dict__, "issued_date": h.issued_date.isoformat()} for h in page.hits]
        json.dump({"items": hits, "next_cursor": page.next_cursor}, sys.stdout, ensure_ascii=False)
        print()
        return 0
    for h in page.hits:
        print(
            f"{h.number_symbol:<22} {h.issued_date:%d/%m/%Y}  {h.state:<10} #{h.id:<8}"
            f" {_marked(h.subject, h.subject_highlights)}"
        )
    if not page.hits:
        print("no issued document matches", file=sys.stderr)
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}", file=sys.stderr)
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    names = ("year", "doc_type", "issuer", "signer", "date_from", "date_to", "recipient")
    return any(getattr(args, n) is not None for n in names) or args.case_file is not None
