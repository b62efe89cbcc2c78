"""`vanthu` — the command line. Each subcommand lives in its own module in api/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys

from workflow.errors import VanthuError

# Modules in api/commands/, each with register(subparsers) setting `run` on its parser.
COMMANDS: tuple[str, ...] = (
    "schema",
    "check",
    "render",
    "verify",
    "numbers",
    "register",
    "deliveries",
    "directory",
    "serve",
    "load_demo",
    "demo",
    "search",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanthu",
        description="Document-workflow engine for Vietnamese official documents (NĐ 30/2020).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"api.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except VanthuError as exc:
        print(f"vanthu {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
