"""Candidate lookup by blocking key, and the hit-notification inbox."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, union_all, update

from borderless.domain.codes import RecordKind
from borderless.store.schema import hit_notifications, record_links, records, search_keys

COMMON_KEY = 5000  # a key shared by more records than this says little about who is meant


def key_counts(conn: Connection, keys: Sequence[str], cap: int = COMMON_KEY) -> dict[str, int]:
    """How many records share each key, counted up to `cap` (cheap even for common keys)."""
    if not keys:
        return {}
    per_key = [
        select(literal(key).label("key"), func.count().label("n")).select_from(
            select(search_keys.c.record_id).where(search_keys.c.key == key).limit(cap).subquery()
        )
        for key in sorted(set(keys))
    ]
    return {row.key: int(row.n) for row in conn.execute(union_all(*per_key))}


def candidates(conn: Connection, keys: Sequence[str], limit: int) -> list[str]:
    """Record ids sharing the rarest keys with the query, best first (ids only: no content).

    Each shared key counts by its rarity (an inverse document frequency), so a record matching
    a rare surname outranks thousands sharing a common given name. Keys shared by more than
    `COMMON_KEY` records are used only when the query has nothing rarer.
    """
    counts = {k: c for k, c in key_counts(conn, keys).items() if c > 0}
    if not counts:
        return []
    rare = {k: c for k, c in counts.items() if c < COMMON_KEY} or counts
    weights = {k: math.log((COMMON_KEY * 2) / c) for k, c in rare.items()}
    scores: dict[str, float] = defaultdict(float)
    query = select(search_keys.c.key, search_keys.c.record_id).where(
        search_keys.c.key.in_(sorted(rare))
    )
    for key, record_id in conn.execute(query):
        scores[record_id] += weights[key]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [record_id for record_id, _ in ranked[:limit]]


def linking(conn: Connection, target_ids: Sequence[str], kind: RecordKind) -> dict[str, list[str]]:
    """Records of `kind` that link to each target (e.g. notices about a person): target -> ids."""
    if not target_ids:
        return {}
    query = (
        select(record_links.c.dst_id, record_links.c.src_id)
        .join(records, records.c.id == record_links.c.src_id)
        .where(record_links.c.dst_id.in_(list(target_ids)), records.c.kind == kind.value)
    )
    found: dict[str, list[str]] = {}
    for dst, src in conn.execute(query):
        found.setdefault(dst, []).append(src)
    return found


def add_notifications(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(hit_notifications), list(rows))


def notifications_for(
    conn: Connection, owner: str, unread_only: bool, window: tuple[int, int]
) -> tuple[list[dict[str, Any]], int]:
    where = [hit_notifications.c.owner == owner]
    if unread_only:
        where.append(hit_notifications.c.read_at.is_(None))
    total = conn.execute(select(func.count()).select_from(hit_notifications).where(*where))
    offset, limit = window
    rows = conn.execute(
        select(hit_notifications)
        .where(*where)
        .order_by(hit_notifications.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows], int(total.scalar_one())


def mark_read(conn: Connection, owner: str, ids: Sequence[int], at: datetime) -> int:
    done = conn.execute(
        update(hit_notifications)
        .where(hit_notifications.c.owner == owner, hit_notifications.c.id.in_(list(ids)))
        .values(read_at=at)
    )
    return int(done.rowcount)
