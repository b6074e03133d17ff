"""Property: no read path ever returns content an agency must not see — and nothing it may.

Hypothesis generates agencies in a few countries, records with random owners and governance
(dissemination, shared countries/agencies, purposes, retention, cases with participants), a
viewer and a purpose. The expected visibility is computed by `oracle`, written from the rules
in docs/governance.md independently of `governance.access`. Every read path of the gate is
checked against it: get, list (browse), search, search scoring (`match`), export.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderless.domain.agencies import Agency, Principal
from borderless.domain.codes import AgencyKind, Dissemination, Purpose, RecordKind, Role
from borderless.domain.records import Governance, Record, parse_body
from borderless.errors import NotFound
from borderless.governance.gate import Scored
from borderless.services.node import Node
from borderless.store import directory
from borderless.store.records import RecordFilter, insert_records
from tests.conftest import IN_CI

COUNTRIES = ["NLD", "DEU", "TUR", "KEN"]
TODAY = date(2026, 6, 1)
_counter = itertools.count()


@dataclass(frozen=True)
class Spec:
    owner: int
    dissemination: Dissemination
    share_countries: tuple[str, ...]
    share_agencies: tuple[int, ...]
    purposes: tuple[Purpose, ...]
    expired: bool
    case: bool
    participants: tuple[int, ...]


specs = st.builds(
    Spec,
    owner=st.integers(0, 4),
    dissemination=st.sampled_from(list(Dissemination)),
    share_countries=st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True).map(tuple),
    share_agencies=st.lists(st.integers(0, 4), max_size=2, unique=True).map(tuple),
    purposes=st.lists(st.sampled_from(list(Purpose)), max_size=2, unique=True).map(tuple),
    expired=st.booleans(),
    case=st.booleans(),
    participants=st.lists(st.integers(0, 4), max_size=2, unique=True).map(tuple),
)

worlds = st.fixed_dictionaries(
    {
        "countries": st.lists(st.sampled_from(COUNTRIES), min_size=5, max_size=5),
        "records": st.lists(specs, min_size=1, max_size=8),
        "viewer": st.integers(0, 4),
        "purpose": st.sampled_from(list(Purpose)),
    }
)


def oracle(
    spec: Spec, codes: list[str], countries: list[str], viewer: int, purpose: Purpose
) -> str:
    """'full', 'reference' or 'none', straight from the documented rules."""
    if spec.owner == viewer:
        return "full"
    if spec.expired:
        return "none"
    listed = spec.dissemination == Dissemination.LISTED and (
        spec.share_countries or spec.share_agencies
    )
    if spec.case or listed:
        allowed = {codes[i] for i in spec.share_agencies} | {f"C:{c}" for c in spec.share_countries}
        if spec.case:
            allowed |= {codes[i] for i in spec.participants}
        if codes[viewer] not in allowed and f"C:{countries[viewer]}" not in allowed:
            return "none"
    if spec.dissemination == Dissemination.HIT_ONLY:
        return "reference"
    if spec.purposes and purpose not in spec.purposes:
        return "reference"
    return "full"


def _record(spec: Spec, rid: str, codes: list[str]) -> Record:
    dissemination = spec.dissemination
    if dissemination == Dissemination.LISTED and not (spec.share_countries or spec.share_agencies):
        dissemination = Dissemination.ALL_MEMBERS  # 'listed' needs targets; the oracle agrees
    governance = Governance(
        dissemination=dissemination,
        share_countries=list(spec.share_countries) if dissemination == Dissemination.LISTED else [],
        share_agencies=[codes[i] for i in spec.share_agencies]
        if dissemination == Dissemination.LISTED
        else [],
        purposes=list(spec.purposes),
        retention_until=TODAY - timedelta(days=1) if spec.expired else TODAY + timedelta(days=30),
    )
    if spec.case:
        kind = RecordKind.CASE
        body = parse_body(
            kind,
            {"title": f"secret case {rid}", "participants": [codes[i] for i in spec.participants]},
        )
    else:
        kind = RecordKind.PERSON
        body = parse_body(kind, {"names": [{"full": f"Secret Person {rid}"}]})
    at = datetime(2026, 5, 1, tzinfo=UTC)
    return Record(
        id=rid,
        kind=kind,
        owner=codes[spec.owner],
        governance=governance,
        body=body,
        created_at=at,
        updated_at=at,
        version=1,
    )


def _apply_oracle_shares(spec: Spec) -> Spec:
    """The stored record drops share lists unless dissemination is 'listed'; mirror that."""
    if spec.dissemination != Dissemination.LISTED:
        return Spec(
            spec.owner,
            spec.dissemination,
            (),
            (),
            spec.purposes,
            spec.expired,
            spec.case,
            spec.participants,
        )
    return spec


def check_world(node: Node, world: dict[str, object]) -> None:
    n = next(_counter)
    countries = list(world["countries"])  # type: ignore[call-overload]
    codes = [f"A{n}-{i}" for i in range(5)]
    with node.engine.begin() as conn:
        for code, country in zip(codes, countries, strict=True):
            directory.add_agency(
                conn,
                Agency(code=code, name=code, country=country, kind=AgencyKind.POLICE),
                datetime.now(UTC),
            )
        specs_ = [_apply_oracle_shares(s) for s in world["records"]]  # type: ignore[attr-defined]
        records = [_record(s, f"R{n}-{i}", codes) for i, s in enumerate(specs_)]
        insert_records(conn, records)
    viewer_i: int = world["viewer"]  # type: ignore[assignment]
    purpose: Purpose = world["purpose"]  # type: ignore[assignment]
    viewer = Principal(
        username="v",
        agency=codes[viewer_i],
        country=countries[viewer_i],
        role=Role.ANALYST,
        agency_kind=AgencyKind.POLICE,
    )
    expected = {
        r.id: oracle(s, codes, countries, viewer_i, purpose)
        for s, r in zip(specs_, records, strict=True)
    }
    ids = [r.id for r in records]
    gate = node.gate
    only_these = RecordFilter(ids=ids)

    for rid, level in expected.items():
        if level == "none":
            with pytest.raises(NotFound):
                gate.get(viewer, purpose, rid)
            continue
        view = gate.get(viewer, purpose, rid)
        assert view.access == level, (rid, level)
        if level == "reference":
            withheld = (view.body, view.label, view.governance, view.source)
            assert withheld == (None, None, None, None)
            assert "secret" not in view.model_dump_json().lower()

    listed = gate.list(viewer, purpose, only_these, (0, 100))
    assert {v.id for v in listed.items} == {r for r, lv in expected.items() if lv == "full"}
    assert all(v.access == "full" for v in listed.items)
    assert listed.total == len(listed.items)

    found = gate.search(viewer, purpose, only_these, (0, 100))
    assert {v.id: v.access for v in found.items} == {
        r: lv for r, lv in expected.items() if lv != "none"
    }
    for v in found.items:
        if v.access == "reference":
            assert (v.body, v.label) == (None, None)

    # Search scoring sees content to decide what is a hit; what leaves must still obey the rules.
    # Records read for the hits (`related`, e.g. notices about them) obey them too.
    matched = gate.match(
        viewer,
        purpose,
        ids,
        lambda _r: Scored(1.0, ("secret reason",)),
        {},
        related=lambda _conn, _hits: ids,
    )
    hits = matched.hits
    assert {h.view.id: h.view.access for h in hits} == {
        r: lv for r, lv in expected.items() if lv != "none"
    }
    for h in hits:
        if h.view.access == "reference":
            assert (h.view.body, h.view.label, h.reasons) == (None, None, ())
    if hits:
        assert {v.id: v.access for v in matched.related} == {
            r: lv for r, lv in expected.items() if lv != "none"
        }
    for v in matched.related:
        if v.access == "reference":
            assert (v.body, v.label) == (None, None)

    exported = {r.id for r in gate.export(viewer, purpose, only_these)}
    assert exported == {r for r, lv in expected.items() if lv == "full"}


EXAMPLES = 1000 if IN_CI else 200


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_no_read_path_leaks(node: Node, clock: object, world: dict[str, object]) -> None:
    check_world(node, world)


def test_oracle_has_all_outcomes() -> None:
    """Guard against a vacuous oracle: each outcome must be reachable."""
    codes, countries = ["a", "b", "c", "d", "e"], ["NLD", "NLD", "DEU", "TUR", "KEN"]
    base = Spec(0, Dissemination.ALL_MEMBERS, (), (), (), False, False, ())
    assert oracle(base, codes, countries, 1, Purpose.IDENTIFY) == "full"
    hit = Spec(0, Dissemination.HIT_ONLY, (), (), (), False, False, ())
    assert oracle(hit, codes, countries, 1, Purpose.IDENTIFY) == "reference"
    listed = Spec(0, Dissemination.LISTED, ("DEU",), (), (), False, False, ())
    assert oracle(listed, codes, countries, 1, Purpose.IDENTIFY) == "none"
    assert oracle(listed, codes, countries, 2, Purpose.IDENTIFY) == "full"
