"""SQLite writers queue on a file lock and checkpoint off their path (`store.db.WriterQueue`)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, update

from borderless.store import db

counter = Table(
    "counter", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer)
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "queue.db"


@pytest.fixture
def engine(path: Path) -> Iterator[Engine]:
    engine = db.make_engine(f"sqlite:///{path}")
    counter.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(counter).values(id=1, n=0))
    yield engine
    engine.dispose()


def lock_file(path: Path) -> Path:
    return path.with_name(path.name + "-writer.lock")


def lock_is_free(path: Path) -> bool:
    fd = os.open(lock_file(path), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def add_one(engine: Engine) -> None:
    with engine.begin() as conn:
        n = conn.execute(select(counter.c.n).where(counter.c.id == 1)).scalar_one()
        conn.execute(update(counter).where(counter.c.id == 1).values(n=n + 1))


def count(engine: Engine) -> int:
    with db.reading(engine) as conn:
        return int(conn.execute(select(counter.c.n)).scalar_one())


def test_a_writer_waits_for_the_lock_another_process_holds(engine: Engine, path: Path) -> None:
    other = os.open(lock_file(path), os.O_RDWR)  # its own open file: like another process
    fcntl.flock(other, fcntl.LOCK_EX)
    writer = threading.Thread(target=add_one, args=(engine,))
    writer.start()
    writer.join(timeout=0.3)
    assert writer.is_alive()  # queued behind the other holder
    assert count(engine) == 0  # readers are not held up
    released = time.perf_counter()
    os.close(other)
    writer.join(timeout=5)
    assert not writer.is_alive()
    assert time.perf_counter() - released < 0.5  # woken at once, no busy-handler sleep
    assert count(engine) == 1


def test_the_lock_is_let_go_on_commit_and_on_rollback(engine: Engine, path: Path) -> None:
    add_one(engine)
    assert lock_is_free(path)

    def change_then_fail() -> None:
        with engine.begin() as conn:
            conn.execute(update(counter).values(n=99))
            assert not lock_is_free(path)
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        change_then_fail()
    assert lock_is_free(path)
    assert count(engine) == 1


def test_concurrent_writers_see_each_others_commits(engine: Engine) -> None:
    def work() -> None:
        for _ in range(25):
            add_one(engine)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count(engine) == 150


def in_database_file(path: Path) -> int | None:
    """The counter as the main database file holds it, ignoring the write-ahead log (None
    while the table is not there yet, or while a checkpoint is writing the file: read as
    immutable, a page half-written looks malformed)."""
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
        try:
            return int(conn.execute("SELECT n FROM counter").fetchone()[0])
        except sqlite3.DatabaseError:
            return None


def test_a_large_log_is_copied_back_by_the_checkpoint_thread(
    engine: Engine, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_one(engine)
    assert in_database_file(path) is None  # SQLite's own checkpoint is off: all in the log
    monkeypatch.setattr(db, "CHECKPOINT_BYTES", 0)
    add_one(engine)
    deadline = time.monotonic() + 30  # generous: a loaded CI machine
    while in_database_file(path) != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert in_database_file(path) == 2
