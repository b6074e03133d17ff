"""Alembic migrations build exactly the schema in store/schema.py, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, select

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.services import records
from borderless.services.node import Node
from borderless.store.catalog import metadata
from borderless.store.migrate import downgrade, upgrade
from borderless.store.schema import search_keys
from tests.conftest import People


def test_migrated_schema_matches_metadata(node: Node) -> None:
    with node.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []


def test_upgrading_to_0005_recomputes_search_keys(node: Node, people: People) -> None:
    """A node upgraded from 0004 finds its old records by the current key rules at once."""
    analyst = people["NLD-POL", Role.ANALYST]
    draft = RecordDraft.model_validate(
        {
            "kind": "person",
            "body": {"names": [{"full": "Karim Haddad"}], "birth_dates": [{"date": "1966-05-17"}]},
        }
    )
    record = records.create(node, analyst, Purpose.DATA_MANAGEMENT, draft)
    with node.engine.begin() as conn:
        expected = set(conn.execute(select(search_keys.c.key)).scalars())
        conn.execute(delete(search_keys).where(search_keys.c.key.like("ny:%")))
    assert any(k.startswith("ny:1966:") for k in expected)
    downgrade(node.engine, "0004")
    upgrade(node.engine)
    with node.engine.connect() as conn:
        keys = conn.execute(select(search_keys.c.key, search_keys.c.record_id)).all()
    assert {k for k, _ in keys} == expected
    assert {r for _, r in keys} == {record.id}


def test_upgrading_to_0006_adds_address_keys_only(node: Node, people: People) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    body = {"names": [{"full": "Karim Haddad"}], "addresses": [{"full": "Damrak 1, Amsterdam"}]}
    draft = RecordDraft.model_validate({"kind": "person", "body": body})
    records.create(node, analyst, Purpose.DATA_MANAGEMENT, draft)
    with node.engine.begin() as conn:
        expected = set(conn.execute(select(search_keys.c.key)).scalars())
        conn.execute(delete(search_keys).where(search_keys.c.key.like("address:%")))
    assert "address:damrak 1 amsterdam" in expected
    downgrade(node.engine, "0005")
    upgrade(node.engine)
    with node.engine.connect() as conn:
        assert set(conn.execute(select(search_keys.c.key)).scalars()) == expected
