"""recompute search keys: names dated with years of birth, titles as last words kept

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

The key rules changed (`index.keys`: `ny:` keys rank the namesake born in the queried year
first; a title as the last word is a family name; «عمر» 'mr' is no longer dropped as "Mr").
A node upgraded from 0004 would otherwise find its old records by the old rules until someone
ran `borderless index --rebuild`; this runs that rebuild once, with the rules of the code
doing the upgrade (the same as the rebuild command would). An empty database does nothing.
"""

from collections.abc import Sequence

from alembic import op

from borderless.store.records import rebuild_search_keys

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rebuild_search_keys(op.get_bind())


def downgrade() -> None:
    """Keys are derived data: the rules of the running code apply either way."""
