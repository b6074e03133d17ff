"""Frontline search: one query against every record kind the caller's agency may see.

Flow: the query's parts give blocking keys (`index.keys`) and, for a face or fingerprint, a
vector search (`index.vectors`); the candidates are scored on their content by the matchers
inside the gate (`RecordGate.match`), which returns whole hits with reasons, or references for
hit-only records; linked notices add the action they request; the owners of hit records are
notified. The search is audited with its purpose like every read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import (
    DocumentStatus,
    FirearmStatus,
    NoticeKind,
    NoticeStatus,
    Purpose,
    RecordKind,
    VehicleStatus,
)
from borderless.domain.records import (
    AccountBody,
    BiometricBody,
    DocumentBody,
    FirearmBody,
    NoticeBody,
    PersonBody,
    Record,
    VehicleBody,
)
from borderless.governance.gate import RecordView, Scored, ScoredView
from borderless.index import keys as key_index
from borderless.matching.names import compare_names
from borderless.matching.person import DEFAULT_THRESHOLD, PersonQuery, person_hit
from borderless.normalize.identifiers import (
    compare_document_numbers,
    normalize_document_number,
    normalize_plate,
    normalize_vin,
)
from borderless.normalize.mrz import MrzResult, parse_mrz
from borderless.services.node import Node
from borderless.services.notifications import notify_owners
from borderless.services.search_query import HitOut, SearchRequest, SearchResponse
from borderless.store import search as search_store
from borderless.store.db import reading

# The best-ranked candidates of each kind (names, identifiers) the matchers may score, a batch
# at a time, the next batch only while the last one still yielded hits (a run of namesakes).
# A birth date ranks the right namesake first (`ny:` keys), so a dated query looks less far at
# first; measured on the demo world (docs/benchmarks.md), neither loses a hit that 200 finds.
# A dated query reads past an empty first batch: since conflicting names are no hits, it is
# empty more often, and stopping there lost variants ranked below it (demo world of 100,000:
# 2 points of recall of planted variants queried with their date).
CANDIDATES = 200
BATCH_DATED = 40
BATCH_UNDATED = 120
PATIENCE_DATED = 2
IDENTIFIER_THRESHOLD = 0.6

NOTICE_ACTIONS: dict[NoticeKind, str] = {
    NoticeKind.RED: "locate and arrest with a view to extradition",
    NoticeKind.YELLOW: "locate a missing person",
    NoticeKind.BLUE: "collect information on identity, location or activities",
    NoticeKind.BLACK: "identify an unidentified body",
    NoticeKind.GREEN: "warning: criminal activities of this person",
    NoticeKind.ORANGE: "warning: imminent threat",
    NoticeKind.PURPLE: "modus operandi information",
    NoticeKind.UNSC: "apply UN Security Council sanctions (asset freeze, travel ban, arms embargo)",
}
SEIZE_DOCUMENT = {
    DocumentStatus.STOLEN,
    DocumentStatus.LOST,
    DocumentStatus.REVOKED,
    DocumentStatus.STOLEN_BLANK,
}
SEIZE_VEHICLE = {VehicleStatus.STOLEN, VehicleStatus.WANTED}
SEIZE_FIREARM = {FirearmStatus.LOST, FirearmStatus.STOLEN, FirearmStatus.TRAFFICKED}


@dataclass(frozen=True)
class Hit:
    hit: ScoredView
    actions: tuple[str, ...]
    notices: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    threshold: float
    mrz: MrzResult | None
    took_ms: float


# --- scoring one record against the query -------------------------------------------------


@dataclass
class QueryPlan:
    """The query, prepared once: its keys and the scorer for each record kind."""

    request: SearchRequest
    mrz: MrzResult | None
    person: PersonQuery | None
    keys: dict[str, int]  # blocking key -> the part of the query it comes from
    threshold: float


def plan_query(request: SearchRequest, threshold: float) -> QueryPlan:
    """Prepare a query once: its MRZ read, its person, its blocking keys (screening reuses it)."""
    mrz = parse_mrz(request.document.mrz) if request.document and request.document.mrz else None
    person = None
    if request.person is not None:
        person = PersonQuery(
            name=request.person.full_name or "",
            birth_date=request.person.birth_date,
            nationality=request.person.nationality,
            gender=request.person.gender,
        )
    elif mrz is not None:
        person = PersonQuery(
            name=f"{mrz.given_names} {mrz.surname}".strip(),
            birth_date=mrz.birth_date,
            nationality=mrz.nationality,
            gender=None,
        )
    identifiers = key_index.number_keys("doc", _document_numbers(request, mrz))
    if request.vehicle:
        if request.vehicle.vin:
            identifiers.add(key_index.vin_key(request.vehicle.vin))
        if request.vehicle.plate:
            identifiers.add(key_index.plate_key(request.vehicle.plate))
    if request.firearm:
        identifiers |= key_index.number_keys("ser", [request.firearm.serial])
    if request.account:
        identifiers |= key_index.account_keys(request.account.iban, request.account.number)
    keys = (
        dict(key_index.person_key_parts(person.name, person.birth_date))
        if person is not None
        else {}
    )
    keys.update(dict.fromkeys(identifiers, key_index.IDENTIFIER_PART))
    return QueryPlan(request, mrz, person, keys, threshold)


def namesake_keys(plan: QueryPlan) -> list[str]:
    """The keys whose counts say how common the queried name is (`index.keys.count_namesakes`)."""
    return sorted(key for key, part in plan.keys.items() if part == key_index.PAIR_PART)


def with_namesakes(plan: QueryPlan, counts: Mapping[str, int]) -> QueryPlan:
    """The plan with its person's namesakes counted (`index.keys.count_namesakes`) from the
    counts of its keys, among the records the caller may find (`RecordGate.count_visible`):
    a common name counts for less unless the date singles one out."""
    if plan.person is None:
        return plan
    namesakes = key_index.count_namesakes(counts.get(k, 0) for k in namesake_keys(plan))
    return replace(plan, person=replace(plan.person, namesakes=namesakes))


def _document_numbers(request: SearchRequest, mrz: MrzResult | None) -> list[str]:
    numbers = [request.document.number] if request.document and request.document.number else []
    if mrz is not None:
        numbers.append(mrz.document_number)
    return numbers


def _score_person(plan: QueryPlan, body: PersonBody) -> Scored | None:
    if plan.person is None:
        return None
    match = person_hit(plan.person, body, plan.threshold)
    if match is None:
        return None
    return Scored(match.score, tuple(r.detail for r in match.reasons))


def _score_document(plan: QueryPlan, body: DocumentBody) -> Scored | None:
    best = max(
        (
            compare_document_numbers(n, body.number)
            for n in _document_numbers(plan.request, plan.mrz)
        ),
        key=lambda m: m.score,
        default=None,
    )
    if best is None or best.score < IDENTIFIER_THRESHOLD:
        return None
    reasons = [f"document number {best.detail}"]
    score = best.score
    wanted = plan.request.document.country if plan.request.document else None
    wanted = wanted or (plan.mrz.issuing_country if plan.mrz else None)
    if wanted and body.issuing_country:
        if wanted == body.issuing_country:
            reasons.append(f"issuing country {wanted} agrees")
        else:
            score *= 0.5
            reasons.append(
                f"issuing country differs: {wanted} asked, {body.issuing_country} on record"
            )
    reasons.append(f"document status: {body.status.value}")
    return Scored(score, tuple(reasons)) if score >= IDENTIFIER_THRESHOLD else None


def _score_vehicle(plan: QueryPlan, body: VehicleBody) -> Scored | None:
    query = plan.request.vehicle
    if query is None:
        return None
    if query.vin and body.vin and normalize_vin(query.vin) == normalize_vin(body.vin):
        return Scored(
            1.0, (f"VIN {normalize_vin(body.vin)} identical", f"status: {body.status.value}")
        )
    if query.plate and body.plate and normalize_plate(query.plate) == normalize_plate(body.plate):
        if query.country and body.plate_country and query.country != body.plate_country:
            return Scored(
                0.5, (f"plate {body.plate} identical but registered in {body.plate_country}",)
            )
        return Scored(
            0.95,
            (
                f"plate {body.plate} ({body.plate_country or '?'}) identical",
                f"status: {body.status.value}",
            ),
        )
    return None


def _score_firearm(plan: QueryPlan, body: FirearmBody) -> Scored | None:
    query = plan.request.firearm
    if query is None:
        return None
    match = compare_document_numbers(query.serial, body.serial_number)
    if match.score < IDENTIFIER_THRESHOLD:
        return None
    reasons = [f"serial number {match.detail}", f"status: {body.status.value}"]
    score = match.score
    if query.make and body.make:
        if query.make.strip().lower() == body.make.strip().lower():
            reasons.append(f"make {body.make} agrees")
        else:
            score *= 0.7
            reasons.append(f"make differs: {query.make} asked, {body.make} on record")
    return Scored(score, tuple(reasons))


def _score_account(plan: QueryPlan, body: AccountBody) -> Scored | None:
    query = plan.request.account
    if query is None:
        return None
    if (
        query.iban
        and body.iban
        and normalize_document_number(query.iban) == normalize_document_number(body.iban)
    ):
        return Scored(1.0, (f"IBAN {body.iban} identical",))
    if (
        query.number
        and body.number
        and normalize_document_number(query.number) == normalize_document_number(body.number)
    ):
        return Scored(
            0.9,
            (f"account number {body.number} identical ({body.institution or body.bic or '?'})",),
        )
    return None


def _score_notice(plan: QueryPlan, body: NoticeBody) -> Scored | None:
    if plan.person is None or not body.subject_name:
        return None
    match = compare_names(plan.person.name, body.subject_name)
    if match.score < plan.threshold:
        return None
    return Scored(match.score, tuple(r.detail for r in match.reasons))


def record_scorer(
    plan: QueryPlan, vector_hits: dict[str, float]
) -> Callable[[Record], Scored | None]:
    """The scorer of each record kind for this query: the one the search and screening use."""

    def score(record: Record) -> Scored | None:
        body = record.body
        match body:
            case PersonBody():
                return _score_person(plan, body)
            case DocumentBody():
                return _score_document(plan, body)
            case VehicleBody():
                return _score_vehicle(plan, body)
            case FirearmBody():
                return _score_firearm(plan, body)
            case AccountBody():
                return _score_account(plan, body)
            case NoticeBody():
                return _score_notice(plan, body)
            case BiometricBody():
                similarity = vector_hits.get(record.id)
                if similarity is None:
                    return None
                return Scored(
                    max(0.0, similarity),
                    (
                        f"{body.modality.value} template similarity {similarity:.3f} "
                        "(a candidate for an examiner, not an identification)",
                    ),
                )
        return None

    return score


# --- actions and notices -------------------------------------------------------------------


def _actions(hit: ScoredView) -> tuple[str, ...]:
    body = hit.view.body
    if body is None:
        return (f"request the record from {hit.view.owner_name} ({hit.view.owner})",)
    status = body.get("status")
    kind = hit.view.kind
    if kind == RecordKind.DOCUMENT and status in SEIZE_DOCUMENT:
        return (f"seize the document ({status}) and inform {hit.view.owner}",)
    if kind == RecordKind.VEHICLE and status in SEIZE_VEHICLE:
        return (f"seize the vehicle ({status}) and inform {hit.view.owner}",)
    if kind == RecordKind.FIREARM and status in SEIZE_FIREARM:
        return (f"seize the firearm ({status}) and inform {hit.view.owner}",)
    if kind == RecordKind.NOTICE:
        return (_notice_action(body),) if _published(body) else ()
    return ()


def _published(body: dict[str, Any]) -> bool:
    return body.get("status") == NoticeStatus.PUBLISHED.value


def _notice_action(body: dict[str, Any]) -> str:
    kind = NoticeKind(body["notice_kind"])
    return f"{kind.value} notice: {body.get('requested_action') or NOTICE_ACTIONS[kind]}"


class LinkedNotices:
    """Notices about the hits the caller gets (the best `limit`), read in the search's own
    gate call (`related`): one snapshot, the same rules, one audit entry."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.links: dict[str, list[str]] = {}

    def __call__(self, conn: Connection, hits: list[ScoredView]) -> list[str]:
        targets = [h.view.id for h in hits[: self.limit] if h.view.access == "full"]
        self.links = search_store.linking(conn, targets, RecordKind.NOTICE)
        return sorted({n for ids in self.links.values() for n in ids})

    def by_hit(self, views: list[RecordView]) -> dict[str, list[dict[str, Any]]]:
        by_id = {v.id: v for v in views if v.access == "full" and v.body}
        result: dict[str, list[dict[str, Any]]] = {}
        for target, ids in self.links.items():
            for nid in ids:
                view = by_id.get(nid)
                # only a published notice asks anything of a frontline officer
                if view is not None and view.body is not None and _published(view.body):
                    result.setdefault(target, []).append(
                        {
                            "id": nid,
                            "owner": view.owner,
                            "notice_kind": view.body["notice_kind"],
                            "status": view.body.get("status"),
                            "requested_action": _notice_action(view.body),
                        }
                    )
        return result


