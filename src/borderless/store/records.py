"""Raw record storage. Reads here are ungoverned: only `governance.gate` may call them.

(`tests/governance/test_layering.py` checks that no other module reads records through this
module, so access policy and audit cannot be bypassed by a new service or endpoint.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)

from borderless.domain.codes import Dissemination, Purpose, RecordKind
from borderless.domain.records import (
    BODY_TYPES,
    Governance,
    Record,
    RecordBody,
    Source,
    share_targets,
)
from borderless.index.keys import record_keys
from borderless.store.schema import (
    datasets,
    record_links,
    record_shares,
    records,
    search_keys,
    vector_changes,
)

_GOVERNANCE_COLUMNS = (
    "handling",
    "handling_note",
    "reliability",
    "accuracy",
    "dissemination",
    "share_countries",
    "share_agencies",
    "purposes",
    "retention_until",
)


# Bodies are read as their stored JSON text and parsed once per distinct text: searches read
# the same records (namesakes of common names) again and again, and a parsed body is immutable
# (frozen models), so the same text is the same body whatever was written since. Governance
# and the other columns are read fresh every time.
BODY_CACHE = 32_768
_READ_COLUMNS = (
    *(c for c in records.c if c.name != "body"),
    cast(records.c.body, Text).label("body"),
)


def _parse_body_json(kind: RecordKind, text: str) -> RecordBody:
    # no dict in between; the registry maps each kind to its body type (as in `parse_body`)
    return BODY_TYPES[kind].model_validate_json(text)  # type: ignore[return-value]


# Searches go through the cache; streams (exports, key rebuilds) read each record once and
# would only push the searches' namesakes out of it.
_parse_body_cached = lru_cache(maxsize=BODY_CACHE)(_parse_body_json)


@lru_cache(maxsize=4096)  # records share a few hundred governance settings
def _parse_governance(values: tuple[Any, ...]) -> Governance:
    fields = zip(_GOVERNANCE_COLUMNS, values, strict=True)
    return Governance.model_validate({k: list(v) if isinstance(v, tuple) else v for k, v in fields})


def _governance(row: Any) -> Governance:
    values = (row[k] for k in _GOVERNANCE_COLUMNS)
    return _parse_governance(tuple(tuple(v) if isinstance(v, list) else v for v in values))


@dataclass(frozen=True)
class RecordFilter:
    """What a list, search or export asks for; every field narrows the result."""

    kinds: Sequence[RecordKind] = ()
    owner: str | None = None
    ids: Sequence[str] = ()
    source_dataset: str | None = None
    source_id: str | None = None
    text: str | None = None  # case-insensitive substring of the label


def record_to_row(record: Record) -> dict[str, Any]:
    gov = record.governance.model_dump(mode="json")
    return {
        "id": record.id,
        "kind": record.kind.value,
        "owner": record.owner,
        "label": record.label[:500],
        **{k: gov[k] for k in _GOVERNANCE_COLUMNS},
        "retention_until": record.governance.retention_until,
        "source_dataset": record.source.dataset if record.source else None,
        "source_id": record.source.source_id if record.source else None,
        "source_version": record.source.version if record.source else None,
        "body": record.body.model_dump(mode="json", exclude_none=True),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "version": record.version,
    }


def row_to_record(
    row: Any, parse: Callable[[RecordKind, str], RecordBody] = _parse_body_cached
) -> Record:
    """A stored record read with `_READ_COLUMNS`. Its parts are parsed; the envelope's
    cross-field checks ran on writing."""
    m = row._mapping
    kind = RecordKind(m["kind"])
    source = (
        Source(dataset=m["source_dataset"], source_id=m["source_id"], version=m["source_version"])
        if m["source_dataset"]
        else None
    )
    return Record.model_construct(
        id=m["id"],
        kind=kind,
        owner=m["owner"],
        governance=_governance(m),
        body=parse(kind, m["body"]),
        source=source,
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        version=m["version"],
    )


def record_targets(record: Record) -> list[str]:
    """The `record_shares` rows of a record: who it is shared with, and its purposes."""
    purposes = (f"P:{p.value}" for p in record.governance.purposes)
    return sorted(share_targets(record) | set(purposes))


def record_digest(record: Record) -> str:
    return content_digest(record_to_row(record))


@dataclass
class _Derived:
    """Rows derived from records: access index, links, search keys, vector changes."""

    shares: list[dict[str, str]]
    links: list[dict[str, str]]
    keys: list[dict[str, str]]
    vectors: list[dict[str, str]]

    def insert(self, conn: Connection) -> None:
        for table, rows in (
            (record_shares, self.shares),
            (record_links, self.links),
            (search_keys, self.keys),
            (vector_changes, self.vectors),
        ):
            if rows:
                conn.execute(insert(table), rows)


def _derived_rows(batch: Sequence[Record]) -> _Derived:
    shares = [{"record_id": r.id, "target": t} for r in batch for t in record_targets(r)]
    links = [
        {"src_id": r.id, "role": role, "dst_id": dst}
        for r in batch
        for role, dst in dict.fromkeys(r.body.links())
    ]
    keys = [{"key": k, "record_id": r.id} for r in batch for k in sorted(record_keys(r))]
    vectors = [{"record_id": r.id, "op": "upsert"} for r in batch if r.kind == RecordKind.BIOMETRIC]
    return _Derived(shares, links, keys, vectors)


def insert_records(conn: Connection, batch: Sequence[Record]) -> None:
    if not batch:
        return
    conn.execute(insert(records), [record_to_row(r) for r in batch])
    _derived_rows(batch).insert(conn)


def replace_record(conn: Connection, record: Record, expected_version: int) -> bool:
    """Overwrite a record if it is still at `expected_version`; False if somebody changed it."""
    row = record_to_row(record)
    done = conn.execute(
        update(records)
        .where(records.c.id == record.id, records.c.version == expected_version)
        .values({k: v for k, v in row.items() if k not in ("id", "created_at")})
    )
    if done.rowcount != 1:
        return False
    _delete_derived(conn, [record.id])
    _derived_rows([record]).insert(conn)
    return True


def _delete_derived(conn: Connection, ids: Sequence[str]) -> None:
    conn.execute(delete(record_shares).where(record_shares.c.record_id.in_(ids)))
    conn.execute(delete(record_links).where(record_links.c.src_id.in_(ids)))
    conn.execute(delete(search_keys).where(search_keys.c.record_id.in_(ids)))


def delete_records(conn: Connection, ids: Sequence[str]) -> int:
    """Remove records and everything derived from them (shares, links from them)."""
    removed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        templates = conn.execute(
            select(records.c.id).where(
                records.c.id.in_(chunk), records.c.kind == RecordKind.BIOMETRIC.value
            )
        ).scalars()
        gone = [{"record_id": rid, "op": "delete"} for rid in templates]
        if gone:
            conn.execute(insert(vector_changes), gone)
        _delete_derived(conn, chunk)
        removed += conn.execute(delete(records).where(records.c.id.in_(chunk))).rowcount
    return removed


def visibility_clause(agency: str, targets: AbstractSet[str], today: date) -> ColumnElement[bool]:
    """SQL twin of `governance.access.access_level` >= REFERENCE (see that module)."""
    shared = _has_target(record_shares.c.target.in_(sorted(targets)))
    restricted = or_(
        records.c.kind == RecordKind.CASE.value,
        records.c.dissemination == Dissemination.LISTED.value,
    )
    return or_(
        records.c.owner == agency,
        and_(records.c.retention_until >= today, or_(not_(restricted), shared)),
    )


def _has_target(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(record_shares.c.record_id == records.c.id, condition)


def references_clause(agency: str, purpose: Purpose) -> ColumnElement[bool]:
    """Records that are at most a reference to `agency` for `purpose`: browsing leaves them out.

    SQL twin of rules 5 and 6 of `governance.access`: hit-only, or restricted to purposes
    (``P:`` rows in `record_shares`) that do not include this one.
    """
    purpose_restricted = and_(
        _has_target(record_shares.c.target.like("P:%")),
        not_(_has_target(record_shares.c.target == f"P:{purpose.value}")),
    )
    return and_(
        records.c.owner != agency,
        or_(records.c.dissemination == Dissemination.HIT_ONLY.value, purpose_restricted),
    )


def _filtered(query: Select[Any], flt: RecordFilter) -> Select[Any]:
    if flt.kinds:
        query = query.where(records.c.kind.in_([k.value for k in flt.kinds]))
    if flt.owner:
        query = query.where(records.c.owner == flt.owner)
    if flt.ids:
        query = query.where(records.c.id.in_(list(flt.ids)))
    if flt.source_dataset:
        query = query.where(records.c.source_dataset == flt.source_dataset)
    if flt.source_id:
        query = query.where(records.c.source_id == flt.source_id)
    if flt.text:
        query = query.where(func.lower(records.c.label).contains(flt.text.lower(), autoescape=True))
    return query


def select_rows(
    conn: Connection,
    flt: RecordFilter,
    visible: ColumnElement[bool] | None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Record]:
    query = _filtered(select(*_READ_COLUMNS), flt)
    if visible is not None:
        query = query.where(visible)
    query = query.order_by(records.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [row_to_record(row) for row in conn.execute(query)]


def iter_rows(
    conn: Connection, flt: RecordFilter, visible: ColumnElement[bool] | None, chunk: int = 2000
) -> Iterator[list[Record]]:
    """Stream matching records in id order, `chunk` at a time (keyset paging, bounded memory)."""
    last = ""
    while True:
        query = _filtered(select(*_READ_COLUMNS), flt).where(records.c.id > last)
        if visible is not None:
            query = query.where(visible)
        rows = conn.execute(query.order_by(records.c.id).limit(chunk)).all()
        if not rows:
            return
        yield [row_to_record(row, _parse_body_json) for row in rows]
        last = rows[-1].id


def count_rows(conn: Connection, flt: RecordFilter, visible: ColumnElement[bool] | None) -> int:
    query = _filtered(select(func.count()).select_from(records), flt)
    if visible is not None:
        query = query.where(visible)
    return int(conn.execute(query).scalar_one())


def existing_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        found.update(conn.execute(select(records.c.id).where(records.c.id.in_(chunk))).scalars())
    return found


def expired_ids(conn: Connection, today: date) -> list[str]:
    query = select(records.c.id).where(records.c.retention_until < today)
    return list(conn.execute(query.order_by(records.c.id)).scalars())


def expired_owners(conn: Connection, ids: Sequence[str]) -> list[str]:
    query = select(records.c.owner).where(records.c.id.in_(list(ids))).distinct()
    return list(conn.execute(query).scalars())


def dataset_version(conn: Connection, owner: str, name: str) -> str | None:
    query = select(datasets.c.version).where(datasets.c.owner == owner, datasets.c.name == name)
    return conn.execute(query).scalar_one_or_none()


def set_dataset_version(
    conn: Connection, owner: str, name: str, version: str, count: int, at: datetime
) -> None:
    conn.execute(delete(datasets).where(datasets.c.owner == owner, datasets.c.name == name))
    conn.execute(
        insert(datasets).values(
            owner=owner, name=name, version=version, record_count=count, imported_at=at
        )
    )


def content_digest(row: dict[str, Any]) -> str:
    """Fingerprint of what an import may change: body, governance and source version."""
    keys = ("kind", "body", "source_version", *_GOVERNANCE_COLUMNS)
    payload = {k: row[k] for k in keys}
    payload["retention_until"] = None  # refreshed on every import; not content
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    """What an import needs to know about a record already stored."""

    owner: str
    digest: str
    version: int
    created_at: datetime


def stored_state(
    conn: Connection,
    *,
    ids: Sequence[str] = (),
    owner: str | None = None,
    dataset: str | None = None,
) -> dict[str, Stored]:
    """Digests of stored records, by ids or by owner and dataset (for imports; owner's own data)."""
    query = select(records)
    if owner is not None and dataset is not None:
        queries = [query.where(records.c.owner == owner, records.c.source_dataset == dataset)]
    else:
        queries = [
            query.where(records.c.id.in_(list(ids[i : i + 500]))) for i in range(0, len(ids), 500)
        ]
    found: dict[str, Stored] = {}
    for q in queries:
        for row in conn.execute(q):
            m = dict(row._mapping)
            found[m["id"]] = Stored(m["owner"], content_digest(m), m["version"], m["created_at"])
    return found


def extend_retention(conn: Connection, ids: Sequence[str], until: date) -> None:
    """Push the retention date of still-listed records out to at least `until`."""
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        conn.execute(
            update(records)
            .where(records.c.id.in_(chunk), records.c.retention_until < until)
            .values(retention_until=until)
        )


def of_kinds(conn: Connection, ids: Sequence[str], kinds: Sequence[RecordKind]) -> set[str]:
    """Which of `ids` are records of `kinds` (ids only, no content).

    Filtered here, not in SQL: with the kind as a bound parameter SQLite reads the records by
    their kind index, every notice of a million-person node for a handful of ids.
    """
    wanted = {k.value for k in kinds}
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        query = select(records.c.id, records.c.kind).where(
            records.c.id.in_(list(ids[start : start + 500]))
        )
        found.update(row.id for row in conn.execute(query) if row.kind in wanted)
    return found


def rebuild_search_keys(
    conn: Connection,
    progress: Callable[[int], None] | None = None,
    prefix: str = "",
    kinds: Sequence[RecordKind] = (),
) -> int:
    """Recompute every record's search keys (recovery, or after the key rules change); with
    `prefix` and `kinds`, only the keys of that kind, which only those records have (a
    migration adding one kind of key)."""
    stale = delete(search_keys)
    if prefix:
        stale = stale.where(search_keys.c.key.startswith(prefix, autoescape=True))
    conn.execute(stale)
    done = 0
    for chunk in iter_rows(conn, RecordFilter(kinds=kinds), None, chunk=5000):
        rows = [
            {"key": k, "record_id": r.id}
            for r in chunk
            for k in sorted(record_keys(r))
            if k.startswith(prefix)
        ]
        if rows:
            conn.execute(insert(search_keys), rows)
        done += len(chunk)
        if progress:
            progress(done)
    return done


def template_rows(conn: Connection, ids: Sequence[str] | None) -> Iterator[Any]:
    """Biometric templates (id, body) for the in-memory vector index — never shown to callers."""
    query = select(records.c.id, records.c.body).where(records.c.kind == RecordKind.BIOMETRIC.value)
    if ids is None:
        yield from conn.execution_options(yield_per=5000).execute(query)
        return
    for start in range(0, len(ids), 500):
        yield from conn.execute(query.where(records.c.id.in_(list(ids[start : start + 500]))))


def vector_changes_since(conn: Connection, seq: int) -> list[tuple[int, str, str]]:
    query = (
        select(vector_changes.c.seq, vector_changes.c.record_id, vector_changes.c.op)
        .where(vector_changes.c.seq > seq)
        .order_by(vector_changes.c.seq)
    )
    return [(row.seq, row.record_id, row.op) for row in conn.execute(query)]


def last_vector_change(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(vector_changes.c.seq), 0))).scalar_one())
