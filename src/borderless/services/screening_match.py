"""Bulk screening's matching: blocking keys per traveller, candidate ranking, the scorers.

Screening uses frontline search's own pieces, so a traveller is found and explained exactly as
an officer's query would be: the blocking keys of `index.keys` (name keys, document number
keys) and the record scorers of `services.search` (`score_person` for persons, document number
and issuing country for documents, the name for notices).

What differs is scale. Instead of one query at a time (~40 ms each), all travellers' keys are
joined with the records' keys in DuckDB, on integer ids: keys shared by `COMMON_KEY` records
or more say little about who is meant and are dropped; each traveller's keys are used from the
rarest on until they reach `FANOUT` record rows (a common surname is not worth ten thousand
rows when a rarer given name or the year of birth already says who is meant); records are
ranked by how many parts of the traveller's name they share keys with, then by the rarity of
those keys (an inverse document frequency, as in `store.search.candidates`), and each
traveller keeps its `CANDIDATES` best-ranked records by name and by document number. Given
the exact dates of birth of both sides (`birth_days`), a listed person born on a day no
clerical error turns into the traveller's is no candidate: at the default threshold not even
an identical name could make that pair a hit (`matching.person.far_dates_rule_out`), and on
the 100,000-person benchmark such pairs were 97 % of those scored. Only the candidates are
scored: by a flight's records in the service, in worker processes for a bulk batch
(`score_candidates`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pydantic import ValidationError

from borderless.domain.codes import Gender, NoticeStatus
from borderless.domain.records import BirthDate, NoticeBody, Record
from borderless.domain.travel import Traveller
from borderless.governance.gate import Scored
from borderless.index import keys as key_index
from borderless.matching.dates import exact_day, far_apart_sql
from borderless.matching.person import far_dates_rule_out
from borderless.services import search
from borderless.services.search_query import DocumentCriteria, PersonCriteria, SearchRequest
from borderless.store.search import COMMON_KEY

CANDIDATES = 10  # best-ranked records per traveller scored, by name and by document number
# Record rows a traveller's keys may reach, rarest keys first (names and documents apart); the
# rarest key is used whatever its count below `COMMON_KEY`. On the benchmark's 100,000-person
# watchlist 300 keeps 95.4 % of the planted hits among the candidates in 42 s, 1,000 keeps
# 96.4 % in 97 s (docs/benchmarks.md).
FANOUT = 300
CHUNK_ROWS = 20_000_000  # joined rows per DuckDB pass: bounds the memory of the ranking
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "threads": 2,  # the batch machine's cores
    "memory_limit": "4GB",  # spills to disk past it rather than failing
}
SCORE_CHUNK = 20_000  # travellers per scoring task
NUMBER_PART = key_index.IDENTIFIER_PART  # the `part` of document number keys

RecordScorer = Callable[[Record], "Scored | None"]
RecordLoader = Callable[[Sequence[str]], Iterable[Record]]


def traveller_key_parts(traveller: Traveller) -> list[tuple[str, int]]:
    """The blocking keys a frontline query for this traveller would use, each with the part of
    the traveller it comes from: a name token's position, the whole name, the year of birth
    (`index.keys.person_key_parts`, its name keys cached per name), or a document."""
    name = traveller.full_name
    found = key_index.person_key_parts(name, traveller.birth_date) if name.strip("* ") else []
    numbers = key_index.number_keys("doc", [d.number for d in traveller.documents])
    return found + [(key, NUMBER_PART) for key in sorted(numbers)]


def keys_table(travellers: Sequence[Traveller]) -> pa.Table:
    """Columns ``traveller`` (the index in `travellers`), ``key`` and ``part``."""
    indexes: list[int] = []
    keys: list[str] = []
    parts: list[int] = []
    for index, traveller in enumerate(travellers):
        for key, part in traveller_key_parts(traveller):
            indexes.append(index)
            keys.append(key)
            parts.append(part)
    return pa.table(
        {
            "traveller": pa.array(indexes, pa.int64()),
            "key": pa.array(keys, pa.string()),
            "part": pa.array(parts, pa.int64()),
        }
    )


def record_key_rows(rows: Iterable[tuple[str, str]]) -> pa.Table:
    pairs = list(rows)
    return pa.table(
        {
            "key": pa.array([p[0] for p in pairs], pa.string()),
            "record_id": pa.array([p[1] for p in pairs], pa.string()),
        }
    )


@dataclass(frozen=True)
class BirthDays:
    """The one exact day of birth of travellers (``traveller``, ``day``) and of listed persons
    (``record_id``, ``day``) where each has one: what `rank_candidates` compares."""

    travellers: pa.Table
    records: pa.Table


_NO_DAYS = BirthDays(
    pa.table({"traveller": pa.array([], pa.int64()), "day": pa.array([], pa.date32())}),
    pa.table({"record_id": pa.array([], pa.string()), "day": pa.array([], pa.date32())}),
)


def birth_days(
    travellers: Sequence[Traveller],
    records: Iterable[tuple[str, Sequence[BirthDate]]],
    threshold: float,
) -> BirthDays | None:
    """The travellers' and the listed persons' exact days of birth, for a batch screened at
    `threshold`; None where dates far apart do not rule a pair out at that threshold. A
    person with several dates, a partial or approximate one, is left out (always a
    candidate), as is a traveller without an exact date."""
    if not far_dates_rule_out(threshold):
        return None
    indexes, days = [], []
    for index, traveller in enumerate(travellers):
        day = exact_day(traveller.birth_date)
        if day is not None:
            indexes.append(index)
            days.append(day)
    record_ids, record_days = [], []
    for record_id, dates in records:
        day = exact_day(dates[0]) if len(dates) == 1 else None
        if day is not None:
            record_ids.append(record_id)
            record_days.append(day)
    return BirthDays(
        pa.table({"traveller": pa.array(indexes, pa.int64()), "day": pa.array(days, pa.date32())}),
        pa.table(
            {
                "record_id": pa.array(record_ids, pa.string()),
                "day": pa.array(record_days, pa.date32()),
            }
        ),
    )


# Keys and record ids become integers once; every later step joins and sorts integers.
_ENCODE = [
    """CREATE TEMP TABLE dictionary AS
       SELECT key, row_number() OVER (ORDER BY key) AS key_id, n
       FROM (SELECT key, count(*) AS n FROM record_keys GROUP BY key HAVING count(*) < $common)
    """,
    """CREATE TEMP TABLE ids AS
       SELECT record_id, row_number() OVER (ORDER BY record_id) AS rid
       FROM (SELECT DISTINCT record_id FROM record_keys)
    """,
    """CREATE TEMP TABLE postings AS
       SELECT d.key_id, i.rid FROM record_keys r
       JOIN dictionary d ON d.key = r.key JOIN ids i ON i.record_id = r.record_id
    """,
    # A traveller's kept keys: rarest first, names and documents apart (`side`, the traveller
    # times two, plus one for documents); each part of the traveller as one bit of `mask`.
    """CREATE TEMP TABLE wanted AS
       WITH kept AS (
           SELECT t.traveller * 2 + (t.part >= $number)::INTEGER AS side, d.key_id, t.part, d.n
           FROM traveller_keys t JOIN dictionary d ON d.key = t.key
           QUALIFY sum(d.n) OVER (
               PARTITION BY side ORDER BY d.n, d.key_id ROWS UNBOUNDED PRECEDING
           ) - d.n < $fanout
       ), bits AS (
           SELECT part, least(row_number() OVER (ORDER BY part) - 1, 63) AS bit
           FROM (SELECT DISTINCT part FROM kept)
       )
       SELECT k.side, k.key_id, k.n, 1::UBIGINT << b.bit AS mask,
              ln(2.0 * $common / k.n) AS weight
       FROM kept k JOIN bits b ON b.part = k.part
    """,
    "CREATE TEMP TABLE side_days AS SELECT traveller * 2 AS side, day FROM traveller_days",
    """CREATE TEMP TABLE rid_days AS
       SELECT i.rid, r.day FROM record_days r JOIN ids i ON i.record_id = r.record_id
    """,
]
# Ranges of travellers' sides whose keys reach about `CHUNK_ROWS` record rows together.
_CHUNKS = """
    SELECT min(side), max(side) FROM (
        SELECT side, sum(rows) OVER (ORDER BY side) // $rows AS chunk
        FROM (SELECT side, sum(n) AS rows FROM wanted GROUP BY side)
    ) GROUP BY chunk ORDER BY chunk
