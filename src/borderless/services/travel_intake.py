"""Passenger data intake: parse API/PNR messages and manifests, store them per flight.

Every message is stored in one transaction with its audit entry: a message with an error
anywhere is rejected whole and leaves the flight as it was. Re-sending a message (same sender
and references) replaces what it said before, so a corrected message updates idempotently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.domain.travel import Leg, PassengerMessage, Traveller
from borderless.errors import (
    FormatError,
    InputError,
    NotFound,
)
from borderless.formats.edifact import Conformance, decode, read_interchange, report_for
from borderless.formats.manifest import read_manifest
from borderless.formats.paxlst import read_paxlst
from borderless.formats.pnrgov import read_pnrgov
from borderless.governance import audit
from borderless.governance.roles import Permission, require
from borderless.services.admission import admit, record
from borderless.services.node import Node
from borderless.store import directory
from borderless.store import travel as travel_store


def read_passenger_data(
    data: bytes, source: str, conformance: Conformance = Conformance.TOLERANT
) -> list[PassengerMessage]:
    """PAXLST or PNRGOV (EDIFACT) or a CSV/JSON manifest, told apart by their content."""
    text = decode(data)
    head = text.lstrip("\ufeff \t\r\n")[:3]
    if head not in ("UNA", "UNB"):
        return [read_manifest(data, source)]
    report = report_for(source, conformance)
    interchange = read_interchange(text, report)
    if not interchange.messages:
        raise FormatError(source, None, "the interchange holds no message")
    kinds = {m.type for m in interchange.messages}
    if kinds == {"PAXLST"}:
        return read_paxlst(interchange, report)
    if kinds == {"PNRGOV"}:
        return read_pnrgov(interchange, report)
    found = ", ".join(sorted(kinds))
    raise FormatError(source, None, f"expected PAXLST or PNRGOV messages, found {found}")


@dataclass(frozen=True)
class IntakeResult:
    """What became of one message: inserted, updated (re-sent with changes) or unchanged."""

    reference: str
    kind: str
    flight: str
    travellers: int
    documents: int
    status: str
    warnings: tuple[str, ...]


def _digest(message: PassengerMessage) -> str:
    """Identical content gives an identical digest (the dataclasses' repr is deterministic)."""
    return hashlib.sha256(repr(message).encode()).hexdigest()


def ingest(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    upload: Upload,
) -> list[IntakeResult]:
    """Parse every message of a file, then store them all with one audit entry, or nothing."""
    checked = admit(node, principal, purpose, Permission.IMPORT, AuditAction.PASSENGER_INTAKE)
    messages = read_passenger_data(upload.data, upload.source, upload.conformance)
    results: list[IntakeResult] = []
    with node.engine.begin() as conn:
        directory.require_agency(conn, principal.agency)
        for message in messages:
            results.append(_store(node, conn, principal.agency, message, upload.source))
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.PASSENGER_INTAKE,
                checked,
                {
                    "source": upload.source,
                    "messages": [
                        {"reference": r.reference, "flight": r.flight, "status": r.status}
                        for r in results
                    ],
                },
                outcome=f"{sum(r.travellers for r in results)} travellers in "
                f"{len(results)} message(s)",
            ),
        )
    return results


def _store(
    node: Node, conn: Connection, owner: str, message: PassengerMessage, source: str
) -> IntakeResult:
    digest = _digest(message)
    stored = travel_store.stored_message(conn, owner, message.reference)
    status = "inserted"
    if stored is not None and stored.digest == digest:
        status = "unchanged"
    else:
        if stored is not None:
            travel_store.delete_messages(conn, [stored.id])
            status = "updated"
        flight = travel_store.flight_id(conn, owner, message.flight)
        travel_store.insert_message(
            conn,
            travel_store.NewMessage(owner, message, flight, digest, source, node.now()),
        )
    return IntakeResult(
        reference=message.reference,
        kind=message.kind.value,
        flight=message.flight.key,
        travellers=len(message.travellers),
        documents=message.documents,
        status=status,
        warnings=message.warnings,
    )


