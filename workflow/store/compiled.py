"""SQLAlchemy statements compiled once per dialect and run on the connection's DBAPI cursor.

For the few statements on issue's hot path, SQLAlchemy's per-execution work (cache lookup,
parameter processing, result set-up: about 0.1 ms a statement) costs more than SQLite takes to
run them. The statement is still built with SQLAlchemy and bound values still go through the
column types' own bind processors, so the stored values are exactly what SQLAlchemy stores.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler


class Compiled:
    """One statement for one dialect: SQL text, parameter order and bind processors.

    `binary` names bytes parameters psycopg sends in binary format (%b): a 73 KB file then goes
    as is, where the text format would escape it.
    """

    def __init__(
        self, statement: sa.ClauseElement, dialect: sa.Dialect, *, binary: Collection[str] = ()
    ) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        sql = compiled.string
        for name in binary:
            if dialect.paramstyle == "pyformat":
                sql = sql.replace(f"%({name})s", f"%({name})b")
        self.sql = sql
        self.dbapi_error: type[Exception] = dialect.loaded_dbapi.Error
        self.defaults = {n: b.effective_value for n, b in compiled.binds.items() if not b.required}
        self.processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor
        self.positions: Sequence[str] | None = compiled.positiontup
        # Result columns in order, with their types' result processors (None: value as is).
        self.results: list[Callable[[Any], Any] | None] = []
        for column in getattr(statement, "selected_columns", ()):
            self.results.append(column.type.dialect_impl(dialect).result_processor(dialect, None))

    def params(self, values: Mapping[str, Any]) -> Any:
        """The DBAPI parameters for `values`: a tuple (qmark) or a dict (pyformat)."""
        merged = {**self.defaults, **values}
        for name, processor in self.processors.items():
            merged[name] = processor(merged[name])
        if self.positions is not None:
            return tuple(merged[name] for name in self.positions)
        return merged

    def execute(self, cursor: Any, values: Mapping[str, Any]) -> None:
        """Run on `cursor`; DBAPI errors become SQLAlchemy's (IntegrityError …), as through
        Connection.execute."""
        try:
            cursor.execute(self.sql, self.params(values))
        except self.dbapi_error as exc:
            raise translated(exc, self.sql, self.dbapi_error) from exc

    def row(self, raw: Sequence[Any]) -> list[Any]:
        """A fetched row with the result processors applied."""
        return [
            v if p is None or v is None else p(v) for p, v in zip(self.results, raw, strict=True)
        ]


def translated(exc: Exception, sql: str, base: type[Exception]) -> sa.exc.DBAPIError:
    """The SQLAlchemy exception Connection.execute would have raised for `exc`."""
    return sa.exc.DBAPIError.instance(sql, None, exc, base)


def dbapi(conn: sa.Connection) -> Any:
    """The DBAPI connection under `conn` (its transaction, if one is open)."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    return raw
