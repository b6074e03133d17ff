"""A running node: settings, database, audit key and clock, wired once and passed around."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import Engine

from borderless.config import Settings
from borderless.domain.agencies import Principal
from borderless.domain.codes import AgencyKind, Role
from borderless.governance.gate import RecordGate
from borderless.services.vectors import TemplateIndex
from borderless.store import migrate
from borderless.store.db import make_engine


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Node:
    settings: Settings
    engine: Engine
    audit_key: bytes
    now: Callable[[], datetime] = field(default=utc_now)
    vectors: TemplateIndex = field(default_factory=TemplateIndex)

    def today(self) -> date:
        return self.now().date()

    @cached_property
    def gate(self) -> RecordGate:
        return RecordGate(self.engine, self.audit_key, self.today)


def open_node(settings: Settings, *, upgrade: bool = True) -> Node:
    """Connect to the configured database, migrating it to the current schema first."""
    engine = make_engine(settings.database)
    if upgrade:
        migrate.upgrade(engine)
    return Node(settings=settings, engine=engine, audit_key=settings.audit_secret())


# The local operator: whoever runs the CLI on the node's own machine (admin tasks, imports on
# behalf of an agency). It is audited under this name like any user.
OPERATOR = Principal(
    username="operator",
    agency="NODE",
    country="XXX",
    role=Role.ADMIN,
    agency_kind=AgencyKind.HUB,
    operator=True,
)


def acting_for(agency_code: str, country: str, kind: AgencyKind) -> Principal:
    """The operator acting as an agency's data manager (imports into that agency's records)."""
    return Principal(
        username="operator",
        agency=agency_code,
        country=country,
        role=Role.ADMIN,
        agency_kind=kind,
        operator=True,
    )
