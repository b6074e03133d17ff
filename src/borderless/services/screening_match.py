"""Bulk screening's matching: blocking keys per traveller, candidate ranking, the scorers.

Screening uses frontline search's own pieces, so a traveller is found and explained exactly as
an officer's query would be: the blocking keys of `index.keys` (name keys, document number
keys) and the record scorers of `services.search` (`score_person` for persons, document number
and issuing country for documents, the name for notices).

What differs is scale. Instead of one query at a time (~40 ms each), all travellers' keys are
joined with the records' keys in one DuckDB query: keys shared by `COMMON_KEY` records or more
say little about who is meant and are dropped; records are ranked by how many parts of the
traveller's name they share keys with, then by the rarity of those keys (an inverse document
frequency, as in `store.search.candidates`), and each traveller keeps its `CANDIDATES`
best-ranked records by name and by document number. Only those pairs are scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from pydantic import ValidationError

from borderless.domain.codes import Gender, NoticeStatus
from borderless.domain.records import NoticeBody, Record
from borderless.domain.travel import Traveller
from borderless.governance.gate import Scored
from borderless.index import keys as key_index
from borderless.services import search
from borderless.services.search_query import DocumentCriteria, PersonCriteria, SearchRequest
from borderless.store.search import COMMON_KEY

CANDIDATES = 10  # best-ranked records per traveller scored, by name and by document number
RecordScorer = Callable[[Record], "Scored | None"]


NUMBER_PART = key_index.IDENTIFIER_PART  # the `part` of document number keys


def traveller_key_parts(traveller: Traveller) -> list[tuple[str, int]]:
    """The blocking keys a frontline query for this traveller would use, each with the part of
    the traveller it comes from: a name token's position, the whole name, or a document."""
    name = traveller.full_name
    found = key_index.person_key_parts(name, traveller.birth_date) if name.strip("* ") else []
    numbers = key_index.number_keys("doc", [d.number for d in traveller.documents])
    return found + [(key, NUMBER_PART) for key in sorted(numbers)]


def rank_candidates(
    traveller_keys: pa.Table, record_keys: pa.Table, limit: int = CANDIDATES
) -> pa.Table:
    """(traveller, record_id) pairs: for each traveller, the `limit` records that share keys
    with most parts of its name (then the rarest keys), and the `limit` records sharing the
    rarest document-number keys.

    `traveller_keys` has columns ``traveller`` (int), ``key`` and ``part`` (see
    `traveller_key_parts`); `record_keys` ``key`` and ``record_id``. Keys held by
    `COMMON_KEY` records or more are ignored. Ranking by the parts covered first keeps a
    listed person whose surname is misspelt (one part matched by a rare key) below one whose
    every name part matches, and document hits never compete with name hits for a place.
    """
    connection = duckdb.connect()
    connection.register("traveller_keys", traveller_keys)
    connection.register("record_keys", record_keys)
    query = """
        WITH frequency AS (
            SELECT key, count(*) AS n FROM record_keys GROUP BY key HAVING count(*) < $common
        ), pairs AS (
            SELECT t.traveller, r.record_id, t.part >= $number AS by_number,
                   count(DISTINCT t.part) AS parts, sum(ln(2.0 * $common / f.n)) AS weight
            FROM traveller_keys t
            JOIN frequency f ON f.key = t.key
            JOIN record_keys r ON r.key = t.key
            GROUP BY t.traveller, r.record_id, by_number
        )
        SELECT DISTINCT traveller, record_id FROM pairs
        QUALIFY row_number() OVER (
            PARTITION BY traveller, by_number ORDER BY parts DESC, weight DESC, record_id
        ) <= $limit
    """
    parameters = {"common": COMMON_KEY, "limit": limit, "number": NUMBER_PART}
    try:
        return connection.sql(query, params=parameters).to_arrow_table()
    finally:
        connection.close()


def keys_table(travellers: Sequence[Traveller]) -> pa.Table:
    rows = [
        (i, key, part) for i, t in enumerate(travellers) for key, part in traveller_key_parts(t)
    ]
    return pa.table(
        {
            "traveller": pa.array([r[0] for r in rows], pa.int64()),
            "key": pa.array([r[1] for r in rows], pa.string()),
            "part": pa.array([r[2] for r in rows], pa.int64()),
        }
    )


def _requests(traveller: Traveller) -> list[SearchRequest]:
    """The frontline queries that describe this traveller: the person, and each document."""
    requests: list[SearchRequest] = []
    name = traveller.full_name
    if name.strip("* "):
        person = PersonCriteria(
            name=name,
            birth_date=traveller.birth_date,
            nationality=traveller.nationality,
            gender=Gender(traveller.gender) if traveller.gender else None,
        )
        requests.append(SearchRequest(person=person))
    for document in traveller.documents:
        criteria = DocumentCriteria(number=document.number, country=document.issuing_country)
        requests.append(SearchRequest(document=criteria))
    return requests


def traveller_scorer(traveller: Traveller, threshold: float) -> RecordScorer:
    """Scores a record for this traveller with frontline search's scorers (best part wins);
    only published notices count."""
    try:
        plans = [search.plan_query(request, threshold) for request in _requests(traveller)]
    except ValidationError:
        plans = []  # a value no frontline query accepts (already normalised by the readers)
    scorers = [search.record_scorer(plan, {}) for plan in plans]

    def score(record: Record) -> Scored | None:
        body = record.body
        if isinstance(body, NoticeBody) and body.status != NoticeStatus.PUBLISHED:
            return None  # a draft or refused notice asks nothing of anyone
        found = [s for s in (scorer(record) for scorer in scorers) if s is not None]
        return max(found, key=lambda s: s.score, default=None)

    return score


def record_key_rows(rows: Iterable[tuple[str, str]]) -> pa.Table:
    pairs = list(rows)
    return pa.table(
        {
            "key": pa.array([p[0] for p in pairs], pa.string()),
            "record_id": pa.array([p[1] for p in pairs], pa.string()),
        }
    )
