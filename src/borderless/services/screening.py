"""Screening: every traveller of a flight against the persons, documents and notices the
analyst's agency may see, with frontline search's matching and explanations.

Flow for one flight:

1. The travellers' blocking keys meet the records' keys (`services.screening_match`): each
   traveller keeps the records sharing its rarest keys. Only ids and keys are read here.
2. The candidates are loaded through the gate (`RecordGate.match`): the same visibility SQL
   and per-record `access_level` as every read, scored on their content by the frontline
   scorers. A hit-only record comes back as a reference (score, owner, whom to ask), never
   with content or reasons. The gate audits the lookup as a ``search``.
3. In the same transaction the run and its hits are stored per flight, owners of hit records
   are notified, and a ``screen`` audit entry summarises the run. A hit on a traveller identity
   that an analyst confirmed as a false positive for the same record, at the same record
   version, is suppressed (counted, not queued); a new version of the record lifts it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose, RecordKind
from borderless.domain.records import Record
from borderless.domain.travel import Traveller
from borderless.errors import NotFound
from borderless.governance import audit
from borderless.governance.gate import Hits, Scored
from borderless.governance.roles import Permission
from borderless.matching.person import DEFAULT_THRESHOLD
from borderless.services import targeting
from borderless.services.admission import admit
from borderless.services.node import Node
from borderless.services.notifications import notify_owners
from borderless.services.screening_match import (
    TravellerScorers,
    keys_table,
    namesake_keys,
    rank_candidates,
    record_key_rows,
)
from borderless.services.travel_intake import Upload, ingest
from borderless.store import travel as travel_store
from borderless.store.db import reading

SCREENED_KINDS = (RecordKind.PERSON, RecordKind.DOCUMENT, RecordKind.NOTICE)


class HitStatus(StrEnum):
    OPEN = "open"
    SUPPRESSED = "suppressed"  # a confirmed false positive at this record version


@dataclass(frozen=True)
class ScreeningHit:
    traveller: str  # name and reference
    traveller_id: int
    record_id: str
    record_kind: str
    owner: str
    access: str  # "full" or "reference"
    score: float
    reasons: tuple[str, ...]
    label: str | None
    status: str
    contact: str | None = None


@dataclass(frozen=True)
class ScreeningReport:
    flight: str
    run_id: int
    travellers: int
    hits: list[ScreeningHit]
    suppressed: int
    threshold: float
    took_ms: float


@dataclass
class _Pairs:
    """What the scorer saw, by record: (traveller index, score, record version)."""

    by_record: dict[str, list[tuple[int, Scored]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    versions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Run:
    principal: Principal
    purpose: Purpose
    flight_id: int
    flight_key: str
    stored: list[travel_store.StoredTraveller]
    threshold: float
    rules: list[targeting.ActiveRule]
    context: targeting.FlightContext


def _label(traveller: Traveller) -> str:
    return f"{traveller.full_name} ({traveller.reference})"


def screen_flight(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    flight_key: str,
    threshold: float | None = None,
) -> ScreeningReport:
    """Screen every stored traveller of one of the caller's agency's flights."""
    purpose = admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.SCREEN)
    started = time.perf_counter()
    limit = next(
        t for t in (threshold, node.settings.hit_threshold, DEFAULT_THRESHOLD) if t is not None
    )
    with reading(node.engine) as conn:
        flight = travel_store.flight_by_key(conn, principal.agency, flight_key)
        if flight is None:
            raise NotFound(f"agency {principal.agency} holds no flight {flight_key}")
        stored = travel_store.travellers_of(conn, principal.agency, flight=flight)
        travellers = [s.traveller for s in stored]
        rules = targeting.active_rules(conn, principal.agency)
        bookings = {s.booking_id for s in stored if s.booking_id is not None}
        watchlist = targeting.watchlist_for(rules, node, principal, purpose)
        context = targeting.flight_context(conn, principal.agency, flight, bookings, watchlist)
        wanted = keys_table(travellers)
        rows = travel_store.record_key_rows(conn, wanted.column("key").to_pylist(), SCREENED_KINDS)
    candidates = rank_candidates(wanted, record_key_rows(rows))
    counts = node.gate.count_visible(principal, namesake_keys(wanted))
    linked: dict[str, list[int]] = defaultdict(list)
    for index, record_id in zip(
        candidates.column("traveller").to_pylist(),
        candidates.column("record_id").to_pylist(),
        strict=True,
    ):
        linked[record_id].append(index)
    scorers = TravellerScorers(travellers, limit, counts)
    pairs = _Pairs()

    def score(record: Record) -> Scored | None:
        found = scorers.hits(record, linked.get(record.id, ()))
        if found:
            pairs.by_record[record.id].extend(found)
            pairs.versions[record.id] = record.version
        return max((scored for _, scored in found), key=lambda s: s.score, default=None)

    report: dict[str, Any] = {}
    run = _Run(principal, purpose, flight, flight_key, stored, limit, rules, context)

    def store(conn: Connection, hits: Hits, search_seq: int) -> None:
        report.update(_store_run(node, conn, run, hits, pairs))
        queued = {h.record_id for h in report["hits"]}  # not the suppressed ones
        found = [h for h in hits if h.view.id in queued]
        notify_owners(conn, node, principal, purpose, found, search_seq)

    query = {"screening": flight_key, "travellers": len(travellers), "threshold": limit}
    node.gate.match(principal, purpose, sorted(linked), score, query, store)
    return ScreeningReport(
        flight=flight_key,
        run_id=report["run_id"],
        travellers=len(travellers),
        hits=report["hits"],
        suppressed=report["suppressed"],
        threshold=limit,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def _store_run(
    node: Node, conn: Connection, run: _Run, hits: Hits, pairs: _Pairs
) -> dict[str, Any]:
    principal, stored = run.principal, run.stored
    identities = [travel_store.identity_key(s.traveller) for s in stored]
    found: list[tuple[int, Scored, Any]] = [
        (index, scored, hit) for hit in hits for index, scored in pairs.by_record[hit.view.id]
    ]
    suppressed_by = travel_store.suppressions(
        conn, principal.agency, [(identities[i], hit.view.id) for i, _, hit in found]
    )
    results: list[ScreeningHit] = []
    suppressed = 0
    rows: list[dict[str, Any]] = []
    for index, scored, hit in sorted(found, key=lambda f: (f[0], -f[1].score)):
        view = hit.view
        version = pairs.versions[view.id]
        key = (identities[index], view.id)
        status = HitStatus.OPEN
        if key in suppressed_by and suppressed_by[key] == version:
            status = HitStatus.SUPPRESSED
            suppressed += 1
        full = view.access == "full"
        result = ScreeningHit(
            traveller=_label(stored[index].traveller),
            traveller_id=stored[index].id,
            record_id=view.id,
            record_kind=view.kind.value,
            owner=view.owner,
            access=view.access,
            score=round(scored.score, 4),
            reasons=scored.reasons if full else (),
            label=view.label,
            status=status,
            contact=view.contact,
        )
        if status == HitStatus.OPEN:
            results.append(result)
        rows.append(_hit_row(result, principal.agency, run.flight_id, identities[index], version))
    flagged = {b for i, _, _ in found if (b := stored[i].booking_id) is not None}
    for index, rule, result in _rule_hits(run, flagged):
        results.append(result)
        row = _hit_row(result, principal.agency, run.flight_id, identities[index], None)
        rows.append({**row, "match": "rule", "rule_id": rule.id, "rule_version": rule.version})
    seq = audit.append(
        conn,
        node.audit_key,
        audit.AuditEvent(
            principal,
            AuditAction.SCREEN,
            run.purpose,
            {"flight": run.flight_key, "travellers": len(stored), "threshold": run.threshold},
            record_ids=[r.record_id for r in results],
            owners=[r.owner for r in results],
            outcome=f"{len(results)} hit(s), {suppressed} suppressed",
        ),
    )
    run_id = travel_store.insert_run(
        conn,
        {
            "owner": principal.agency,
            "flight_id": run.flight_id,
            "at": node.now(),
            "username": principal.username,
            "purpose": run.purpose.value,
            "threshold": run.threshold,
            "travellers": len(stored),
            "hits": len(results),
            "suppressed": suppressed,
            "audit_seq": seq,
        },
    )
    travel_store.insert_hits(conn, [{**row, "run_id": run_id} for row in rows])
    return {"run_id": run_id, "hits": results, "suppressed": suppressed}


def _rule_hits(run: _Run, flagged: set[int]) -> list[tuple[int, targeting.Rule, ScreeningHit]]:
    """Active targeting rules on every traveller; this run's hits flag their bookings too."""
    if not run.rules:
        return []
    context = run.context
    new_contacts = {
        c for b in flagged if b in context.bookings for c in context.bookings[b].contacts
    }
    context = replace(
        context,
        flagged_bookings=context.flagged_bookings | flagged,
        flagged_contacts=context.flagged_contacts | new_contacts,
    )
    found = []
    for index, item in enumerate(run.stored):
        facts = targeting.traveller_facts(item.traveller, item.booking_id, context)
        for active in targeting.firing(run.rules, facts):
            rule = active.rule
            hit = ScreeningHit(
                traveller=_label(item.traveller),
                traveller_id=item.id,
                record_id=f"rule:{rule.name}:v{rule.version}",
                record_kind="rule",
                owner=run.principal.agency,
                access="full",
                score=1.0,
                reasons=(
                    f"targeting rule '{rule.name}' version {rule.version}: {rule.expression}",
                ),
                label=rule.name,
                status=HitStatus.OPEN,
            )
            found.append((index, rule, hit))
    return found


def _hit_row(
    hit: ScreeningHit, owner: str, flight: int, identity: str, version: int | None
) -> dict[str, Any]:
    return {
        "owner": owner,
        "flight_id": flight,
        "traveller_id": hit.traveller_id,
        "traveller": hit.traveller[:400],
        "identity": identity,
        "record_id": hit.record_id,
        "record_owner": hit.owner,
        "record_kind": hit.record_kind,
        "record_version": version,
        "access": hit.access,
        "match": "document" if hit.record_kind == RecordKind.DOCUMENT.value else "name",
        "score": hit.score,
        "reasons": list(hit.reasons),
        "label": (hit.label or "")[:500] or None,
        "status": hit.status,
    }


def screen_upload(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    upload: Upload,
    threshold: float | None = None,
) -> list[ScreeningReport]:
    """Take in a file (stored whole or not at all), then screen each flight it concerns."""
    admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.SCREEN)
    results = ingest(node, principal, purpose, upload)
    flights = list(dict.fromkeys(r.flight for r in results))
    return [screen_flight(node, principal, purpose, key, threshold) for key in flights]
