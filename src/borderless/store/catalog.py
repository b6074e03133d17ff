"""Every table of the node on one MetaData: what the migrations build and are checked against.

Each capability keeps its tables in its own module on the shared `schema.metadata`; importing
them here makes the whole schema visible to Alembic, the migration test and test cleanup.
"""

from borderless.store import finance_schema, messaging_schema, travel_schema
from borderless.store.schema import metadata

__all__ = ["finance_schema", "messaging_schema", "metadata", "travel_schema"]
