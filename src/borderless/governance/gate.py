"""The only way records are read: access policy and audit applied in one place.

Every read — get, list, search, export, and every API endpoint and CLI command built on them —
passes through `RecordGate`. It requires a purpose, checks the role, narrows the SQL to what the
caller's agency may see (`store.records.visibility_clause`), re-checks every row with
`access.access_level`, cuts hit-only and purpose-restricted records down to a reference, and
appends an audit entry naming the records returned, in the same breath.

Browsing (`list`, `export`) returns only records the caller may see whole; a `search` also
returns references to matching hit-only records, because a hit is exactly what hit-only
dissemination is meant to reveal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Connection, Engine, and_, not_

from borderless.domain.agencies import Agency, Principal
from borderless.domain.codes import AuditAction, Purpose, RecordKind
from borderless.domain.records import Governance, Record, Source
from borderless.errors import NotFound, PermissionDenied, PurposeRequired
from borderless.governance import audit
from borderless.governance.access import Access, access_level, viewer_targets
from borderless.governance.roles import Permission, allowed
from borderless.store import directory
from borderless.store import messaging as messaging_store
from borderless.store import records as store
from borderless.store import search as search_store
from borderless.store.db import reading
from borderless.store.records import RecordFilter


class RecordView(BaseModel):
    """A record as one caller may see it: whole, or only as a reference to its owner."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: RecordKind
    owner: str
    owner_country: str
    owner_name: str
    access: Literal["full", "reference"]
    label: str | None = None
    governance: Governance | None = None
    source: Source | None = None
    body: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int | None = None
    contact: str | None = None  # for references: whom to ask for the content


# A matcher's verdict on one record: a score in [0, 1] and its reasons (None: not a hit).
Scorer = Callable[[Record], "Scored | None"]


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoredView:
    """A hit as the caller may see it: references carry the score but no reasons or content."""

    view: RecordView
    score: float
    reasons: tuple[str, ...]


Hits = list[ScoredView]  # (a module-level alias: inside RecordGate, `list` is a method)
Related = Callable[[Connection, Hits], Sequence[str]]


@dataclass(frozen=True)
class Matched:
    """What `RecordGate.match` found: the hits (best first), the records read for them
    (`related`, as the caller may see them) and the seq of the one audit entry for both."""

    hits: Hits
    related: list[RecordView]
    seq: int


@dataclass(frozen=True)
class Page:
    items: list[RecordView]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.items)
        return end if end < self.total else None


def to_view(record: Record, level: Access, agency: Agency) -> RecordView:
    base = {
        "id": record.id,
        "kind": record.kind,
        "owner": record.owner,
        "owner_country": agency.country,
        "owner_name": agency.name,
    }
    if level == Access.REFERENCE:
        return RecordView(
            **base,
            access="reference",
            contact=f"Content withheld by its owner: request it from {agency.name} "
            f"({agency.code}, {agency.country}) quoting reference {record.id}.",
        )
    return RecordView(
        **base,
        access="full",
        label=record.label,
        governance=record.governance,
        source=record.source,
        body=record.body.model_dump(mode="json", exclude_none=True),
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=record.version,
    )


