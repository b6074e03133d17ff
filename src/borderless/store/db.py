"""Engine creation and the few dialect differences, kept in one place.

Everything else in the store is portable SQLAlchemy Core; nothing builds SQL from strings.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql import Insert

SQLITE_BUSY_TIMEOUT_S = 30  # how long a writer waits for another before "database is locked"
# The write-ahead log is copied back into the database (a checkpoint, with an fsync) once it is
# this large (SQLite's own default is about 4 MiB; a search writes about 100 KiB to it).
CHECKPOINT_BYTES = 16 * 2**20
CHECKPOINT_RETRY_S = 0.1
SQLITE_MMAP_BYTES = 8 * 2**30  # the most of a database file read through a memory map

log = logging.getLogger("borderless.store")


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs: WAL and foreign keys on SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        writers: WriterQueue | None = None
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            writers = WriterQueue(Path(parsed.database))
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "factory": _SQLiteConnection},
            json_serializer=_json,
            json_deserializer=orjson.loads,
        )
        event.listen(engine, "connect", partial(_sqlite_connect, writers=writers))
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


class WriterQueue:
    """Lets the writers of one SQLite file in one at a time, waking the next at once.

    SQLite admits one writer; one that finds the write lock taken retries from a busy handler
    that sleeps 1, 2, 5, 10, ... up to 100 ms between tries, so under load a waiting writer
    sleeps through many releases (two API workers searching: p99 of seconds, since every search
    writes its audit entry). Writers of this engine first queue here: for a lock among this
    process's threads (given up after the busy timeout, "database is locked", as before), then
    for an exclusive `flock` on a file beside the database, which the kernel hands over the
    moment it is released - also between processes (API workers, the CLI). That second wait has
    no time limit: it lasts as long as another process's write transaction (a long import holds
    searches until it commits, where they used to fail after 30 s), and the lock of a process
    that dies is released with it. BEGIN IMMEDIATE still follows, so SQLite's own lock remains
    what keeps writers apart (from other programs too); a lock released early or late costs
    waiting time, never correctness.

    SQLite's automatic checkpoint runs inside the commit that crosses its threshold, so every
    queued writer would wait for its fsync (30-80 ms here); our connections turn it off, and a
    writer leaving the queue hands a due checkpoint to a `Checkpointer` thread instead.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(f"{database.name}-writer.lock")
        self.wal = database.with_name(f"{database.name}-wal")
        self._threads = threading.Lock()
        self._checkpointer = Checkpointer(database)

    def enter(self) -> int:
        """Wait for our turn; returns the descriptor holding the file lock (for `leave`)."""
        if not self._threads.acquire(timeout=SQLITE_BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
        except BaseException:
            self._threads.release()
            raise
        return fd

    def leave(self, fd: int) -> None:
        os.close(fd)  # closing the descriptor releases its flock
        self._threads.release()
        with contextlib.suppress(FileNotFoundError):
            if self.wal.stat().st_size > CHECKPOINT_BYTES:
                self._checkpointer.request()


class Checkpointer:
    """A thread, started when first needed, that copies the WAL back into the database.

    A passive checkpoint neither waits for nor blocks readers and writers; it copies what no
    reader still needs, and the next writer starts the log afresh once all of it is copied.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self._due = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def request(self) -> None:
        self._due.set()
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoint", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self.database, isolation_level=None)
        with contextlib.closing(connection):
            while True:
                self._due.wait()
                self._due.clear()
                try:
                    _, logged, copied = connection.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                except sqlite3.Error:
                    log.warning("WAL checkpoint failed", exc_info=True)
                    continue
                if copied < logged:  # a reader still needs part of the log: again shortly
                    time.sleep(CHECKPOINT_RETRY_S)
                    self._due.set()


class _SQLiteConnection(sqlite3.Connection):
    """A pysqlite connection that leaves the writer queue when its transaction ends."""

    writers: WriterQueue | None = None
    _turn: int | None = None

    def begin_writing(self) -> None:
        if self.writers is not None and self._turn is None:
            self._turn = self.writers.enter()

    def _leave(self) -> None:
        if self.writers is not None and self._turn is not None:
            turn, self._turn = self._turn, None
            self.writers.leave(turn)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._leave()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._leave()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave()


def _sqlite_connect(dbapi_conn: Any, _record: Any, *, writers: WriterQueue | None) -> None:
    dbapi_conn.writers = writers
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # with WAL: durable when the process crashes; a power cut may lose the last commits, but
    # never corrupts the file (FULL would add an fsync to every search's audit entry)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Read pages through a memory map: a search reads a few hundred random rows, and each
    # page read is otherwise a system call and a copy (1M-person search benchmark: about 15 %
    # less CPU per search). Pages stay the kernel's cache; only what is touched is mapped in.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    if writers is not None:
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # see WriterQueue
        cursor.execute("PRAGMA journal_size_limit=4194304")  # a log started afresh: 4 MiB
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("borderless_read_only", False):
        conn.exec_driver_sql("BEGIN")
        return
    dbapi_conn = conn.connection.dbapi_connection
    assert isinstance(dbapi_conn, _SQLiteConnection)
    dbapi_conn.begin_writing()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        dbapi_conn.rollback()  # nothing began: only leaves the queue
        raise


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
