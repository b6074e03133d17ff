"""Cooperation (issue 5): threads, structured requests, notices under review, cases, contacts.

Content exchanged here is not a record: who may see it is decided by these tables themselves
(the addressees of a thread, the two sides of a request, the participants of a case), and the
services check it on every read. Records mentioned here are only ids; reading them goes through
the gate (or, for a follow-up grant, `RecordGate.released`).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from borderless.store.schema import Json, Stamp, metadata

Serial = BigInteger().with_variant(Integer, "sqlite")  # autoincrementing on both backends

# --- messages -----------------------------------------------------------------------------------

coop_threads = Table(
    "coop_threads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subject", String(500), nullable=False),
    Column("handling", String(2), nullable=False),
    Column("handling_note", Text),
    Column("priority", String(16), nullable=False),
    Column("created_by_agency", String(32), nullable=False),
    Column("created_by_user", String(100), nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("closed_at", Stamp()),
    Column("closed_by", String(32)),
)

# The agencies a thread is between (the sender and its addressees): nobody else sees it.
coop_thread_agencies = Table(
    "coop_thread_agencies",
    metadata,
    Column(
        "thread_id",
        String(40),
        ForeignKey("coop_threads.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("agency", String(32), primary_key=True),
    Index("ix_coop_thread_agencies_agency", "agency"),
)

coop_messages = Table(
    "coop_messages",
    metadata,
    Column("id", Serial, primary_key=True),
    Column(
        "thread_id",
        String(40),
        ForeignKey("coop_threads.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("sender_agency", String(32), nullable=False),
    Column("sender_user", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("sent_at", Stamp(), nullable=False),
    Column("deadline_at", Stamp()),
    Column("deadline_zone", String(64)),
    Column("linked_records", Json, nullable=False),
    Index("ix_coop_messages_thread", "thread_id"),
    Index("ix_coop_messages_sender", "sender_agency", "id"),
)

# One row per (message, addressee agency): its state for that addressee.
coop_deliveries = Table(
    "coop_deliveries",
    metadata,
    Column(
        "message_id",
        BigInteger,
        ForeignKey("coop_messages.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("agency", String(32), primary_key=True),
    Column("delivered_at", Stamp()),
    Column("read_at", Stamp()),
    Column("answered_at", Stamp()),
    Index("ix_coop_deliveries_agency", "agency", "message_id"),
)

coop_attachments = Table(
    "coop_attachments",
    metadata,
    Column("id", Serial, primary_key=True),
    Column(
        "message_id",
        BigInteger,
        ForeignKey("coop_messages.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("filename", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),  # sniffed from the content
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Index("ix_coop_attachments_message", "message_id"),
)

# --- notices ------------------------------------------------------------------------------------

# The workflow beside each notice record: state, what dissemination publication will give it,
# the automated checks, the decision. A diffusion is published at once and reviewed afterwards.
coop_notices = Table(
    "coop_notices",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("owner", String(32), nullable=False),
    Column("channel", String(16), nullable=False),  # "notice" or "diffusion"
    Column("status", String(16), nullable=False),
    Column("requested", Json, nullable=False),  # governance to apply on publication
    Column("checks", Json, nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("submitted_at", Stamp()),
    Column("decided_at", Stamp()),
    Column("reviewer", String(100)),
    Column("refusal_reason", String(32)),
    Index("ix_coop_notices_status", "status"),
)

coop_notice_events = Table(
    "coop_notice_events",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("record_id", String(128), nullable=False),
    Column("at", Stamp(), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("username", String(100), nullable=False),
    Column("step", String(16), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16), nullable=False),
    Column("reason", Text),
    Index("ix_coop_notice_events_record", "record_id"),
)

# --- structured requests ------------------------------------------------------------------------

coop_requests = Table(
    "coop_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("template", String(32), nullable=False),
    Column("template_version", Integer, nullable=False),
    Column("requester_agency", String(32), nullable=False),
    Column("requester_user", String(100), nullable=False),
    Column("addressee_agency", String(32), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("fields", Json, nullable=False),
    Column("record_id", String(128)),
    Column("notification_id", BigInteger),
    Column("status", String(20), nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("deadline_at", Stamp()),
    Column("deadline_zone", String(64)),
    Column("answered_at", Stamp()),
    Column("answered_by", String(100)),
    Column("answer", Text),
    Index("ix_coop_requests_addressee", "addressee_agency", "status"),
    Index("ix_coop_requests_requester", "requester_agency"),
)

# What an owner released to one requester agency after a hit follow-up: read by the gate only.
coop_grants = Table(
    "coop_grants",
    metadata,
    Column(
        "request_id",
        String(40),
        ForeignKey("coop_requests.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("record_id", String(128), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("fields", Json, nullable=False),
    Column("granted_at", Stamp(), nullable=False),
    Column("granted_by", String(100), nullable=False),
    Index("ix_coop_grants_record_agency", "record_id", "agency"),
)

# --- case workspaces ----------------------------------------------------------------------------

coop_cases = Table(
    "coop_cases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("owner", String(32), nullable=False),
    Column("summary", Text),
    Column("status", String(16), nullable=False),
    Column("created_at", Stamp(), nullable=False),
)


def _case_fk() -> Column[str]:
    return Column(
        "case_id", String(40), ForeignKey("coop_cases.id", ondelete="CASCADE"), nullable=False
    )


coop_case_members = Table(
    "coop_case_members",
    metadata,
    Column(
        "case_id", String(40), ForeignKey("coop_cases.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("agency", String(32), primary_key=True),
    Column("joined_at", Stamp(), nullable=False),
    Column("left_at", Stamp()),
    Index("ix_coop_case_members_agency", "agency"),
)

coop_case_records = Table(
    "coop_case_records",
    metadata,
    Column(
        "case_id", String(40), ForeignKey("coop_cases.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("record_id", String(128), primary_key=True),
    Column("added_by", String(32), nullable=False),
    Column("added_at", Stamp(), nullable=False),
)

coop_case_notes = Table(
    "coop_case_notes",
    metadata,
    Column("id", Serial, primary_key=True),
    _case_fk(),
    Column("agency", String(32), nullable=False),
    Column("username", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", Stamp(), nullable=False),
    Index("ix_coop_case_notes_case", "case_id"),
)

coop_case_tasks = Table(
    "coop_case_tasks",
    metadata,
    Column("id", Serial, primary_key=True),
    _case_fk(),
    Column("title", String(500), nullable=False),
    Column("assignee", String(32)),
    Column("due_at", Stamp()),
    Column("due_zone", String(64)),
    Column("created_by", String(100), nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("done_at", Stamp()),
    Index("ix_coop_case_tasks_case", "case_id"),
)

# The case timeline: every step taken in the workspace, by whom and when.
coop_case_events = Table(
    "coop_case_events",
    metadata,
    Column("id", Serial, primary_key=True),
    _case_fk(),
    Column("at", Stamp(), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("username", String(100), nullable=False),
    Column("what", String(500), nullable=False),
    Index("ix_coop_case_events_case", "case_id"),
)

# --- directory and integrations -----------------------------------------------------------------

coop_contacts = Table(
    "coop_contacts",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("agency", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(200)),
    Column("languages", Json, nullable=False),
    Column("channels", Json, nullable=False),
    Column("desk_24_7", Boolean, nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Index("ix_coop_contacts_agency", "agency"),
)

coop_webhooks = Table(
    "coop_webhooks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("agency", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("secret", String(128), nullable=False),  # HMAC key; shown once, never listed
    Column("active", Boolean, nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Index("ix_coop_webhooks_agency", "agency"),
)

# An outbox: written in the transaction that creates the item, posted (and retried) afterwards.
coop_webhook_deliveries = Table(
    "coop_webhook_deliveries",
    metadata,
    Column("id", Serial, primary_key=True),
    Column(
        "webhook_id",
        String(40),
        ForeignKey("coop_webhooks.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event", String(40), nullable=False),
    Column("payload", Json, nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Stamp()),  # None once delivered or given up
    Column("delivered_at", Stamp()),
    Column("last_error", String(500)),
    Index("ix_coop_webhook_deliveries_due", "next_attempt_at"),
)
