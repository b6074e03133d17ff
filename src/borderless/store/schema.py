"""The relational schema. Alembic migrations in `store/migrations` build exactly this.

Record bodies are JSON (JSONB on PostgreSQL); the columns beside them are what governance
filters on, so access policy can be pushed into SQL and checked again in Python.
"""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Stamp(TypeDecorator[datetime]):
    """A UTC timestamp on both backends (SQLite stores no offset; we add it back on reading)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json = JSON().with_variant(JSONB(), "postgresql")

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("country", String(3), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created_at", Stamp(), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("agency", String(32), ForeignKey("agencies.code"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Stamp(), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_id", String(32), primary_key=True),  # public handle, used to revoke
    Column("username", String(100), ForeignKey("users.username"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the secret
    Column("label", String(200)),
    Column("created_at", Stamp(), nullable=False),
    Column("revoked_at", Stamp()),
)

records = Table(
    "records",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("owner", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("label", String(500), nullable=False),
    Column("handling", String(2), nullable=False),
    Column("handling_note", Text),
    Column("reliability", String(1), nullable=False),
    Column("accuracy", String(1), nullable=False),
    Column("dissemination", String(8), nullable=False),
    Column("share_countries", Json, nullable=False),
    Column("share_agencies", Json, nullable=False),
    Column("purposes", Json, nullable=False),
    Column("retention_until", Date, nullable=False),
    Column("source_dataset", String(100)),
    Column("source_id", String(200)),
    Column("source_version", String(100)),
    Column("body", Json, nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("updated_at", Stamp(), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_records_owner_kind", "owner", "kind"),
    Index("ix_records_kind", "kind"),
    Index("ix_records_retention", "retention_until"),
    Index("ix_records_source", "owner", "source_dataset", "source_id"),
)

# An index for access checks in SQL, derived from each record: who may see a 'listed' record or
# take part in a case ("C:NLD", "A:NLD-POL") and which purposes it is restricted to ("P:...").
record_shares = Table(
    "record_shares",
    metadata,
    Column(
        "record_id", String(128), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("target", String(40), primary_key=True),
    Index("ix_record_shares_target", "target"),
)

# References between records (document -> person, ...), derived from bodies.
record_links = Table(
    "record_links",
    metadata,
    Column("src_id", String(128), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(40), primary_key=True),
    Column("dst_id", String(128), primary_key=True),
    Index("ix_record_links_dst", "dst_id"),
)

# The list versions an agency has imported, for idempotent re-imports.
datasets = Table(
    "datasets",
    metadata,
    Column("owner", String(32), ForeignKey("agencies.code"), primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("version", String(100), nullable=False),
    Column("record_count", Integer, nullable=False),
    Column("imported_at", Stamp(), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", Stamp(), nullable=False),
    Column("username", String(100), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("purpose", String(40)),
    Column("query", Json, nullable=False),
    Column("record_ids", Json, nullable=False),
    Column("owners", Json, nullable=False),
    Column("outcome", String(200), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_username", "username"),
    Index("ix_audit_agency", "agency"),
    Index("ix_audit_at", "at"),
)

# One row: the newest audit entry. Appends lock it, which serialises the chain.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Which records each audit entry touched, for auditors' queries by record.
audit_records = Table(
    "audit_records",
    metadata,
    Column("seq", BigInteger, ForeignKey("audit_log.seq"), primary_key=True),
    Column("record_id", String(128), primary_key=True),
    Index("ix_audit_records_record", "record_id"),
)

# Which agencies each audit entry concerns (the actor's and the owners of records touched),
# so an agency's auditors can be shown exactly their share of the log.
audit_agencies = Table(
    "audit_agencies",
    metadata,
    Column("seq", BigInteger, ForeignKey("audit_log.seq"), primary_key=True),
    Column("agency", String(32), primary_key=True),
    Index("ix_audit_agencies_agency", "agency"),
)

# Blocking keys for frontline search (`index.keys`): written in the same transaction as the
# record, so a record is findable (or gone) the moment its transaction commits.
search_keys = Table(
    "search_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column(
        "record_id", String(128), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    ),
    Index("ix_search_keys_record", "record_id"),
)

# Changes to biometric templates, in commit order: each process's in-memory vector index
# applies the entries after the last one it saw before it answers a query.
vector_changes = Table(
    "vector_changes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("record_id", String(128), nullable=False),
    Column("op", String(8), nullable=False),  # "upsert" or "delete"
)

# A hit on another agency's record: the owner is told who searched, when and why.
hit_notifications = Table(
    "hit_notifications",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", Stamp(), nullable=False),
    Column("owner", String(32), nullable=False),
    Column("record_id", String(128), nullable=False),
    Column("record_kind", String(16), nullable=False),
    Column("searcher_agency", String(32), nullable=False),
    Column("searcher_country", String(3), nullable=False),
    Column("username", String(100), nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("score", Float, nullable=False),
    Column("audit_seq", BigInteger, nullable=False),
    Column("read_at", Stamp()),
    Index("ix_hit_notifications_owner", "owner", "at"),
)
