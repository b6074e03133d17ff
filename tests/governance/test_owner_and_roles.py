"""Owner-only changes, role limits, tokens and purposes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, Purpose, Role
from borderless.errors import (
    AuthenticationError,
    Conflict,
    NotFound,
    PermissionDenied,
    PurposeRequired,
)
from borderless.services import directory, records
from borderless.services.node import Node
from borderless.store.records import RecordFilter
from borderless.store.schema import tokens
from tests.conftest import People
from tests.helpers import create_person, person


def test_only_owner_changes_or_removes(node: Node, people: People) -> None:
    owner = people["NLD-POL", Role.ANALYST]
    other = people["DEU-BKA", Role.ANALYST]
    same_country = people["NLD-FIU", Role.SUPERVISOR]
    record = create_person(node, owner)
    for intruder in (other, same_country):
        with pytest.raises(PermissionDenied, match="owner"):
            records.update(node, intruder, Purpose.DATA_MANAGEMENT, record.id, person("Changed"))
        with pytest.raises(PermissionDenied, match="owner"):
            records.delete(node, intruder, Purpose.DATA_MANAGEMENT, record.id)
    unchanged = node.gate.get(owner, Purpose.IDENTIFY, record.id)
    assert unchanged.label == "Ahmad Karimi"
    assert unchanged.version == 1
    changed = records.update(node, owner, Purpose.DATA_MANAGEMENT, record.id, person("A. Karimi"))
    assert changed.version == 2
    records.delete(node, owner, Purpose.DATA_MANAGEMENT, record.id)
    with pytest.raises(NotFound):
        node.gate.get(owner, Purpose.IDENTIFY, record.id)


def test_stale_version_is_refused(node: Node, people: People) -> None:
    owner = people["NLD-POL", Role.ANALYST]
    record = create_person(node, owner)
    records.update(node, owner, Purpose.DATA_MANAGEMENT, record.id, person("B"), expected_version=1)
    with pytest.raises(Conflict, match="version 2"):
        records.update(
            node, owner, Purpose.DATA_MANAGEMENT, record.id, person("C"), expected_version=1
        )


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.ADMIN])
def test_roles_without_write(node: Node, people: People, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        create_person(node, people["NLD-POL", role])


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_roles_without_read(node: Node, people: People, role: Role) -> None:
    record = create_person(node, people["NLD-POL", Role.ANALYST])
    with pytest.raises(PermissionDenied):
        node.gate.get(people["NLD-POL", role], Purpose.IDENTIFY, record.id)
    with pytest.raises(PermissionDenied):
        node.gate.list(people["DEU-BKA", role], Purpose.IDENTIFY, RecordFilter())


def test_purpose_required_everywhere(node: Node, people: People) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    record = create_person(node, analyst)
    for call in (
        lambda: node.gate.get(analyst, None, record.id),
        lambda: node.gate.list(analyst, None, RecordFilter()),
        lambda: node.gate.search(analyst, None, RecordFilter(text="ahm")),
        lambda: list(node.gate.export(analyst, None, RecordFilter())),
        lambda: records.create(node, analyst, None, person()),
        lambda: records.update(node, analyst, None, record.id, person()),
        lambda: records.delete(node, analyst, None, record.id),
    ):
        with pytest.raises(PurposeRequired):
            call()


def test_purpose_limited_record(node: Node, people: People) -> None:
    record = create_person(node, people["NLD-POL", Role.ANALYST], purposes=["counter_terrorism"])
    reader = people["DEU-BKA", Role.OFFICER]
    assert node.gate.get(reader, Purpose.COUNTER_TERRORISM, record.id).access == "full"
    other = node.gate.get(reader, Purpose.BORDER_CONTROL, record.id)
    assert other.access == "reference"
    assert other.body is None


def test_tokens_hashed_revocable_and_tied_to_active_users(node: Node, people: People) -> None:
    hub_admin = people["HUB", Role.ADMIN]
    secret = directory.issue_token(node, hub_admin, "analyst.nld-pol")
    assert directory.authenticate(node, secret).username == "analyst.nld-pol"
    with node.engine.connect() as conn:
        stored = [row.token_hash for row in conn.execute(select(tokens))]
    assert secret not in stored
    assert directory.hash_token(secret) in stored
    token_id = secret.split("_")[1]
    directory.set_user_active(node, hub_admin, "analyst.nld-pol", False)
    with pytest.raises(AuthenticationError):
        directory.authenticate(node, secret)
    directory.set_user_active(node, hub_admin, "analyst.nld-pol", True)
    assert directory.authenticate(node, secret).agency == "NLD-POL"
    directory.revoke_token(node, people["NLD-POL", Role.ADMIN], token_id)
    with pytest.raises(AuthenticationError):
        directory.authenticate(node, secret)
    with pytest.raises(AuthenticationError):
        directory.authenticate(node, "bl_nothing_here")


def test_admin_scopes(node: Node, people: People) -> None:
    local_admin = people["NLD-POL", Role.ADMIN]
    new = Agency(code="KEN-DCI", name="DCI Kenya", country="KE", kind=AgencyKind.POLICE)
    with pytest.raises(PermissionDenied):
        directory.create_agency(node, local_admin, new)
    assert directory.create_agency(node, people["HUB", Role.ADMIN], new).country == "KEN"
    with pytest.raises(PermissionDenied):
        directory.create_user(
            node, local_admin, User(username="de.x", agency="DEU-BKA", role=Role.OFFICER)
        )
    created = directory.create_user(
        node, local_admin, User(username="nl.officer", agency="NLD-POL", role=Role.OFFICER)
    )
    assert created.role == Role.OFFICER
    with pytest.raises(Conflict):
        directory.create_user(
            node, local_admin, User(username="nl.officer", agency="NLD-POL", role=Role.OFFICER)
        )
