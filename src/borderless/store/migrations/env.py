"""Alembic environment: runs against the connection or URL `store.migrate` passes in."""

from alembic import context
from sqlalchemy import Connection

from borderless.store.catalog import metadata
from borderless.store.db import make_engine


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with make_engine(context.config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        _run(conn)
