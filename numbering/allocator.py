"""Gap-free numbers inside the caller's transaction: counter row lock, ledger, no-gap report.

`take` runs `UPDATE counters SET last_number = last_number + 1 … RETURNING last_number`: the row
lock it takes (PostgreSQL) or the database write lock already held (SQLite, BEGIN IMMEDIATE)
serialises every issue in a series until the caller commits; a rollback gives the number back.
No sequences (they leave gaps), no MAX()+1 (it races). Plain values in and out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

# Lightweight views of the tables workflow/store/ defines (numbering imports nothing from workflow).
_series = sa.table(
    "series", sa.column("id"), sa.column("issuer_code"), sa.column("register"), sa.column("name")
)
_counters = sa.table(
    "counters", sa.column("series_id"), sa.column("year"), sa.column("last_number")
)
_ledger = sa.table(
    "number_ledger",
    sa.column("series_id"),
    sa.column("year"),
    sa.column("number"),
    sa.column("document_id"),
    sa.column("symbol"),
    sa.column("status"),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("reason"),
)

ISSUED = "issued"
RECALLED = "recalled"


def _insert(conn: sa.Connection, table: sa.TableClause) -> sa.Insert:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)  # type: ignore[no-any-return]


def series_id(conn: sa.Connection, issuer_code: str, register: str) -> int:
    """The id of series (issuer, register), created on first use (safe under concurrency)."""
    query = sa.select(_series.c.id).where(
        _series.c.issuer_code == issuer_code, _series.c.register == register
    )
    found = conn.execute(query).scalar()
    if found is None:
        insert = _insert(conn, _series).values(
            issuer_code=issuer_code, register=register, name=f"{issuer_code}/{register}"
        )
        conn.execute(insert.on_conflict_do_nothing(index_elements=["issuer_code", "register"]))
        found = conn.execute(query).scalar_one()
    return int(found)


_BUMP = (
    sa.update(_counters)
    .where(_counters.c.series_id == sa.bindparam("s"), _counters.c.year == sa.bindparam("y"))
    .values(last_number=_counters.c.last_number + sa.literal_column("1"))
    .returning(_counters.c.last_number)
)
_RECORD = sa.insert(_ledger)


def take(conn: sa.Connection, series: int, year: int) -> int:
    """The next number of (series, year); the counter row stays locked until commit/rollback."""
    key = {"s": series, "y": year}
    number = conn.execute(_BUMP, key).scalar()
    if number is None:  # first issue of the year in this series
        first = _insert(conn, _counters).values(series_id=series, year=year, last_number=0)
        conn.execute(first.on_conflict_do_nothing(index_elements=["series_id", "year"]))
        number = conn.execute(_BUMP, key).scalar_one()
    return int(number)


@cache
def _take_sql(dialect_class: type[sa.Dialect]) -> tuple[str, str, bool]:
    """take()'s two statements compiled once per dialect: (bump, first row, positional?)."""
    dialect = dialect_class()
    module = postgresql if dialect.name == "postgresql" else sqlite
    first = module.insert(_counters).values(
        series_id=sa.bindparam("s"), year=sa.bindparam("y"), last_number=sa.literal_column("0")
    )
    first = first.on_conflict_do_nothing(index_elements=["series_id", "year"])
    bump = _BUMP.compile(dialect=dialect)
    insert = first.compile(dialect=dialect)
    assert bump.positiontup in (None, ["s", "y"]) and insert.positiontup in (None, ["s", "y"])
    return bump.string, insert.string, bump.positiontup is not None


def take_dbapi(dbapi_connection: Any, dialect: sa.Dialect, series: int, year: int) -> int:
    """take() on the DBAPI connection of the caller's open transaction: the same statements,
    without SQLAlchemy's per-execution work (this runs while every other issuer waits)."""
    bump, first, positional = _take_sql(type(dialect))
    key: Any = (series, year) if positional else {"s": series, "y": year}
    error = dialect.loaded_dbapi.Error
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(bump, key)
        row = cursor.fetchone()
        if row is None:  # first issue of the year in this series
            cursor.execute(first, key)
            cursor.execute(bump, key)
            row = cursor.fetchone()
        return int(row[0])
    except error as exc:  # as Connection.execute would raise it
        raise sa.exc.DBAPIError.instance(bump, None, exc, error) from exc
    finally:
        cursor.close()


