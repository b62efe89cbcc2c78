"""Alembic to head, programmatically: the same migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from workflow.store.database import database_url, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(url: str | None = None, *, engine: sa.Engine | None = None) -> None:
    """Bring the database at `url` (default: VANTHU_DATABASE_URL) to the newest schema."""
    own = engine is None
    engine = engine or make_engine(database_url(url))
    try:
        config = alembic_config()
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
    finally:
        if own:
            engine.dispose()
