"""travel tables: flights, messages, travellers, bookings, screening, rules

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_suppressions",
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=True),
        sa.Column("hit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner", "identity", "record_id", name=op.f("pk_screening_suppressions")
        ),
    )
    op.create_table(
        "targeting_rules",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "tested",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner"], ["agencies.code"], name=op.f("fk_targeting_rules_owner_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targeting_rules")),
        sa.UniqueConstraint(
            "owner", "name", "version", name="uq_targeting_rules_owner_name_version"
        ),
    )
    op.create_table(
        "travel_flights",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("destination", sa.String(length=5), nullable=False),
        sa.Column("departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner"], ["agencies.code"], name=op.f("fk_travel_flights_owner_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_flights")),
        sa.UniqueConstraint("owner", "key", name="uq_travel_flights_owner_key"),
    )
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("suppressed", sa.Integer(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["travel_flights.id"],
            name=op.f("fk_screening_runs_flight_id_travel_flights"),
        ),
        sa.ForeignKeyConstraint(
            ["owner"], ["agencies.code"], name=op.f("fk_screening_runs_owner_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_runs")),
    )
    op.create_index("ix_screening_runs_flight", "screening_runs", ["flight_id"], unique=False)
    op.create_table(
        "travel_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sender", sa.String(length=100), nullable=False),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column(
            "warnings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("masked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["travel_flights.id"],
            name=op.f("fk_travel_messages_flight_id_travel_flights"),
        ),
        sa.ForeignKeyConstraint(
            ["owner"], ["agencies.code"], name=op.f("fk_travel_messages_owner_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_messages")),
        sa.UniqueConstraint("owner", "reference", name="uq_travel_messages_owner_reference"),
    )
    op.create_index("ix_travel_messages_flight", "travel_messages", ["flight_id"], unique=False)
    op.create_index("ix_travel_messages_received", "travel_messages", ["received_at"], unique=False)
    op.create_table(
        "travel_bookings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("locator", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bags", sa.Integer(), nullable=False),
        sa.Column(
            "other_locators",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["travel_messages.id"],
            name=op.f("fk_travel_bookings_message_id_travel_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_bookings")),
    )
    op.create_index("ix_travel_bookings_locator", "travel_bookings", ["locator"], unique=False)
    op.create_index("ix_travel_bookings_message", "travel_bookings", ["message_id"], unique=False)
    op.create_table(
        "travel_contacts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["travel_bookings.id"],
            name=op.f("fk_travel_contacts_booking_id_travel_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_contacts")),
    )
    op.create_index("ix_travel_contacts_booking", "travel_contacts", ["booking_id"], unique=False)
    op.create_index("ix_travel_contacts_value", "travel_contacts", ["kind", "value"], unique=False)
    op.create_table(
        "travel_legs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("destination", sa.String(length=5), nullable=False),
        sa.Column("departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("operating_carrier", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["travel_bookings.id"],
            name=op.f("fk_travel_legs_booking_id_travel_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["travel_messages.id"],
            name=op.f("fk_travel_legs_message_id_travel_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_legs")),
    )
    op.create_index("ix_travel_legs_booking", "travel_legs", ["booking_id"], unique=False)
    op.create_index("ix_travel_legs_message", "travel_legs", ["message_id"], unique=False)
    op.create_table(
        "travel_travellers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("infant", sa.Boolean(), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=True),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("residence", sa.String(length=3), nullable=True),
        sa.Column("embarkation", sa.String(length=5), nullable=True),
        sa.Column("debarkation", sa.String(length=5), nullable=True),
        sa.Column("seat", sa.String(length=5), nullable=True),
        sa.Column(
            "bag_tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "addresses",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["travel_bookings.id"],
            name=op.f("fk_travel_travellers_booking_id_travel_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["travel_flights.id"],
            name=op.f("fk_travel_travellers_flight_id_travel_flights"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["travel_messages.id"],
            name=op.f("fk_travel_travellers_message_id_travel_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_travellers")),
    )
    op.create_index(
        "ix_travel_travellers_booking", "travel_travellers", ["booking_id"], unique=False
    )
    op.create_index("ix_travel_travellers_flight", "travel_travellers", ["flight_id"], unique=False)
    op.create_index(
        "ix_travel_travellers_message", "travel_travellers", ["message_id"], unique=False
    )
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("traveller", sa.String(length=400), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("record_owner", sa.String(length=32), nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=True),
        sa.Column("access", sa.String(length=10), nullable=False),
        sa.Column("match", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rule_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["travel_flights.id"],
            name=op.f("fk_screening_hits_flight_id_travel_flights"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["screening_runs.id"],
            name=op.f("fk_screening_hits_run_id_screening_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["travel_travellers.id"],
            name=op.f("fk_screening_hits_traveller_id_travel_travellers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_hits")),
    )
    op.create_index("ix_screening_hits_flight", "screening_hits", ["flight_id"], unique=False)
    op.create_index("ix_screening_hits_queue", "screening_hits", ["owner", "status"], unique=False)
    op.create_index("ix_screening_hits_run", "screening_hits", ["run_id"], unique=False)
    op.create_table(
        "travel_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("document_type", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["travel_travellers.id"],
            name=op.f("fk_travel_documents_traveller_id_travel_travellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_documents")),
    )
    op.create_index("ix_travel_documents_number", "travel_documents", ["number"], unique=False)
    op.create_index(
        "ix_travel_documents_traveller", "travel_documents", ["traveller_id"], unique=False
    )
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hit_id"],
            ["screening_hits.id"],
            name=op.f("fk_screening_decisions_hit_id_screening_hits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_decisions")),
    )
    op.create_index("ix_screening_decisions_hit", "screening_decisions", ["hit_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_screening_decisions_hit", table_name="screening_decisions")
    op.drop_table("screening_decisions")
    op.drop_index("ix_travel_documents_traveller", table_name="travel_documents")
    op.drop_index("ix_travel_documents_number", table_name="travel_documents")
    op.drop_table("travel_documents")
    op.drop_index("ix_screening_hits_run", table_name="screening_hits")
    op.drop_index("ix_screening_hits_queue", table_name="screening_hits")
    op.drop_index("ix_screening_hits_flight", table_name="screening_hits")
    op.drop_table("screening_hits")
    op.drop_index("ix_travel_travellers_message", table_name="travel_travellers")
    op.drop_index("ix_travel_travellers_flight", table_name="travel_travellers")
    op.drop_index("ix_travel_travellers_booking", table_name="travel_travellers")
    op.drop_table("travel_travellers")
    op.drop_index("ix_travel_legs_message", table_name="travel_legs")
    op.drop_index("ix_travel_legs_booking", table_name="travel_legs")
    op.drop_table("travel_legs")
    op.drop_index("ix_travel_contacts_value", table_name="travel_contacts")
    op.drop_index("ix_travel_contacts_booking", table_name="travel_contacts")
    op.drop_table("travel_contacts")
    op.drop_index("ix_travel_bookings_message", table_name="travel_bookings")
    op.drop_index("ix_travel_bookings_locator", table_name="travel_bookings")
    op.drop_table("travel_bookings")
    op.drop_index("ix_travel_messages_received", table_name="travel_messages")
    op.drop_index("ix_travel_messages_flight", table_name="travel_messages")
    op.drop_table("travel_messages")
    op.drop_index("ix_screening_runs_flight", table_name="screening_runs")
    op.drop_table("screening_runs")
    op.drop_table("travel_flights")
    op.drop_table("targeting_rules")
    op.drop_table("screening_suppressions")
