"""search keys for persons' postal addresses

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Person records are now also found by their addresses (`address:` keys, rigour's address
fingerprint), so that a booking giving a listed person's address makes the targeting fact
`booking.shares_contact_with_watchlisted` true. Only those keys are added: person records
are read once; no other key changes. Running it again replaces them.
"""

from collections.abc import Sequence

from alembic import op

from borderless.domain.codes import RecordKind
from borderless.store.records import rebuild_search_keys

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rebuild_search_keys(op.get_bind(), prefix="address:", kinds=[RecordKind.PERSON])


def downgrade() -> None:
    """Keys are derived data: the rules of the running code apply either way."""