def record(
    conn: sa.Connection,
    *,
    series: int,
    year: int,
    number: int,
    document_id: int,
    symbol: str,
    at: datetime,
) -> None:
    """The ledger row for a number just issued; UNIQUE(series, year, number) backs it."""
    row = {
        "series_id": series,
        "year": year,
        "number": number,
        "document_id": document_id,
        "symbol": symbol,
        "status": ISSUED,
        "at": at,
    }
    conn.execute(_RECORD, row)


def recall(conn: sa.Connection, *, document_id: int, reason: str) -> None:
    """Mark a number recalled: it stays used and is never given again."""
    done = conn.execute(
        sa.update(_ledger)
        .where(_ledger.c.document_id == document_id, _ledger.c.status == ISSUED)
        .values(status=RECALLED, reason=reason)
    )
    if done.rowcount != 1:
        raise LookupError(f"document {document_id} has no issued number in the ledger to recall")


@dataclass
class SeriesYear:
    """The no-gap report of one register in one year."""

    series: str  # "ISSUER/REGISTER"
    year: int
    last_number: int
    issued: int = 0
    recalled: int = 0
    gaps: list[tuple[int, int]] = field(default_factory=list)  # inclusive ranges missing
    beyond_counter: list[int] = field(default_factory=list)  # ledger numbers above the counter

    @property
    def ok(self) -> bool:
        return not self.gaps and not self.beyond_counter


def _gaps(numbers: Iterable[int], last: int) -> Iterator[tuple[int, int]]:
    expected = 1
    for n in numbers:
        if n > expected:
            yield (expected, min(n - 1, last))
        expected = max(expected, n + 1)
    if expected <= last:
        yield (expected, last)


def report(
    conn: sa.Connection, *, year: int | None = None, series: str | None = None
) -> list[SeriesYear]:
    """Per register and year: issued, recalled, and every gap (an error) up to the counter."""
    keys = sa.select(
        _counters.c.series_id,
        _counters.c.year,
        _counters.c.last_number,
        _series.c.issuer_code,
        _series.c.register,
    ).join_from(_counters, _series, _series.c.id == _counters.c.series_id)
    if year is not None:
        keys = keys.where(_counters.c.year == year)
    if series is not None:
        issuer, _, register = series.partition("/")
        keys = keys.where(_series.c.issuer_code == issuer, _series.c.register == register)
    out = []
    for sid, yr, last, issuer_code, register in conn.execute(
        keys.order_by(_series.c.issuer_code, _series.c.register, _counters.c.year)
    ):
        row = SeriesYear(f"{issuer_code}/{register}", yr, last)
        numbers = []
        ledger = (
            sa.select(_ledger.c.number, _ledger.c.status)
            .where(_ledger.c.series_id == sid, _ledger.c.year == yr)
            .order_by(_ledger.c.number)
        )
        for number, status in conn.execute(ledger):
            numbers.append(number)
            if status == RECALLED:
                row.recalled += 1
            else:
                row.issued += 1
            if number > last:
                row.beyond_counter.append(number)
        row.gaps = list(_gaps(numbers, last))
        out.append(row)
    return out


@dataclass(frozen=True)
class LedgerRow:
    series_id: int
    year: int
    number: int
    document_id: int
    symbol: str
    status: str


def ledger(conn: sa.Connection) -> Iterator[LedgerRow]:
    """Every ledger row, in (series, year, number) order."""
    query = sa.select(
        _ledger.c.series_id,
        _ledger.c.year,
        _ledger.c.number,
        _ledger.c.document_id,
        _ledger.c.symbol,
        _ledger.c.status,
    ).order_by(_ledger.c.series_id, _ledger.c.year, _ledger.c.number)
    for row in conn.execute(query):
        yield LedgerRow(*row)
