"""Server settings from the environment: which database, demo mode, token lifetime, mail.

No VANTHU_DATABASE_URL means demo mode: an SQLite file in the user's data directory
($VANTHU_HOME, else $XDG_DATA_HOME/vanthu, else ~/.local/share/vanthu), migrated and loaded
with the demo directory and accounts on first start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from workflow.mail import SmtpSettings
from workflow.store import URL_VAR

DEMO_FILE = "demo.sqlite3"


def data_home(env: Mapping[str, str] | None = None) -> Path:
    """Where demo data lives: $VANTHU_HOME, $XDG_DATA_HOME/vanthu or ~/.local/share/vanthu."""
    env = os.environ if env is None else env
    if env.get("VANTHU_HOME"):
        return Path(env["VANTHU_HOME"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "vanthu"


def _int(env: Mapping[str, str], name: str, default: int, low: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < low:
        raise ValueError(f"{name} must be a whole number ≥ {low}, got {text!r}")
    return int(text)


@dataclass(frozen=True)
class Settings:
    """Everything a server process needs to know before it starts."""

    database_url: str
    demo: bool = False
    secret: str | None = field(default=None, repr=False)  # VANTHU_SECRET; else kept in the db
    token_minutes: int = 60
    idempotency_hours: int = 24  # a retry later than this is a new request
    idempotency_abandon_seconds: int = 120  # a key in progress this long: its server died
    smtp: SmtpSettings | None = field(default=None, repr=False)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, database_url: str | None = None
    ) -> Settings:
        env = os.environ if env is None else env
        url = database_url or env.get(URL_VAR)
        demo = not url
        if not url:
            url = f"sqlite:///{data_home(env) / DEMO_FILE}"
        return cls(
            database_url=url,
            demo=demo,
            secret=env.get("VANTHU_SECRET") or None,
            token_minutes=_int(env, "VANTHU_TOKEN_MINUTES", 60, 1),
            smtp=SmtpSettings.from_env(env) if env.get("VANTHU_SMTP_HOST") else None,
        )
