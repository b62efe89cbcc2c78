"""`vanthu render DOC.yaml -o OUT.docx [--draft | --number N --date YYYY-MM-DD]`.

Renders document content to the regulated .docx: a draft (number, day and month blank) by
default, or the issued form with its number and date. Content errors are printed one per line,
field and rule, with exit status 2; the output file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a document number starts at 1, got {value}")
    return value


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "render",
        help="render document content (YAML/JSON) to a Decree 30 .docx",
        description="Render document content to the .docx of Decree 30 (Phụ lục I and III)."
        " Draft by default: number and date left blank for the records clerk.",
    )
    parser.add_argument("content", metavar="DOC.yaml", help="document content, .yaml or .json")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.docx", help="file to write")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--draft", action="store_true", help="leave number, day and month blank (default)"
    )
    mode.add_argument("--number", type=_number, metavar="N", help="issued number (with --date)")
    parser.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="issue date (with --number)"
    )
    parser.set_defaults(run=run, parser=parser)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    import yaml
    from pydantic import ValidationError

    from workflow.content import read
    from workflow.errors import InvalidContent
    from workflow.rendering import render

    if (args.number is None) != (args.date is None):
        args.parser.error("--number and --date go together (or neither, for a draft)")
    try:
        content = read(args.content)
        data = render(content, args.number, args.date)
    except (ValidationError, InvalidContent) as exc:
        problems = (
            InvalidContent.from_pydantic(exc) if isinstance(exc, ValidationError) else exc
        ).problems
        print(f"vanthu render: {args.content}: the content breaks these rules:", file=sys.stderr)
        for field, message in problems:
            print(f"  {field or '(document)'}: {message}", file=sys.stderr)
        return 2
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"vanthu render: {args.content}: {exc}", file=sys.stderr)
        return 2
    output = Path(args.output)
    if not output.parent.is_dir():
        print(f"vanthu render: no such directory: {output.parent}", file=sys.stderr)
        return 2
    write_atomically(output, data)
    mode = "draft" if args.number is None else f"issued as number {args.number} of {args.date}"
    print(f"{output}: {content.type.name.lower()} {content.symbol}, {mode}")
    return 0
