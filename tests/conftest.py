"""Shared fixtures: a node on every backend, a controllable clock, agencies and users.

Every test that takes `node` runs once on SQLite and once on PostgreSQL. PostgreSQL is found
at BORDERLESS_TEST_PG_URL (default: postgres@127.0.0.1:5432, as on CI). When it cannot be
reached the PostgreSQL runs are skipped — except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from borderless.config import Settings, shared_data_dir
from borderless.domain.agencies import Agency, Principal, User
from borderless.domain.codes import AgencyKind, Role
from borderless.services import directory
from borderless.services.node import OPERATOR, Node
from borderless.store import migrate
from borderless.store.catalog import metadata
from borderless.store.db import make_engine

PG_URL = os.environ.get(
    "BORDERLESS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = bool(os.environ.get("CI"))
AUDIT_KEY = b"test-audit-key"


def shared_data() -> Path:
    """../shared/data (or BORDERLESS_SHARED_DATA); fails in CI when missing, skips elsewhere."""
    path = shared_data_dir()
    if not path.is_dir():
        message = f"real data folder {path} is missing"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path.resolve()


@dataclass
class Clock:
    """A settable clock so tests can move past retention dates and deadlines."""

    current: datetime = field(default_factory=lambda: datetime(2026, 6, 1, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, days: int) -> None:
        self.current += timedelta(days=days)


def _pg_admin_engine() -> Engine | None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return engine
    except OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable in CI: {exc}")
        return None


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A fresh, migrated PostgreSQL database for this test session (dropped afterwards)."""
    admin = _pg_admin_engine()
    if admin is None:
        yield None
        return
    name = f"borderless_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _truncate(engine: Engine) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "node.db"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("pg_url")
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    engine = make_engine(url)
    _truncate(engine)
    engine.dispose()
    yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def node(database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Node]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, log_json=False)
    engine = make_engine(database_url)
    yield Node(settings=settings, engine=engine, audit_key=AUDIT_KEY, now=clock)
    engine.dispose()


AGENCIES = (
    Agency(code="HUB", name="Shared lists hub", country="FRA", kind=AgencyKind.HUB),
    Agency(code="NLD-POL", name="Dutch National Police", country="NLD", kind=AgencyKind.POLICE),
    Agency(code="NLD-FIU", name="FIU Netherlands", country="NLD", kind=AgencyKind.FIU),
    Agency(code="DEU-BKA", name="Bundeskriminalamt", country="DEU", kind=AgencyKind.POLICE),
    Agency(code="TUR-EGM", name="Turkish National Police", country="TUR", kind=AgencyKind.POLICE),
)


@dataclass
class People:
    """One principal per (agency, role) in `AGENCIES`, e.g. people["NLD-POL", Role.ANALYST]."""

    node: Node
    by_key: dict[tuple[str, Role], Principal] = field(default_factory=dict)

    def __getitem__(self, key: tuple[str, Role]) -> Principal:
        return self.by_key[key]


@pytest.fixture
def people(node: Node) -> People:
    found = People(node)
    for agency in AGENCIES:
        directory.create_agency(node, OPERATOR, agency)
        for role in Role:
            name = f"{role.value}.{agency.code.lower()}"
            directory.create_user(
                node, OPERATOR, User(username=name, agency=agency.code, role=role)
            )
            found.by_key[agency.code, role] = directory.principal_by_name(node, name)
    return found