# --- the use case -------------------------------------------------------------------------


def _batching(plan: QueryPlan) -> tuple[int, int]:
    """The batch size, and how many empty batches in a row end the reading."""
    dated = plan.person is not None and plan.person.birth_date is not None
    return (BATCH_DATED, PATIENCE_DATED) if dated else (BATCH_UNDATED, 1)


def _describe(request: SearchRequest) -> dict[str, Any]:
    """What was asked, for the audit log (a biometric vector is summarised, not stored)."""
    described = request.model_dump(mode="json", exclude_none=True)
    if request.biometric is not None:
        described["biometric"]["vector"] = f"<{len(request.biometric.vector)}-d vector>"
    return described


def search(
    node: Node, principal: Principal, purpose: Purpose | None, request: SearchRequest
) -> SearchResult:
    started = time.perf_counter()
    configured = node.settings.hit_threshold
    threshold = next(t for t in (request.threshold, configured, DEFAULT_THRESHOLD) if t is not None)
    plan = plan_query(request, threshold)
    with reading(node.engine) as conn:
        ids = search_store.candidates(conn, plan.keys, CANDIDATES)
    if namesakes := namesake_keys(plan):
        plan = with_namesakes(plan, node.gate.count_visible(principal, namesakes))
    vector_hits: dict[str, float] = {}
    if request.biometric is not None:
        probe = request.biometric
        found = node.vectors.search(
            node.engine, probe.modality, probe.algorithm, probe.vector, request.limit
        )
        vector_hits = {c.record_id: c.similarity for c in found}
        ids = list(dict.fromkeys([*vector_hits, *ids]))

    def notify(conn: Connection, found: list[ScoredView], seq: int) -> None:
        notify_owners(conn, node, principal, purpose, found[: request.limit], seq)

    scorer = record_scorer(plan, vector_hits)
    linked = LinkedNotices(request.limit)
    batch, patience = _batching(plan)
    matched = node.gate.match(
        principal,
        purpose,
        ids,
        scorer,
        _describe(request),
        notify,
        batch=batch,
        patience=patience,
        related=linked,
    )
    hits = matched.hits[: request.limit]
    notices = linked.by_hit(matched.related)
    result = [
        Hit(
            hit=h,
            actions=_actions(h) + tuple(n["requested_action"] for n in notices.get(h.view.id, [])),
            notices=tuple(notices.get(h.view.id, [])),
        )
        for h in hits
    ]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(result, threshold, plan.mrz, took)


def to_response(result: SearchResult) -> SearchResponse:
    hits = []
    for item in result.hits:
        view = item.hit.view
        hits.append(
            HitOut(
                id=view.id,
                kind=view.kind.value,
                owner=view.owner,
                owner_country=view.owner_country,
                owner_name=view.owner_name,
                access=view.access,
                score=round(item.hit.score, 4),
                reasons=list(item.hit.reasons),
                actions=list(item.actions),
                notices=list(item.notices),
                label=view.label,
                source=view.source.model_dump(mode="json") if view.source else None,
                record=view.body,
                contact=view.contact,
            )
        )
    mrz = asdict(result.mrz) if result.mrz is not None else None
    return SearchResponse(
        hits=hits, threshold=result.threshold, took_ms=round(result.took_ms, 2), mrz=mrz
    )
