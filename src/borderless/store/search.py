"""Candidate lookup by blocking key, and the hit-notification inbox."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    TextClause,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)

from borderless.domain.codes import RecordKind
from borderless.index.keys import BIRTH_YEAR_PART, IDENTIFIER_PART
from borderless.store.records import of_kinds, visibility_clause
from borderless.store.schema import hit_notifications, record_links, records, search_keys

COMMON_KEY = 5000  # a key shared by more records than this says little about who is meant


# Built once: generating a statement's cache key on every call cost more than running it
# (a union of one count per key: 1.3-2.4 ms per search, against 0.3 ms for these).
_KEY_COUNT = select(func.count()).select_from(
    select(search_keys.c.record_id)
    .where(search_keys.c.key == bindparam("key"))
    .limit(bindparam("cap"))
    .subquery()
)


@lru_cache(maxsize=64)
def _ranking(size: int) -> TextClause:
    """Records sharing any of `size` keys, ranked in the database: by the parts of the query
    they cover, the year of birth counting twice, then by the summed rarity of the keys (one
    row per record comes back, not one per posting: a common name part has thousands).

    The year counts twice so that, for a dated query, the right person with a misspelt name
    part (a name part and the year) is not left behind every namesake born in another year
    (two name parts), whose date rules them out anyway (demo world of 100,000: recall of
    planted variants queried with their date 0.938 → 0.951 of the visible ones).
    """
    values = ", ".join(f"(:k{i}, :p{i}, :w{i})" for i in range(size))
    return text(  # only numbered placeholders are formatted in; every value is bound
        f"WITH q(key, part, weight) AS (VALUES {values}) "  # noqa: S608
        "SELECT s.record_id FROM search_keys s JOIN q ON s.key = q.key "
        "GROUP BY s.record_id "
        "ORDER BY count(DISTINCT q.part) "
        f"+ max(CASE WHEN q.part = {BIRTH_YEAR_PART} THEN 1 ELSE 0 END) DESC, "
        "sum(q.weight) DESC, s.record_id "
        "LIMIT :limit"
    )


def _ranked(conn: Connection, keys: Sequence[tuple[str, int, float]], limit: int) -> list[str]:
    if not keys:
        return []
    params: dict[str, Any] = {"limit": limit}
    for i, (key, part, weight) in enumerate(keys):
        params |= {f"k{i}": key, f"p{i}": part, f"w{i}": weight}
    return [row[0] for row in conn.execute(_ranking(len(keys)), params)]


# Counting a common key walks up to `COMMON_KEY` index entries (5.4 ms of a name search at a
# million persons), and its count changes slowly: counts of at least `KEPT_COUNT` are kept
# for `KEPT_S` seconds, per database. They only weigh the ranking; a rarer key is counted
# every time, so a record written a moment ago is found under it at once.
KEPT_COUNT = 500
KEPT_S = 300.0
_KEPT_MAX = 100_000
_kept: dict[tuple[str, str, int], tuple[int, float]] = {}


def key_counts(conn: Connection, keys: Sequence[str], cap: int = COMMON_KEY) -> dict[str, int]:
    """How many records share each key, counted up to `cap` (cheap even for common keys)."""
    database, now = str(conn.engine.url), time.monotonic()
    found: dict[str, int] = {}
    for key in sorted(set(keys)):
        kept = _kept.get((database, key, cap))
        if kept is not None and kept[1] > now:
            found[key] = kept[0]
            continue
        count = int(conn.execute(_KEY_COUNT, {"key": key, "cap": cap}).scalar_one())
        found[key] = count
        if count >= KEPT_COUNT:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[(database, key, cap)] = (count, now + KEPT_S)
    return found


# Namesakes are counted up to this many: past it a name says nothing a date cannot outweigh.
NAMESAKES_CAP = 1000


@lru_cache(maxsize=256)
def _visible_count(agency: str, targets: frozenset[str], today: date) -> Select[int]:
    """Built once per agency and day: compiling it per search cost ten times its running."""
    held = (
        select(search_keys.c.record_id)
        .join(records, records.c.id == search_keys.c.record_id)
        .where(search_keys.c.key == bindparam("key"), visibility_clause(agency, targets, today))
        .limit(bindparam("cap"))
        .subquery()
    )
    return select(func.count()).select_from(held)


def visible_key_counts(
    conn: Connection,
    keys: Sequence[str],
    viewer: tuple[str, frozenset[str], date],
    cap: int = NAMESAKES_CAP,
) -> dict[str, int]:
    """How many records that the `viewer` (agency, share targets, today; see
    `visibility_clause`) may find hold each key, counted up to `cap`."""
    statement = _visible_count(*viewer)
    return {
        key: int(conn.execute(statement, {"key": key, "cap": cap}).scalar_one())
        for key in sorted(set(keys))
    }


def candidates(conn: Connection, keys: Mapping[str, int], limit: int) -> list[str]:
    """Record ids sharing keys with the query, best first (ids only: no content).

    `keys` maps each key to the part of the query it comes from: a name token's position, or
    `IDENTIFIER_PART` and above for identifiers. Name candidates are ranked by how many parts
    of the name they share keys with, then by the rarity of those keys (an inverse document
    frequency), so a record matching every part of the name outranks thousands sharing a rare
    surname only. Keys shared by more than `COMMON_KEY` records are used only when the query
    has nothing rarer. Identifier and name candidates are ranked apart, `limit` of each, the
    identifiers' first, so that a document number never competes with namesakes for a place.
    """
    counts = {k: c for k, c in key_counts(conn, list(keys)).items() if c > 0}
    if not counts:
        return []
    rare = {k: c for k, c in counts.items() if c < COMMON_KEY} or counts
    weighted = [(k, keys[k], math.log((COMMON_KEY * 2) / c)) for k, c in sorted(rare.items())]
    identifiers = [k for k in weighted if k[1] >= IDENTIFIER_PART]
    names = [k for k in weighted if k[1] < IDENTIFIER_PART]
    best = _ranked(conn, identifiers, limit) + _ranked(conn, names, limit)
    return list(dict.fromkeys(best))


def linking(conn: Connection, target_ids: Sequence[str], kind: RecordKind) -> dict[str, list[str]]:
    """Records of `kind` that link to each target (e.g. notices about a person): target -> ids."""
    if not target_ids:
        return {}
    # The links first, the kind in a second step: joining first made SQLite walk every record
    # of the kind (18,000 notices at a million persons, a fifth of a search's time).
    query = select(record_links.c.dst_id, record_links.c.src_id).where(
        record_links.c.dst_id.in_(list(target_ids))
    )
    links = conn.execute(query).all()
    if not links:
        return {}
    of_kind = of_kinds(conn, sorted({src for _, src in links}), [kind])
    found: dict[str, list[str]] = {}
    for dst, src in links:
        if src in of_kind:
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
