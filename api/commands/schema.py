"""`vanthu schema`: the JSON Schema of document content (what fixtures and POST /documents take)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "schema", help="print the JSON Schema of document content"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workflow.content import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0
