"""Engine creation and the few dialect differences, kept in one place.

Everything else in the store is portable SQLAlchemy Core; nothing builds SQL from strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql import Insert


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs: WAL and foreign keys on SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30}, json_serializer=_json, json_deserializer=orjson.loads
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take it over so that a writing
        # transaction takes the write lock up front (the audit chain reads its head, then
        # appends), while `reading()` connections stay deferred and never block writers.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(
        parsed, pool_pre_ping=True, json_serializer=_json, json_deserializer=orjson.loads
    )


def _json(value: Any) -> str:
    """JSON columns are written on every record insert: orjson is several times faster."""
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    read_only = conn.get_execution_options().get("borderless_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def is_postgres(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "postgresql"


def insert_ignore(conn: Connection, table: Table) -> Insert:
    """INSERT that skips rows whose primary key exists (ON CONFLICT DO NOTHING on both)."""
    if is_postgres(conn):
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads only: one consistent snapshot that does not block writers."""
    with engine.connect() as conn:
        conn.execution_options(borderless_read_only=True)
        yield conn
