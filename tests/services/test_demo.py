"""The demo node: a generated world loaded, users with working tokens, the UN list, searchable."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from borderless.demo.world import WorldSpec
from borderless.domain.codes import Purpose
from borderless.services import directory
from borderless.services.demo import DEMO_TRAVELLERS, setup_demo
from borderless.services.node import Node
from borderless.services.search import search
from borderless.services.search_query import SearchRequest
from borderless.store.records import RecordFilter
from borderless.store.schema import records
from tests.conftest import shared_data


def test_setup_demo_loads_world_users_and_un_list(node: Node) -> None:
    un_list = shared_data() / "watchlists" / "un" / "consolidated.xml"
    demo = setup_demo(node, WorldSpec(persons=300, seed=11), un_list)
    agencies = json.loads(demo.world.agencies.read_text())
    assert len(demo.tokens) == 5 * len(agencies)
    analyst = directory.authenticate(node, demo.tokens["analyst.nld-pol"])
    assert analyst.agency == "NLD-POL"
    assert demo.un_list is not None
    assert demo.un_list.startswith("un-sc ")
    un = node.gate.list(
        analyst, Purpose.COUNTER_TERRORISM, RecordFilter(source_dataset="un-sc"), (0, 1)
    )
    assert un.total == 1308
    hits = search(
        node,
        analyst,
        Purpose.IDENTIFY,
        SearchRequest.model_validate({"person": {"name": "Hamza Usama Muhammad bin Laden"}}),
    )
    assert hits.hits
    with node.engine.connect() as conn:  # every world record and every UN record is stored
        stored = conn.execute(select(func.count()).select_from(records)).scalar_one()
    assert stored == demo.world.counts["records"] + 1308
    # a flight of the world's people is screened by the Dutch border agency's analyst
    assert demo.flight is not None
    screener, report = demo.flight
    assert screener == "analyst.nld-border"
    assert report.travellers == DEMO_TRAVELLERS
    assert report.hits  # people of the world are known to its agencies
    again = setup_demo(node, WorldSpec(persons=300, seed=11), un_list)  # idempotent re-run
    assert set(again.tokens) == set(demo.tokens)
