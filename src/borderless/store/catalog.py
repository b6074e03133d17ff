"""Every table of the node on one MetaData: what the migrations build and are checked against.

Each capability keeps its tables in its own module on the shared `schema.metadata`; importing
them here makes the whole schema visible to Alembic, the migration test and test cleanup.
(Money flows have none: accounts and transactions are records; see docs/finance.md.)
"""

from borderless.store import messaging_schema, travel_schema
from borderless.store.schema import metadata

__all__ = ["messaging_schema", "metadata", "travel_schema"]
