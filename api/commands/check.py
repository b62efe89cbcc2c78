"""`vanthu check FILE.docx [--json] [--draft]`: report every breach of Decree 30's format.

Exit status 0 when the file conforms, 1 when it has violations, 2 when it cannot be read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check",
        help="check a .docx against the format of Decree 30 (Phụ lục I)",
        description="Check a .docx — vanthu's or anyone's — against Decree 30's format. Exit"
        " status: 0 conforming, 1 violations found, 2 unreadable file.",
    )
    parser.add_argument("file", metavar="FILE.docx", help="the Word document to check")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--draft",
        action="store_true",
        help="accept a blank number and a blank day and month (a draft before issue)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workflow.rendering.checker import check

    violations = check(args.file, draft=args.draft)
    if args.json:
        print(
            json.dumps(
                {
                    "file": args.file,
                    "ok": not violations,
                    "violations": [v.as_dict() for v in violations],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for v in violations:
            print(f"{v.rule}  {v.where}  {v.message}")
        mode = " (draft)" if args.draft else ""
        if violations:
            rules = len({v.rule for v in violations})
            noun = "violation" if len(violations) == 1 else "violations"
            print(f"{args.file}{mode}: {len(violations)} {noun} of {rules} rule(s)")
        else:
            print(f"{args.file}{mode}: conforms to Decree 30's format (no violations)")
    return 1 if violations else 0