"""
# A (side, record) pair is one integer; its parts covered are the bits set in its mask. The
# weight is rounded so that float summation order cannot break a tie differently.
_RANK = """
    WITH pairs AS (
        SELECT w.side * $ids + p.rid AS pair, bit_count(bit_or(w.mask)) AS parts,
               round(sum(w.weight), 6) AS weight
        FROM wanted w JOIN postings p ON p.key_id = w.key_id
        WHERE w.side BETWEEN $first AND $last
        GROUP BY pair
    ), best AS (
        SELECT p.pair // $ids // 2 AS traveller, p.pair % $ids AS rid FROM pairs p
        LEFT JOIN side_days t ON t.side = p.pair // $ids
        LEFT JOIN rid_days r ON r.rid = p.pair % $ids
        WHERE t.day IS NULL OR r.day IS NULL OR NOT FAR_APART
        QUALIFY row_number() OVER (
            PARTITION BY p.pair // $ids ORDER BY p.parts DESC, p.weight DESC, p.pair
        ) <= $limit
    )
    SELECT DISTINCT best.traveller, ids.record_id FROM best JOIN ids ON ids.rid = best.rid
""".replace("FAR_APART", far_apart_sql("t.day", "r.day"))


def rank_candidates(
    traveller_keys: pa.Table,
    record_keys: pa.Table,
    limit: int = CANDIDATES,
    days: BirthDays | None = None,
) -> pa.Table:
    """(traveller, record_id) pairs: for each traveller, the `limit` records that share keys
    with most parts of its name (then the rarest keys), and the `limit` records sharing the
    rarest document-number keys.

    `traveller_keys` has columns ``traveller`` (int), ``key`` and ``part`` (see
    `traveller_key_parts`); `record_keys` ``key`` and ``record_id``, every row of each key it
    holds (the counts are taken from it). Keys held by `COMMON_KEY` records or more are
    ignored, and a traveller's keys beyond `FANOUT` rows (see the module docstring). Ranking
    by the parts covered first keeps a listed person whose surname is misspelt (one part
    matched by a rare key) below one whose every name part matches, and document hits never
    compete with name hits for a place. With `days` (`birth_days`), a listed person whose
    exact date of birth is far from the traveller's takes no place either. Travellers are
    ranked a chunk at a time (`CHUNK_ROWS`), so memory stays bounded however many there are.
    """
    days = days or _NO_DAYS
    connection = duckdb.connect(config=DUCKDB_CONFIG)
    connection.register("traveller_keys", traveller_keys)
    connection.register("record_keys", record_keys)
    connection.register("traveller_days", days.travellers)
    connection.register("record_days", days.records)
    parameters = {"common": COMMON_KEY, "number": NUMBER_PART, "fanout": FANOUT}
    try:
        for statement in _ENCODE:
            names = [name for name in parameters if f"${name}" in statement]
            connection.execute(statement, {name: parameters[name] for name in names})
        chunks = connection.execute(_CHUNKS, {"rows": CHUNK_ROWS}).fetchall()
        [(ids,)] = connection.execute("SELECT count(*) + 1 FROM ids").fetchall()
        found = [
            connection.sql(
                _RANK, params={"first": first, "last": last, "limit": limit, "ids": ids}
            ).to_arrow_table()
            for first, last in chunks
        ]
    finally:
        connection.close()
    schema = pa.schema([("traveller", pa.int64()), ("record_id", pa.string())])
    return pa.concat_tables([t.cast(schema) for t in found]) if found else schema.empty_table()


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


def namesake_keys(traveller_keys: pa.Table) -> list[str]:
    """The travellers' keys that count namesakes (`index.keys.count_namesakes`)."""
    parts = traveller_keys.column("part").to_numpy()
    keys = traveller_keys.column("key").filter(parts == key_index.PAIR_PART)
    return sorted(set(keys.to_pylist()))


