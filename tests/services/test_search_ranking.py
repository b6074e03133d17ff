"""Candidate ranking and reading depth: the right namesake first, identifiers before names,
a search reads on through its ranking only while the ranking still yields hits, and a name
many share counts for less (among the records the caller may find)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, insert

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.formats.records_jsonl import OwnedDraft
from borderless.governance.gate import Scored
from borderless.index.keys import BIRTH_YEAR_PART
from borderless.services import search as search_service
from borderless.services.imports import import_records
from borderless.services.node import Node
from borderless.services.search import plan_query, search
from borderless.services.search_query import SearchRequest
from borderless.store import search as search_store
from borderless.store.db import reading
from borderless.store.schema import search_keys
from tests.conftest import People

TARGET = "z-target"  # sorts after every namesake: without a better reason it would rank last


def _person(record_id: str, name: str, born: str | None = None) -> RecordDraft:
    body: dict[str, Any] = {"names": [{"full": name}]}
    if born:
        body["birth_dates"] = [{"date": born}]
    return RecordDraft.model_validate({"id": record_id, "kind": "person", "body": body})


def _load(node: Node, people: People, drafts: list[RecordDraft]) -> None:
    owned = [OwnedDraft(line=i + 1, owner=None, draft=d) for i, d in enumerate(drafts)]
    import_records(node, people["NLD-POL", Role.ANALYST], owned)


def _ranked(node: Node, request: SearchRequest, limit: int) -> list[str]:
    with reading(node.engine) as conn:
        return search_store.candidates(conn, plan_query(request, 0.8).keys, limit)


def _namesakes(count: int, dated: bool = True) -> list[RecordDraft]:
    years = [y for y in range(1940, 2005) if y != 1966]
    return [
        _person(f"a-{i:03d}", "Karim Haddad", f"{years[i % len(years)]}-01-01" if dated else None)
        for i in range(count)
    ]


def test_the_namesake_born_in_the_queried_year_ranks_first(node: Node, people: People) -> None:
    _load(node, people, [*_namesakes(60), _person(TARGET, "Karim Haddad", "1966-05-17")])
    request = SearchRequest.model_validate(
        {"person": {"name": "Karim Haddad", "birth_date": "1966-05-17"}}
    )
    assert _ranked(node, request, 1) == [TARGET]
    hits = search(node, people["NLD-POL", Role.ANALYST], Purpose.IDENTIFY, request).hits
    assert [h.hit.view.id for h in hits] == [TARGET]


def test_the_year_of_birth_counts_twice_among_the_parts(node: Node, people: People) -> None:
    """A dated query's right person with a misspelt surname shares the given name and the
    year; a namesake born in another year shares both name parts. The year counting twice,
    he ranks first."""
    _load(node, people, [*_namesakes(1), _person(TARGET, "Karim Habbat", "1966-05-17")])
    # equally rare keys: on the parts alone the namesake would tie and win on its id
    postings = {TARGET: ["n:karim", "ny:1966:karim"], "a-000": ["n:karim", "n:haddad"]}
    with node.engine.begin() as conn:  # the keys alone, so that only the ranking is tested
        conn.execute(delete(search_keys))
        conn.execute(
            insert(search_keys),
            [{"key": k, "record_id": r} for r, keys in postings.items() for k in keys],
        )
    query = {"n:karim": 0, "n:haddad": 1, "ny:1966:karim": BIRTH_YEAR_PART}
    with reading(node.engine) as conn:
        assert search_store.candidates(conn, query, 1) == [TARGET]


def test_every_name_part_outranks_a_rare_surname_alone(node: Node, people: People) -> None:
    rare = [_person("b-rare", "Pablo Quixotl"), _person("b-rare2", "Lucia Quixotl")]
    _load(node, people, [*_namesakes(30, dated=False), *rare, _person(TARGET, "Karim Quixotl")])
    request = SearchRequest.model_validate({"person": {"name": "Karim Quixotl"}})
    ranked = _ranked(node, request, 50)
    assert ranked[0] == TARGET
    assert set(ranked[1:3]) == {"b-rare", "b-rare2"}  # the rare surname before common "Karim"


def test_identifier_candidates_come_before_namesakes(node: Node, people: People) -> None:
    document = RecordDraft.model_validate(
        {"id": TARGET, "kind": "document", "body": {"number": "X1234567"}}
    )
    _load(node, people, [*_namesakes(30), document])
    request = SearchRequest.model_validate(
        {"person": {"name": "Karim Haddad"}, "document": {"number": "X1234567"}}
    )
    assert _ranked(node, request, 5)[0] == TARGET


def _batches(node: Node, people: People, hit_ids: set[str], patience: int) -> set[str]:
    ids = [f"a-{i:03d}" for i in range(40)]

    def scorer(record: Record) -> Scored | None:
        return Scored(1.0) if record.id in hit_ids else None

    analyst = people["NLD-POL", Role.ANALYST]
    hits = node.gate.match(
        analyst, Purpose.IDENTIFY, ids, scorer, {}, batch=10, patience=patience
    ).hits
    return {h.view.id for h in hits}


def test_a_search_stops_after_batches_in_a_row_without_hits(node: Node, people: People) -> None:
    _load(node, people, _namesakes(40))
    # a hit in each of the four batches of ten: all are read
    every = {"a-003", "a-015", "a-027", "a-031"}
    assert _batches(node, people, every, patience=1) == every
    # the second batch yields nothing after a hit: the third is not read
    assert _batches(node, people, {"a-003", "a-027"}, patience=2) == {"a-003"}
    # the first batch yields nothing: with patience 1 the second is not read, with 2 it is
    assert _batches(node, people, {"a-015", "a-027"}, patience=1) == set()
    assert _batches(node, people, {"a-015", "a-027"}, patience=2) == {"a-015", "a-027"}
    # the first two batches yield nothing: the third is not read
    assert _batches(node, people, {"a-027"}, patience=2) == set()


def test_undated_namesakes_are_all_scored(
    node: Node, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_service, "BATCH_UNDATED", 7)
    _load(node, people, _namesakes(30, dated=False))
    request = SearchRequest.model_validate({"person": {"name": "Karim Haddad"}, "limit": 50})
    hits = search(node, people["NLD-POL", Role.ANALYST], Purpose.IDENTIFY, request).hits
    assert len(hits) == 30  # every batch of seven yielded hits, so all were read


def test_common_key_counts_are_kept_rare_ones_counted_every_time(
    node: Node, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_store, "KEPT_COUNT", 3)
    monkeypatch.setattr(search_store, "_kept", {})
    _load(node, people, [*_namesakes(3), _person("b-rare", "Pablo Quixotl")])
    common, rare = "n:m:KRM", "n:t:pablo"

    def counted() -> dict[str, int]:
        with reading(node.engine) as conn:
            return search_store.key_counts(conn, [common, rare])

    assert counted() == {common: 3, rare: 1}
    _load(node, people, [_person("c-new", "Karim Pablo")])
    assert counted() == {common: 3, rare: 2}  # the common count is kept a while
    monkeypatch.setattr(search_store, "KEPT_S", 0.0)
    monkeypatch.setattr(search_store, "_kept", {})
    assert counted() == {common: 4, rare: 2}


def test_a_name_many_share_needs_the_date_to_make_a_hit(node: Node, people: People) -> None:
    """Sixty namesakes born in other years and the right person: a date one day off fits him
    no better than chance fits one of sixty, so it makes no hit; his own date does, and the
    name alone finds every namesake for the officer to tell apart by date."""
    _load(node, people, [*_namesakes(60), _person(TARGET, "Karim Haddad", "1966-05-17")])
    analyst = people["NLD-POL", Role.ANALYST]

    def hits(person: dict[str, str]) -> list[Any]:
        request = SearchRequest.model_validate({"person": person, "limit": 100})
        return search(node, analyst, Purpose.IDENTIFY, request).hits

    assert hits({"name": "Karim Haddad", "birth_date": "1966-05-18"}) == []
    [exact] = hits({"name": "Karim Haddad", "birth_date": "1966-05-17"})
    assert exact.hit.view.id == TARGET
    assert len(hits({"name": "Karim Haddad"})) == 61
    plan = plan_query(SearchRequest.model_validate({"person": {"name": "Karim Haddad"}}), 0.8)
    counts = node.gate.count_visible(analyst, search_service.namesake_keys(plan))
    counted = search_service.with_namesakes(plan, counts).person
    assert counted is not None
    assert counted.namesakes == 61


def test_namesakes_the_caller_may_not_find_do_not_count(node: Node, people: People) -> None:
    """Sixty namesakes another agency lists only for a third: the Dutch analyst's search must
    not reveal them, not even by the weight of the name; a date one day off still hits."""
    hidden = [
        RecordDraft.model_validate(
            {
                **d.model_dump(mode="json"),
                "governance": {"dissemination": "listed", "share_agencies": ["TUR-EGM"]},
            }
        )
        for d in _namesakes(60)
    ]
    german = people["DEU-BKA", Role.ANALYST]
    import_records(
        node, german, [OwnedDraft(line=i + 1, owner=None, draft=d) for i, d in enumerate(hidden)]
    )
    _load(node, people, [_person(TARGET, "Karim Haddad", "1966-05-17")])
    request = SearchRequest.model_validate(
        {"person": {"name": "Karim Haddad", "birth_date": "1966-05-18"}}
    )
    dutch = search(node, people["NLD-POL", Role.ANALYST], Purpose.IDENTIFY, request).hits
    assert [h.hit.view.id for h in dutch] == [TARGET]
    assert not any("share this name" in r for r in dutch[0].hit.reasons)
    own = search(node, german, Purpose.IDENTIFY, request).hits
    assert TARGET not in [h.hit.view.id for h in own]  # the Germans see all sixty
