"""Bulk screening's matching: traveller keys, the DuckDB ranking, scoring in worker processes."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from borderless.domain.codes import DocumentStatus, RecordKind
from borderless.domain.records import (
    BirthDate,
    DocumentBody,
    Governance,
    Name,
    PersonBody,
    Record,
    RecordBody,
)
from borderless.domain.travel import TravelDocument, Traveller
from borderless.index import keys as key_index
from borderless.matching.dates import FAR, compare_birth_dates
from borderless.services import screening_match
from borderless.services.screening_match import (
    BulkScoring,
    birth_days,
    count_keys,
    keys_table,
    namesake_keys,
    rank_candidates,
    score_candidates,
    traveller_key_parts,
)
from borderless.services.search import plan_query
from borderless.services.search_query import SearchRequest
from borderless.store.search import COMMON_KEY

AT = datetime(2026, 1, 1, tzinfo=UTC)

LISTED: dict[str, RecordBody] = {
    "P1": PersonBody(
        names=[Name(full="Mohammed Hassan Ali"), Name(full="Muhamad Hasan")],
        birth_dates=[BirthDate(date="1970-02-03")],
    ),
    "P2": PersonBody(names=[Name(full="Hassan Ali")], birth_dates=[BirthDate(date="1981-05-05")]),
    "P3": PersonBody(names=[Name(full="Ali Kaya")], birth_dates=[BirthDate(date="1970-09-09")]),
    "P4": PersonBody(names=[Name(full="Olga Petrova")], birth_dates=[BirthDate(date="1990")]),
    "P5": PersonBody(names=[Name(full="Jan Jansen")], birth_dates=[BirthDate(date="1960-01-01")]),
    "D1": DocumentBody(number="NX1234567", issuing_country="NLD", status=DocumentStatus.STOLEN),
    "D2": DocumentBody(number="AB7654321", issuing_country="DEU", status=DocumentStatus.LOST),
}
TRAVELLERS = [
    Traveller("1", "Ali", "Mohammed Hassan", birth_date="1970-02-03"),
    Traveller("2", "Hasan", "Muhamad"),
    Traveller("3", "Petrova", "Olga", birth_date="1990-04-04"),
    Traveller("4", "Jansen", "Jan", documents=(TravelDocument("P", "NX1234567", "NLD"),)),
    Traveller("5", "Kaya", "Ali", birth_date="1970-09-09"),
    Traveller("6", "Nobody", "Known", documents=(TravelDocument("P", "ZZ0000000", "FRA"),)),
    Traveller("7", "Ali", "Mohammed Hassan", birth_date="1970-02-03"),  # same as 1
]


def _record(record_id: str) -> Record:
    body = LISTED[record_id]
    kind = RecordKind.DOCUMENT if isinstance(body, DocumentBody) else RecordKind.PERSON
    return Record.model_construct(
        id=record_id,
        kind=kind,
        owner="HUB",
        governance=Governance(),
        body=body,
        source=None,
        created_at=AT,
        updated_at=AT,
        version=1,
    )


def _load(record_ids: Sequence[str]) -> Iterator[Record]:
    return (_record(record_id) for record_id in record_ids)


def _record_keys() -> pa.Table:
    rows = [(key, rid) for rid, body in LISTED.items() for key in key_index.body_keys(body)]
    return screening_match.record_key_rows(rows)


def _reference_ranking(
    traveller_keys: pa.Table, record_keys: pa.Table, limit: int
) -> set[tuple[int, str]]:
    """The ranking's rules in plain Python: parts covered, then key rarity, then record id;
    names and documents apart; `limit` of each (every key under `FANOUT` here)."""
    holders: dict[str, list[str]] = defaultdict(list)
    for key, rid in zip(*record_keys.to_pydict().values(), strict=True):
        holders[key].append(rid)
    parts: dict[tuple[int, bool, str], set[int]] = defaultdict(set)
    weight: dict[tuple[int, bool, str], float] = defaultdict(float)
    for traveller, key, part in zip(*traveller_keys.to_pydict().values(), strict=True):
        if not 0 < len(holders[key]) < COMMON_KEY:
            continue
        for rid in holders[key]:
            found = (traveller, part >= key_index.IDENTIFIER_PART, rid)
            parts[found].add(part)
            weight[found] += math.log(2 * COMMON_KEY / len(holders[key]))
    ranked: dict[tuple[int, bool], list[tuple[int, float, str]]] = defaultdict(list)
    for (traveller, by_number, rid), covered in parts.items():
        score = (-len(covered), -round(weight[(traveller, by_number, rid)], 6), rid)
        ranked[(traveller, by_number)].append(score)
    return {
        (traveller, rid)
        for (traveller, _), scores in ranked.items()
        for _, _, rid in sorted(scores)[:limit]
    }


def _pairs(table: pa.Table) -> set[tuple[int, str]]:
    return set(
        zip(
            table.column("traveller").to_pylist(),
            table.column("record_id").to_pylist(),
            strict=True,
        )
    )


def test_traveller_keys_are_the_frontline_query_keys() -> None:
    """Screening finds a traveller by the keys an officer's search for them would use."""
    for traveller in TRAVELLERS:
        person: dict[str, str] = {"name": traveller.full_name}
        if traveller.birth_date:
            person["birth_date"] = traveller.birth_date
        expected = dict(plan_query(SearchRequest.model_validate({"person": person}), 0.8).keys)
        for document in traveller.documents:
            request = SearchRequest.model_validate({"document": {"number": document.number}})
            expected |= plan_query(request, 0.8).keys
        assert dict(traveller_key_parts(traveller)) == expected