class RecordGate:
    def __init__(self, engine: Engine, audit_key: bytes, today: Callable[[], date]) -> None:
        self._engine = engine
        self._key = audit_key
        self._today = today
        self._agencies: dict[str, Agency] = {}

    def _agencies_for(self, conn: Connection, codes: set[str]) -> dict[str, Agency]:
        """Owner agencies for views; agencies are never renamed, so a cache reloaded on a miss."""
        if not codes <= self._agencies.keys():
            self._agencies = {a.code: a for a in directory.list_agencies(conn)}
        return self._agencies

    # --- checks shared by every read ---------------------------------------------------------

    def _admit(self, principal: Principal, purpose: Purpose | None, action: AuditAction) -> Purpose:
        if purpose is None:
            raise PurposeRequired("state a purpose from the fixed list: " + _purposes())
        if not allowed(principal, Permission.READ_RECORDS):
            self._deny(principal, purpose, action, "role may not read records")
        return purpose

    def _deny(
        self, principal: Principal, purpose: Purpose | None, action: AuditAction, why: str
    ) -> None:
        with self._engine.begin() as conn:
            audit.append(
                conn,
                self._key,
                audit.AuditEvent(
                    principal, AuditAction.DENIED, purpose, {"attempted": action.value}, outcome=why
                ),
            )
        raise PermissionDenied(f"{principal.username} ({principal.role.value}): {why}")

    def _visible(self, principal: Principal, purpose: Purpose, browse: bool) -> ColumnElement[bool]:
        clause = store.visibility_clause(principal.agency, viewer_targets(principal), self._today())
        if browse:
            clause = and_(clause, not_(store.references_clause(principal.agency, purpose)))
        return clause

    def _views(
        self, conn: Connection, principal: Principal, purpose: Purpose, found: Sequence[Record]
    ) -> list[RecordView]:
        agencies = self._agencies_for(conn, {r.owner for r in found})
        views = []
        for record in found:
            level = access_level(principal, record, purpose, self._today())
            if level != Access.NONE:  # the SQL clause already excluded these; belt and braces
                views.append(to_view(record, level, agencies[record.owner]))
        return views

    def _record(
        self,
        conn: Connection,
        principal: Principal,
        purpose: Purpose,
        action: AuditAction,
        query: dict[str, Any],
        returned: Sequence[RecordView] | Sequence[Record],
    ) -> None:
        """Audit what left the gate (ids and owners, never content), in chunks for exports."""
        for start in range(0, max(len(returned), 1), audit.AUDIT_CHUNK):
            chunk = returned[start : start + audit.AUDIT_CHUNK]
            audit.append(
                conn,
                self._key,
                audit.AuditEvent(
                    principal,
                    action,
                    purpose,
                    query,
                    record_ids=[r.id for r in chunk],
                    owners=[r.owner for r in chunk],
                    outcome=f"{len(returned)} returned",
                ),
            )

    # --- reads -------------------------------------------------------------------------------

    def get(self, principal: Principal, purpose: Purpose | None, record_id: str) -> RecordView:
        checked = self._admit(principal, purpose, AuditAction.VIEW)
        with self._engine.begin() as conn:
            found = store.select_rows(
                conn, RecordFilter(ids=[record_id]), self._visible(principal, checked, browse=False)
            )
            views = self._views(conn, principal, checked, found)
            self._record(conn, principal, checked, AuditAction.VIEW, {"id": record_id}, views)
        if not views:
            raise NotFound(f"no record {record_id} that agency {principal.agency} may see")
        return views[0]

    def _page(
        self,
        principal: Principal,
        purpose: Purpose | None,
        flt: RecordFilter,
        window: tuple[int, int],
        action: AuditAction,
    ) -> Page:
        checked = self._admit(principal, purpose, action)
        offset, limit = window
        visible = self._visible(principal, checked, browse=action != AuditAction.SEARCH)
        with self._engine.begin() as conn:
            total = store.count_rows(conn, flt, visible)
            found = store.select_rows(conn, flt, visible, offset, limit)
            views = self._views(conn, principal, checked, found)
            self._record(conn, principal, checked, action, _describe(flt, offset, limit), views)
        return Page(views, total, offset, limit)

    def list(
        self,
        principal: Principal,
        purpose: Purpose | None,
        flt: RecordFilter,
        window: tuple[int, int] = (0, 100),
    ) -> Page:
        """Browse records the caller may see whole, a page at a time."""
        return self._page(principal, purpose, flt, window, AuditAction.LIST)

    def search(
        self,
        principal: Principal,
        purpose: Purpose | None,
        flt: RecordFilter,
        window: tuple[int, int] = (0, 100),
    ) -> Page:
        """Find records matching `flt`, with references to matching hit-only records."""
        return self._page(principal, purpose, flt, window, AuditAction.SEARCH)

    def count_visible(self, principal: Principal, keys: Sequence[str]) -> dict[str, int]:
        """How many records the principal's agency may find hold each search key (up to
        `store.search.NAMESAKES_CAP`), to weigh how common a name is. Counted among those
        records only, so that no score or reason reveals a record the agency could not find."""
        viewer = (principal.agency, frozenset(viewer_targets(principal)), self._today())
        with reading(self._engine) as conn:
            return search_store.visible_key_counts(conn, keys, viewer)

    def match(
        self,
        principal: Principal,
        purpose: Purpose | None,
        candidate_ids: Sequence[str],
        scorer: Scorer,
        query: dict[str, Any],
        then: Callable[[Connection, Hits, int], None] | None = None,
        batch: int | None = None,
        related: Related | None = None,
        patience: int = 1,
    ) -> Matched:
        """Score candidates on their full content, return what the caller may see of the hits.

        Matching must see a hit-only record's content to know it is a hit; what leaves is only
        the reference and the score. `then` runs in the transaction that writes the audit
        entry (e.g. notifying owners), so both commit or neither. `related` names records to
        read for the hits (the notices about them), in the same snapshot, under the same rules
        and in the same audit entry.

        With `batch`, the candidates are ranked best first and are scored `batch` at a time,
        stopping at a batch without a hit (or, while nothing was found, after `patience` such
        batches in a row): a run of namesakes is read on, a ranking that has stopped yielding
        hits is not.
        """
        checked = self._admit(principal, purpose, AuditAction.SEARCH)
        visible = self._visible(principal, checked, browse=False)
        size = batch or 500
        hits: Hits = []
        # Read and score in a snapshot, so that concurrent searches do not queue behind one
        # another's write lock; then one short transaction writes the audit entry (and what
        # `then` adds) before any hit leaves.
        with reading(self._engine) as reader:
            for number, start in enumerate(range(0, len(candidate_ids), size), 1):
                ids = candidate_ids[start : start + size]
                before = len(hits)
                for record, level, agency in self._readable(
                    reader, principal, checked, visible, ids
                ):
                    scored = scorer(record)
                    if scored is None:
                        continue
                    reasons = scored.reasons if level == Access.FULL else ()
                    hits.append(ScoredView(to_view(record, level, agency), scored.score, reasons))
                # a batch without a hit ends a run of namesakes; with none yet, `patience` do
                if batch is not None and len(hits) == before and (hits or number >= patience):
                    break
            hits.sort(key=lambda h: (-h.score, h.view.id))
            ids = related(reader, hits) if related is not None and hits else ()
            views = [
                to_view(record, level, agency)
                for record, level, agency in self._readable(
                    reader, principal, checked, visible, ids
                )
            ]
        with self._engine.begin() as conn:
            seq = audit.append(
                conn,
                self._key,
                audit.AuditEvent(
                    principal,
                    AuditAction.SEARCH,
                    checked,
                    query,
                    record_ids=[h.view.id for h in hits] + [v.id for v in views],
                    owners=[h.view.owner for h in hits] + [v.owner for v in views],
                    outcome=f"{len(hits)} hit(s)" + (f", {len(views)} related" if views else ""),
                ),
            )
            if then is not None:
                then(conn, hits, seq)
        return Matched(hits, views, seq)

    def _readable(
        self,
        reader: Connection,
        principal: Principal,
        checked: Purpose,
        visible: ColumnElement[bool],
        ids: Sequence[str],
    ) -> Iterator[tuple[Record, Access, Agency]]:
        """The records among `ids` the caller may see at all, with how much and their owner."""
        if not ids:
            return
        found = store.select_rows(reader, RecordFilter(ids=list(ids)), visible)
        agencies = self._agencies_for(reader, {r.owner for r in found})
        for record in found:
            level = access_level(principal, record, checked, self._today())
            if level != Access.NONE:
                yield record, level, agencies[record.owner]

    def export(
        self, principal: Principal, purpose: Purpose | None, flt: RecordFilter
    ) -> Iterator[Record]:
        """Stream whole records the caller may see, audited chunk by chunk as they leave."""
        checked = self._admit(principal, purpose, AuditAction.EXPORT)
        if not allowed(principal, Permission.EXPORT):
            self._deny(principal, checked, AuditAction.EXPORT, "role may not export")
        visible = self._visible(principal, checked, browse=True)
        with reading(self._engine) as reader:
            for chunk in store.iter_rows(reader, flt, visible, chunk=audit.AUDIT_CHUNK):
                allowed_records = [
                    r
                    for r in chunk
                    if access_level(principal, r, checked, self._today()) == Access.FULL
                ]
                with self._engine.begin() as conn:
                    self._record(
                        conn,
                        principal,
                        checked,
                        AuditAction.EXPORT,
                        _describe(flt),
                        allowed_records,
                    )
                yield from allowed_records

    def released(
        self, principal: Principal, purpose: Purpose | None, record_id: str
    ) -> ReleasedView:
        """What an owner released to the caller's agency after a hit follow-up.

        Exactly the top-level body fields its grants name, to exactly the agency they name; no
        grant means nothing (as if absent). The record must still be visible at least as a
        reference (rule 2, retention, still applies). Audited like every read, with the fields.
        """
        checked = self._admit(principal, purpose, AuditAction.RELEASE)
        visible = self._visible(principal, checked, browse=False)
        with self._engine.begin() as conn:
            fields = messaging_store.granted_fields(conn, record_id, principal.agency)
            found = (
                store.select_rows(conn, RecordFilter(ids=[record_id]), visible)
                if fields is not None
                else []
            )
            record = found[0] if found else None
            level = (
                access_level(principal, record, checked, self._today())
                if record is not None
                else Access.NONE
            )
            view = None
            if record is not None and fields is not None and level != Access.NONE:
                owner = self._agencies_for(conn, {record.owner})[record.owner]
                body = record.body.model_dump(mode="json", exclude_none=True)
                view = ReleasedView(
                    id=record.id,
                    kind=record.kind,
                    owner=record.owner,
                    owner_country=owner.country,
                    owner_name=owner.name,
                    handling=record.governance.handling.value,
                    handling_note=record.governance.handling_note,
                    fields=sorted(fields),
                    body={k: v for k, v in body.items() if k in fields},
                )
            audit.append(
                conn,
                self._key,
                audit.AuditEvent(
                    principal,
                    AuditAction.RELEASE,
                    checked,
                    {"id": record_id, "fields": sorted(fields or ())},
                    record_ids=[view.id] if view else [],
                    owners=[view.owner] if view else [],
                    outcome="released" if view else "nothing released",
                ),
            )
        if view is None:
            raise NotFound(f"nothing of record {record_id} was released to {principal.agency}")
        return view


class ReleasedView(BaseModel):
    """The part of a record its owner released to one agency after a follow-up request."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: RecordKind
    owner: str
    owner_country: str
    owner_name: str
    handling: str  # how the recipient may use it (the owner's handling code)
    handling_note: str | None = None
    fields: list[str]  # the granted top-level body fields
    body: dict[str, Any]  # only those fields


def _describe(flt: RecordFilter, offset: int = 0, limit: int | None = None) -> dict[str, Any]:
    described: dict[str, Any] = {k: v for k, v in vars(flt).items() if v not in (None, (), [], "")}
    if "kinds" in described:
        described["kinds"] = [k.value for k in described["kinds"]]
    if "ids" in described:
        described["ids"] = list(described["ids"])
    if offset or limit is not None:
        described.update(offset=offset, limit=limit)
    return described


def _purposes() -> str:
    return ", ".join(p.value for p in Purpose)