def count_keys(record_keys: pa.Table, keys: Sequence[str]) -> dict[str, int]:
    """How many records hold each of `keys`, from rows of ``key`` and ``record_id``."""
    held = record_keys.filter(pc.is_in(record_keys.column("key"), pa.array(keys, pa.string())))
    counted = held.group_by("key").aggregate([("record_id", "count_distinct")])
    return dict(
        zip(
            counted.column("key").to_pylist(),
            counted.column("record_id_count_distinct").to_pylist(),
            strict=True,
        )
    )


def traveller_scorer(
    traveller: Traveller, threshold: float, counts: Mapping[str, int]
) -> RecordScorer:
    """Scores a record for this traveller with frontline search's scorers (best part wins),
    namesakes counted from `counts` of its keys as a search counts them; only published
    notices count."""
    try:
        plans = [
            search.with_namesakes(search.plan_query(request, threshold), counts)
            for request in _requests(traveller)
        ]
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


class TravellerScorers:
    """Each traveller's frontline scorer, built when first needed and then reused: a
    traveller has up to twice `CANDIDATES` records to score. Travellers whose name, birth
    date, nationality, gender and documents agree share one scorer (the same person on
    several legs or bookings is scored once per record). `counts` are the records per
    namesake key (`namesake_keys`) the travellers' names have."""

    def __init__(
        self, travellers: Sequence[Traveller], threshold: float, counts: Mapping[str, int]
    ) -> None:
        self._travellers = travellers
        self._threshold = threshold
        self._counts = counts
        self._scorers: dict[tuple[object, ...], RecordScorer] = {}
        self._memo: dict[tuple[tuple[object, ...], str], Scored | None] = {}

    def hits(self, record: Record, indexes: Iterable[int]) -> list[tuple[int, Scored]]:
        """(traveller index, score) of the travellers among `indexes` that `record` hits."""
        found = []
        for index in indexes:
            scored = self._score(self._travellers[index], record)
            if scored is not None:
                found.append((index, scored))
        return found

    def _score(self, traveller: Traveller, record: Record) -> Scored | None:
        identity = _identity(traveller)
        key = (identity, record.id)
        if key in self._memo:
            return self._memo[key]
        scorer = self._scorers.get(identity)
        if scorer is None:
            scorer = self._scorers[identity] = traveller_scorer(
                traveller, self._threshold, self._counts
            )
        scored = self._memo[key] = scorer(record)
        return scored


def _identity(traveller: Traveller) -> tuple[object, ...]:
    """What the scorers read of a traveller: equal identities score every record alike."""
    documents = tuple((d.number, d.issuing_country) for d in traveller.documents)
    return (
        traveller.full_name,
        traveller.birth_date,
        traveller.nationality,
        traveller.gender,
        documents,
    )


@dataclass(frozen=True)
class BulkScoring:
    """A large batch to score: the travellers, their ranked candidates, how to load records."""

    travellers: Sequence[Traveller]
    candidates: pa.Table  # (traveller, record_id), as `rank_candidates` returns them
    load: RecordLoader
    threshold: float
    counts: Mapping[str, int]  # records per namesake key (`namesake_keys`, `count_keys`)


_BATCH: tuple[BulkScoring, pa.Table] | None = None  # the batch a forked worker inherits


def score_candidates(batch: BulkScoring, workers: int = 2) -> Iterator[tuple[int, str, Scored]]:
    """(traveller index, record id, score) of every candidate pair that is a hit.

    Travellers are scored `SCORE_CHUNK` at a time, each chunk with only its own scorers and
    records in memory; with `workers` > 1 and more than one chunk, the chunks go to that many
    forked processes (they inherit the batch, nothing large is pickled).
    """
    ordered = batch.candidates.sort_by([("traveller", "ascending")])
    travellers = ordered.column("traveller").to_numpy()
    bounds = travellers.searchsorted(range(0, len(batch.travellers) + SCORE_CHUNK, SCORE_CHUNK))
    tasks = [(int(start), int(stop)) for start, stop in pairwise(bounds) if stop > start]
    global _BATCH  # what forked workers inherit instead of a pickled copy
    _BATCH = (batch, ordered)
    try:
        if workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield from _score_chunk(task)
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for found in pool.imap_unordered(_score_chunk, tasks):
                yield from found
    finally:
        _BATCH = None


def _score_chunk(rows: tuple[int, int]) -> list[tuple[int, str, Scored]]:
    assert _BATCH is not None  # set by `score_candidates` before any chunk runs
    batch, ordered = _BATCH
    chunk = ordered.slice(rows[0], rows[1] - rows[0])
    linked: dict[str, list[int]] = {}
    for index, record_id in zip(
        chunk.column("traveller").to_pylist(), chunk.column("record_id").to_pylist(), strict=True
    ):
        linked.setdefault(record_id, []).append(index)
    scorers = TravellerScorers(batch.travellers, batch.threshold, batch.counts)
    return [
        (index, record.id, scored)
        for record in batch.load(sorted(linked))
        for index, scored in scorers.hits(record, linked[record.id])
    ]