@pytest.mark.parametrize("limit", [1, 2, 10])
def test_ranking_on_integer_keys_follows_the_ranking_rules(limit: int) -> None:
    wanted, records = keys_table(TRAVELLERS), _record_keys()
    found = _pairs(rank_candidates(wanted, records, limit))
    assert found == _reference_ranking(wanted, records, limit)
    assert {(0, "P1"), (3, "D1"), (4, "P3")} <= found


def test_the_best_covered_record_ranks_first() -> None:
    found = _pairs(rank_candidates(keys_table(TRAVELLERS), _record_keys(), limit=1))
    # every part of "Mohammed Hassan Ali" (and the year) beats "Hassan Ali" (two parts)
    assert (0, "P1") in found
    assert (0, "P2") not in found
    assert {(3, "D1"), (3, "P5")} <= found  # a document never takes a name's place


def test_ranking_in_chunks_gives_the_same_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted, records = keys_table(TRAVELLERS), _record_keys()
    whole = _pairs(rank_candidates(wanted, records))
    monkeypatch.setattr(screening_match, "CHUNK_ROWS", 2)
    assert _pairs(rank_candidates(wanted, records)) == whole


def test_keys_beyond_the_fanout_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening_match, "FANOUT", 1)
    found = _pairs(rank_candidates(keys_table(TRAVELLERS[:1]), _record_keys()))
    # only the rarest key is used: one record holds it, so one record remains
    assert len(found) == 1


def test_parallel_scoring_gives_the_serial_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted, records = keys_table(TRAVELLERS), _record_keys()
    counts = count_keys(records, namesake_keys(wanted))
    batch = BulkScoring(TRAVELLERS, rank_candidates(wanted, records), _load, 0.8, counts)
    serial = {(i, rid, s.score) for i, rid, s in score_candidates(batch, workers=1)}
    monkeypatch.setattr(screening_match, "SCORE_CHUNK", 2)
    parallel = {(i, rid, s.score) for i, rid, s in score_candidates(batch, workers=2)}
    assert parallel == serial
    assert {(i, rid) for i, rid, _ in serial} >= {(0, "P1"), (3, "D1"), (4, "P3"), (6, "P1")}


def _listed_dates() -> list[tuple[str, list[BirthDate]]]:
    return [(rid, b.birth_dates) for rid, b in LISTED.items() if isinstance(b, PersonBody)]


def test_a_birth_date_no_clerical_error_explains_takes_no_candidate_place() -> None:
    """'Ali Kaya' born 1970-09-09 is no candidate for one born 1985-01-20, however alike the
    names: not even an identical name could make the hit, so the place goes to another."""
    travellers = [
        Traveller("1", "Kaya", "Ali", birth_date="1985-01-20"),
        Traveller("2", "Kaya", "Ali", birth_date="1970-09-19"),  # one digit: a typo?
        Traveller("3", "Kaya", "Ali"),  # no date: every candidate stays
        Traveller("4", "Petrova", "Olga", birth_date="2001-04-04"),  # listed with a year only
    ]
    wanted, records = keys_table(travellers), _record_keys()
    days = birth_days(travellers, _listed_dates(), 0.8)
    assert days is not None
    found = _pairs(rank_candidates(wanted, records, days=days))
    assert (0, "P3") not in found
    assert {(1, "P3"), (2, "P3"), (3, "P4")} <= found
    dropped = _pairs(rank_candidates(wanted, records)) - found
    assert (0, "P3") in dropped
    for index, record_id in dropped:  # only dates no clerical error explains
        listed = LISTED[record_id]
        assert isinstance(listed, PersonBody)
        dates = compare_birth_dates(travellers[index].birth_date, listed.birth_dates)
        assert dates.score == FAR


def test_far_dates_are_kept_where_the_threshold_lets_them_hit() -> None:
    # at 0.7 an identical name with agreeing nationality and gender outweighs any date
    assert birth_days(TRAVELLERS, _listed_dates(), 0.7) is None
    assert birth_days(TRAVELLERS, _listed_dates(), 0.8) is not None