@dataclass(frozen=True)
class Upload:
    data: bytes
    source: str  # a file name: named in every error
    conformance: Conformance = Conformance.TOLERANT


# --- retention: masking and deletion ------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    masked: int
    deleted: int


def run_passenger_retention(
    node: Node,
    principal: Principal,
    mask_after_days: int | None = None,
    delete_after_days: int | None = None,
) -> RetentionResult:
    """Depersonalise passenger data older than `mask_after_days`, delete it after
    `delete_after_days` (default: the node's settings); each step is audited (``mask``,
    ``purge``) with the owners concerned."""
    require(principal, Permission.RUN_RETENTION)
    mask_after_days = mask_after_days or node.settings.passenger_mask_days
    delete_after_days = delete_after_days or node.settings.passenger_delete_days
    if not 0 < mask_after_days <= delete_after_days:
        raise InputError("masking must come after 1 day or more, and before deletion")
    now = node.now()
    with node.engine.begin() as conn:
        expired = travel_store.messages_received_before(
            conn, now - timedelta(days=delete_after_days), unmasked_only=False
        )
        deleted = travel_store.delete_messages(conn, [m for m, _ in expired])
        if expired:
            _audit_retention(node, conn, principal, AuditAction.PURGE, expired, delete_after_days)
        due = travel_store.messages_received_before(
            conn, now - timedelta(days=mask_after_days), unmasked_only=True
        )
        masked = travel_store.mask_messages(conn, [m for m, _ in due], now)
        if due:
            _audit_retention(node, conn, principal, AuditAction.MASK, due, mask_after_days)
    return RetentionResult(masked=masked, deleted=deleted)


def _audit_retention(
    node: Node,
    conn: Connection,
    principal: Principal,
    action: AuditAction,
    messages: list[tuple[int, str]],
    days: int,
) -> None:
    audit.append(
        conn,
        node.audit_key,
        audit.AuditEvent(
            principal,
            action,
            Purpose.DATA_MANAGEMENT,
            {"passenger_messages": [m for m, _ in messages], "older_than_days": days},
            owners=[owner for _, owner in messages],
            outcome=f"{len(messages)} passenger message(s) {action.value}",
        ),
    )


def flight_travellers(
    node: Node, principal: Principal, purpose: Purpose | None, flight_key: str
) -> list[Traveller]:
    """The stored travellers of one of the caller's agency's flights (audited as a view)."""
    checked = admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.VIEW)
    with node.engine.begin() as conn:
        flight = travel_store.flight_by_key(conn, principal.agency, flight_key)
        if flight is None:
            raise NotFound(f"agency {principal.agency} holds no flight {flight_key}")
        found = travel_store.travellers_of(conn, principal.agency, flight=flight)
        outcome = f"{len(found)} travellers"
        record(conn, node, principal, AuditAction.VIEW, checked, outcome=outcome, flight=flight_key)
    return [s.traveller for s in found]


def departures(
    node: Node, principal: Principal, purpose: Purpose | None, window: tuple[datetime, datetime]
) -> list[tuple[Leg, Traveller]]:
    """The caller's agency's own travellers on flights departing within `window` (UTC-labelled
    airline times), with their flight; audited as a view (what an analysis returns from them is
    audited by that analysis)."""
    checked = admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.VIEW)
    with node.engine.begin() as conn:
        found = travel_store.departures(conn, principal.agency, *window)
        flights = len({leg.key for leg, _ in found})
        outcome = f"{len(found)} travellers on {flights} flights"
        departures = [window[0].isoformat(), window[1].isoformat()]
        record(
            conn, node, principal, AuditAction.VIEW, checked, outcome=outcome, departures=departures
        )
    return [(leg, stored.traveller) for leg, stored in found]
