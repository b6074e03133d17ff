"""Alembic migrations build exactly the schema in store/schema.py, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from borderless.services.node import Node
from borderless.store.catalog import metadata


def test_migrated_schema_matches_metadata(node: Node) -> None:
    with node.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []
