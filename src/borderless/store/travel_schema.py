"""Passenger data (issue 3): flights, travellers, bookings, screening, rules, hit decisions.

Passenger data belongs to the agency that received it (a passenger information unit); it is
not a shared record, and only that agency's services read it. Every row hangs off the
message that brought it (``ON DELETE CASCADE``), so replacing or deleting a message removes
exactly what it said. Screening hits keep the traveller's identity key and the screened
record's id and version, so decisions outlive masking and suppressions can be checked.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from borderless.store.schema import Json, Stamp, metadata

Serial = BigInteger().with_variant(Integer, "sqlite")  # autoincrementing on both backends
Ref = BigInteger().with_variant(Integer, "sqlite")  # a reference to a Serial column

travel_flights = Table(
    "travel_flights",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("owner", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("key", String(60), nullable=False),  # e.g. UA0989/2017-01-27/FRA
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),
    Column("origin", String(5), nullable=False),
    Column("destination", String(5), nullable=False),
    Column("departure", Stamp()),  # local time as sent, stored as if UTC
    Column("arrival", Stamp()),
    UniqueConstraint("owner", "key", name="uq_travel_flights_owner_key"),
)

travel_messages = Table(
    "travel_messages",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("owner", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("reference", String(200), nullable=False),  # sender/interchange/message
    Column("kind", String(10), nullable=False),
    Column("sender", String(100), nullable=False),
    Column("flight_id", Ref, ForeignKey("travel_flights.id"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("source", String(300), nullable=False),  # file name or upload name
    Column("warnings", Json, nullable=False),
    Column("travellers", Integer, nullable=False),
    Column("received_at", Stamp(), nullable=False),
    Column("masked_at", Stamp()),
    UniqueConstraint("owner", "reference", name="uq_travel_messages_owner_reference"),
    Index("ix_travel_messages_flight", "flight_id"),
    Index("ix_travel_messages_received", "received_at"),
)

travel_legs = Table(
    "travel_legs",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("message_id", Ref, ForeignKey("travel_messages.id", ondelete="CASCADE"), nullable=False),
    Column("booking_id", Ref, ForeignKey("travel_bookings.id", ondelete="CASCADE")),
    Column("position", Integer, nullable=False),
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),
    Column("origin", String(5), nullable=False),
    Column("destination", String(5), nullable=False),
    Column("departure", Stamp()),
    Column("arrival", Stamp()),
    Column("operating_carrier", String(3)),
    Index("ix_travel_legs_message", "message_id"),
    Index("ix_travel_legs_booking", "booking_id"),
)

travel_bookings = Table(
    "travel_bookings",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("message_id", Ref, ForeignKey("travel_messages.id", ondelete="CASCADE"), nullable=False),
    Column("locator", String(20), nullable=False),
    Column("carrier", String(3), nullable=False),
    Column("booked_at", Stamp()),
    Column("bags", Integer, nullable=False),
    Column("other_locators", Json, nullable=False),
    Index("ix_travel_bookings_message", "message_id"),
    Index("ix_travel_bookings_locator", "locator"),
)

travel_travellers = Table(
    "travel_travellers",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("message_id", Ref, ForeignKey("travel_messages.id", ondelete="CASCADE"), nullable=False),
    Column("flight_id", Ref, ForeignKey("travel_flights.id"), nullable=False),
    Column("booking_id", Ref, ForeignKey("travel_bookings.id", ondelete="CASCADE")),
    Column("reference", String(60), nullable=False),
    Column("surname", String(200), nullable=False),
    Column("given_names", String(200), nullable=False),
    Column("role", String(12), nullable=False),
    Column("infant", Boolean, nullable=False),
    Column("gender", String(8)),
    Column("birth_date", String(10)),
    Column("nationality", String(3)),
    Column("residence", String(3)),
    Column("embarkation", String(5)),
    Column("debarkation", String(5)),
    Column("seat", String(5)),
    Column("bag_tags", Json, nullable=False),
    Column("addresses", Json, nullable=False),
    Index("ix_travel_travellers_message", "message_id"),
    Index("ix_travel_travellers_flight", "flight_id"),
    Index("ix_travel_travellers_booking", "booking_id"),
)

travel_documents = Table(
    "travel_documents",
    metadata,
    Column("id", Serial, primary_key=True),
    Column(
        "traveller_id",
        Ref,
        ForeignKey("travel_travellers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("document_type", String(2), nullable=False),
    Column("number", String(40), nullable=False),
    Column("issuing_country", String(3)),
    Column("expires", Date),
    Column("source", String(10), nullable=False),
    Index("ix_travel_documents_traveller", "traveller_id"),
    Index("ix_travel_documents_number", "number"),
)

# Phones, e-mails, addresses and payment cards of a booking: what affiliates are linked by.
travel_contacts = Table(
    "travel_contacts",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("booking_id", Ref, ForeignKey("travel_bookings.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),  # phone, email, address, card, payment
    Column("value", String(300), nullable=False),
    Index("ix_travel_contacts_booking", "booking_id"),
    Index("ix_travel_contacts_value", "kind", "value"),
)

# --- screening ---------------------------------------------------------------------------------

screening_runs = Table(
    "screening_runs",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("owner", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("flight_id", Ref, ForeignKey("travel_flights.id")),
    Column("at", Stamp(), nullable=False),
    Column("username", String(100), nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("travellers", Integer, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("suppressed", Integer, nullable=False),
    Column("audit_seq", BigInteger, nullable=False),
    Index("ix_screening_runs_flight", "flight_id"),
)

screening_hits = Table(
    "screening_hits",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("run_id", Ref, ForeignKey("screening_runs.id", ondelete="CASCADE"), nullable=False),
    Column("owner", String(32), nullable=False),
    Column("flight_id", Ref, ForeignKey("travel_flights.id")),
    Column("traveller_id", Ref, ForeignKey("travel_travellers.id", ondelete="SET NULL")),
    Column("traveller", String(400), nullable=False),  # name and reference, for the queue
    Column("identity", String(64), nullable=False),  # hash of name, birth date, documents
    Column("record_id", String(128), nullable=False),
    Column("record_owner", String(32), nullable=False),
    Column("record_kind", String(16), nullable=False),
    Column("record_version", Integer),  # None: a reference (hit-only) whose version is withheld
    Column("access", String(10), nullable=False),
    Column("match", String(10), nullable=False),  # name, document, rule
    Column("score", Float, nullable=False),
    Column("reasons", Json, nullable=False),
    Column("label", String(500)),
    Column("status", String(16), nullable=False),  # open, confirmed, false_positive, ...
    Column("rule_id", Ref),
    Column("rule_version", Integer),
    Column("decided_by", String(100)),
    Column("decided_at", Stamp()),
    Column("decision_reason", Text),
    Index("ix_screening_hits_run", "run_id"),
    Index("ix_screening_hits_queue", "owner", "status"),
    Index("ix_screening_hits_flight", "flight_id"),
)

# Every decision on a hit, append-only: who, when, what, why.
screening_decisions = Table(
    "screening_decisions",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("hit_id", Ref, ForeignKey("screening_hits.id", ondelete="CASCADE"), nullable=False),
    Column("at", Stamp(), nullable=False),
    Column("username", String(100), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("audit_seq", BigInteger, nullable=False),
    Index("ix_screening_decisions_hit", "hit_id"),
)

# A confirmed false positive: this traveller identity is not that record, at that version.
screening_suppressions = Table(
    "screening_suppressions",
    metadata,
    Column("owner", String(32), primary_key=True),
    Column("identity", String(64), primary_key=True),
    Column("record_id", String(128), primary_key=True),
    Column("record_version", Integer),
    Column("hit_id", Ref, nullable=False),
    Column("created_at", Stamp(), nullable=False),
)

# --- targeting rules ---------------------------------------------------------------------------

targeting_rules = Table(
    "targeting_rules",
    metadata,
    Column("id", Serial, primary_key=True),
    Column("owner", String(32), ForeignKey("agencies.code"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("expression", Text, nullable=False),
    Column("status", String(12), nullable=False),  # draft, active, retired
    Column("tested", Json),  # the result of the test against history
    Column("created_by", String(100), nullable=False),
    Column("created_at", Stamp(), nullable=False),
    Column("activated_at", Stamp()),
    UniqueConstraint("owner", "name", "version", name="uq_targeting_rules_owner_name_version"),
)
