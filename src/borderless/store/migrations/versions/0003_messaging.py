"""messaging tables: threads, notices under review, requests and grants, cases, contacts, webhooks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coop_cases",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_cases")),
    )
    op.create_table(
        "coop_notice_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_notice_events")),
    )
    op.create_index(
        "ix_coop_notice_events_record", "coop_notice_events", ["record_id"], unique=False
    )
    op.create_table(
        "coop_notices",
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "requested",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "checks",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("refusal_reason", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_coop_notices")),
    )
    op.create_index("ix_coop_notices_status", "coop_notices", ["status"], unique=False)
    op.create_table(
        "coop_requests",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("requester_agency", sa.String(length=32), nullable=False),
        sa.Column("requester_user", sa.String(length=100), nullable=False),
        sa.Column("addressee_agency", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column(
            "fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("record_id", sa.String(length=128), nullable=True),
        sa.Column("notification_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_zone", sa.String(length=64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_requests")),
    )
    op.create_index(
        "ix_coop_requests_addressee", "coop_requests", ["addressee_agency", "status"], unique=False
    )
    op.create_index(
        "ix_coop_requests_requester", "coop_requests", ["requester_agency"], unique=False
    )
    op.create_table(
        "coop_threads",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("handling_note", sa.Text(), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("created_by_agency", sa.String(length=32), nullable=False),
        sa.Column("created_by_user", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_threads")),
    )
    op.create_table(
        "coop_case_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("what", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coop_cases.id"],
            name=op.f("fk_coop_case_events_case_id_coop_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_case_events")),
    )
    op.create_index("ix_coop_case_events_case", "coop_case_events", ["case_id"], unique=False)
    op.create_table(
        "coop_case_members",
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coop_cases.id"],
            name=op.f("fk_coop_case_members_case_id_coop_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "agency", name=op.f("pk_coop_case_members")),
    )
    op.create_index("ix_coop_case_members_agency", "coop_case_members", ["agency"], unique=False)
    op.create_table(
        "coop_case_notes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coop_cases.id"],
            name=op.f("fk_coop_case_notes_case_id_coop_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_case_notes")),
    )
    op.create_index("ix_coop_case_notes_case", "coop_case_notes", ["case_id"], unique=False)
    op.create_table(
        "coop_case_records",
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coop_cases.id"],
            name=op.f("fk_coop_case_records_case_id_coop_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "record_id", name=op.f("pk_coop_case_records")),
    )
    op.create_table(
        "coop_case_tasks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("assignee", sa.String(length=32), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_zone", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coop_cases.id"],
            name=op.f("fk_coop_case_tasks_case_id_coop_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_case_tasks")),
    )
    op.create_index("ix_coop_case_tasks_case", "coop_case_tasks", ["case_id"], unique=False)
    op.create_table(
        "coop_contacts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column(
            "languages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "channels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("desk_24_7", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency"], ["agencies.code"], name=op.f("fk_coop_contacts_agency_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_contacts")),
    )
    op.create_index("ix_coop_contacts_agency", "coop_contacts", ["agency"], unique=False)
    op.create_table(
        "coop_grants",
        sa.Column("request_id", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column(
            "fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["coop_requests.id"],
            name=op.f("fk_coop_grants_request_id_coop_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_coop_grants")),
    )
    op.create_index(
        "ix_coop_grants_record_agency", "coop_grants", ["record_id", "agency"], unique=False
    )
    op.create_table(
        "coop_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("thread_id", sa.String(length=40), nullable=False),
        sa.Column("sender_agency", sa.String(length=32), nullable=False),
        sa.Column("sender_user", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_zone", sa.String(length=64), nullable=True),
        sa.Column(
            "linked_records",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["coop_threads.id"],
            name=op.f("fk_coop_messages_thread_id_coop_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_messages")),
    )
    op.create_index("ix_coop_messages_thread", "coop_messages", ["thread_id"], unique=False)
    op.create_index(
        "ix_coop_messages_sender", "coop_messages", ["sender_agency", "id"], unique=False
    )
    op.create_table(
        "coop_thread_agencies",
        sa.Column("thread_id", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["coop_threads.id"],
            name=op.f("fk_coop_thread_agencies_thread_id_coop_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", "agency", name=op.f("pk_coop_thread_agencies")),
    )
    op.create_index(
        "ix_coop_thread_agencies_agency", "coop_thread_agencies", ["agency"], unique=False
    )
    op.create_table(
        "coop_webhooks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency"], ["agencies.code"], name=op.f("fk_coop_webhooks_agency_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_webhooks")),
    )
    op.create_index("ix_coop_webhooks_agency", "coop_webhooks", ["agency"], unique=False)
    op.create_table(
        "coop_attachments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["coop_messages.id"],
            name=op.f("fk_coop_attachments_message_id_coop_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_attachments")),
    )
    op.create_index("ix_coop_attachments_message", "coop_attachments", ["message_id"], unique=False)
    op.create_table(
        "coop_deliveries",
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["coop_messages.id"],
            name=op.f("fk_coop_deliveries_message_id_coop_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "agency", name=op.f("pk_coop_deliveries")),
    )
    op.create_index(
        "ix_coop_deliveries_agency", "coop_deliveries", ["agency", "message_id"], unique=False
    )
    op.create_table(
        "coop_webhook_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("webhook_id", sa.String(length=40), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["coop_webhooks.id"],
            name=op.f("fk_coop_webhook_deliveries_webhook_id_coop_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_webhook_deliveries")),
    )
    op.create_index(
        "ix_coop_webhook_deliveries_due",
        "coop_webhook_deliveries",
        ["next_attempt_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_coop_webhook_deliveries_due", table_name="coop_webhook_deliveries")
    op.drop_table("coop_webhook_deliveries")
    op.drop_index("ix_coop_deliveries_agency", table_name="coop_deliveries")
    op.drop_table("coop_deliveries")
    op.drop_index("ix_coop_attachments_message", table_name="coop_attachments")
    op.drop_table("coop_attachments")
    op.drop_index("ix_coop_webhooks_agency", table_name="coop_webhooks")
    op.drop_table("coop_webhooks")
    op.drop_index("ix_coop_thread_agencies_agency", table_name="coop_thread_agencies")
    op.drop_table("coop_thread_agencies")
    op.drop_index("ix_coop_messages_sender", table_name="coop_messages")
    op.drop_index("ix_coop_messages_thread", table_name="coop_messages")
    op.drop_table("coop_messages")
    op.drop_index("ix_coop_grants_record_agency", table_name="coop_grants")
    op.drop_table("coop_grants")
    op.drop_index("ix_coop_contacts_agency", table_name="coop_contacts")
    op.drop_table("coop_contacts")
    op.drop_index("ix_coop_case_tasks_case", table_name="coop_case_tasks")
    op.drop_table("coop_case_tasks")
    op.drop_table("coop_case_records")
    op.drop_index("ix_coop_case_notes_case", table_name="coop_case_notes")
    op.drop_table("coop_case_notes")
    op.drop_index("ix_coop_case_members_agency", table_name="coop_case_members")
    op.drop_table("coop_case_members")
    op.drop_index("ix_coop_case_events_case", table_name="coop_case_events")
    op.drop_table("coop_case_events")
    op.drop_table("coop_threads")
    op.drop_index("ix_coop_requests_requester", table_name="coop_requests")
    op.drop_index("ix_coop_requests_addressee", table_name="coop_requests")
    op.drop_table("coop_requests")
    op.drop_index("ix_coop_notices_status", table_name="coop_notices")
    op.drop_table("coop_notices")
    op.drop_index("ix_coop_notice_events_record", table_name="coop_notice_events")
    op.drop_table("coop_notice_events")
    op.drop_table("coop_cases")
