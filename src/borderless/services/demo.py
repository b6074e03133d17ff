"""Set up a demo node: a generated world, its agencies and users, its passenger data, and the UN
list if present."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from borderless.demo.world import WorldFiles, WorldSpec, generate_world
from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, Purpose, Role
from borderless.formats.registry import ImportFormat
from borderless.services import directory, imports, screening
from borderless.services.imports import Progress
from borderless.services.node import OPERATOR, Node
from borderless.services.travel_intake import Upload, ingest
from borderless.store import directory as directory_store
from borderless.store.db import reading

DEMO_ROLES = (Role.OFFICER, Role.ANALYST, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN)
DEMO_TRAVELLERS = 40  # on the demo flight: people of the world, some of them known to agencies


@dataclass
class DemoNode:
    world: WorldFiles
    tokens: dict[str, str] = field(default_factory=dict)  # username -> token
    un_list: str | None = None
    flight: tuple[str, screening.ScreeningReport] | None = None  # (screened by, report)


def demo_username(agency: str, role: Role) -> str:
    return f"{role.value}.{agency.lower()}"


def load_world(node: Node, world: WorldFiles, progress: Progress | None = None) -> list[Agency]:
    """Register the world's agencies and import its records (one atomic import)."""
    created = []
    with reading(node.engine) as conn:
        known = {a.code for a in directory_store.list_agencies(conn)}
    for item in json.loads(world.agencies.read_text()):
        agency = Agency.model_validate(item)
        if agency.code not in known:
            created.append(directory.create_agency(node, OPERATOR, agency))
    imports.import_path(node, OPERATOR, ImportFormat.RECORDS, world.records, None, progress)
    return created


def create_demo_users(node: Node) -> dict[str, str]:
    """One user of every role in every agency, each with a fresh token (username -> token)."""
    tokens: dict[str, str] = {}
    with reading(node.engine) as conn:
        agencies = directory_store.list_agencies(conn)
        existing = {u.username for u in directory_store.list_users(conn)}
    for agency in agencies:
        for role in DEMO_ROLES:
            name = demo_username(agency.code, role)
            if name not in existing:
                directory.create_user(
                    node, OPERATOR, User(username=name, agency=agency.code, role=role)
                )
            tokens[name] = directory.issue_token(node, OPERATOR, name, "demo")
    return tokens


def setup_demo(
    node: Node,
    spec: WorldSpec,
    un_list: Path | None,
    progress: Progress | None = None,
) -> DemoNode:
    """Generate (or reuse) the world, load it, add users, import the UN list, screen a flight."""
    world_dir = node.settings.data_dir / f"world-{spec.persons}-{spec.seed}"
    world = generate_world(spec, world_dir) if not (world_dir / "records.jsonl").exists() else None
    if world is None:
        world = WorldFiles(
            agencies=world_dir / "agencies.json",
            records=world_dir / "records.jsonl",
            truth=world_dir / "truth.jsonl",
            counts={},
            passengers=world_dir / "passengers.jsonl",
        )
    load_world(node, world, progress)
    demo = DemoNode(world=world, tokens=create_demo_users(node))
    load_passengers(node, world)
    if un_list is not None and un_list.exists():
        with reading(node.engine) as conn:
            hub = next(iter(directory_store.hub_agencies(conn)), None)
        if hub is not None:
            result = imports.import_path(
                node, directory.operator_for(node, hub), ImportFormat.UN_LIST, un_list, hub
            )
            demo.un_list = f"{result.dataset} {result.version}"
    demo.flight = demo_flight(node, world)
    return demo


def load_passengers(node: Node, world: WorldFiles) -> int:
    """Each manifest of the world's passenger data, stored by an analyst of the border agency it
    names (the departure country's passenger information unit); returns the travellers."""
    if world.passengers is None or not world.passengers.exists():
        return 0
    stored = 0
    for n, line in enumerate(world.passengers.read_bytes().splitlines(), start=1):
        item = json.loads(line)
        analyst = directory.principal_by_name(node, demo_username(item["agency"], Role.ANALYST))
        upload = Upload(json.dumps(item["manifest"]).encode(), f"passengers.jsonl:{n}")
        stored += sum(r.travellers for r in ingest(node, analyst, Purpose.BORDER_CONTROL, upload))
    return stored


def _travellers(world: WorldFiles, count: int, stride: int = 7) -> list[dict[str, object]]:
    """Manifest rows for `count` persons of the world (every `stride`-th, first name as written).

    Reads the records file only as far as it must: a large world's file is gigabytes.
    """
    rows: list[dict[str, object]] = []
    seen = 0
    with world.records.open("rb") as lines:
        for line in lines:
            if b'"person"' not in line:
                continue
            record = json.loads(line)
            if record["kind"] != "person":
                continue
            seen += 1
            if (seen - 1) % stride:
                continue
            body = record["body"]
            words = body["names"][0]["full"].split()
            born = next((b["date"] for b in body.get("birth_dates", []) if "date" in b), None)
            row: dict[str, object] = {"surname": words[-1], "given_names": " ".join(words[:-1])}
            if born and len(born) == 10:
                row["birth_date"] = born
            if body.get("nationalities"):
                row["nationality"] = body["nationalities"][0]
            rows.append(row)
            if len(rows) == count:
                break
    return rows


def demo_flight(node: Node, world: WorldFiles) -> tuple[str, screening.ScreeningReport] | None:
    """A manifest of the world's people flying in, screened by a border agency's analyst."""
    with reading(node.engine) as conn:
        borders = [a for a in directory_store.list_agencies(conn) if a.kind == AgencyKind.BORDER]
    # the flight lands in Amsterdam: the Dutch border agency screens it, if the world has one
    border = min(borders, key=lambda a: (a.country != "NLD", a.code), default=None)
    if border is None:
        return None
    manifest = {
        "reference": "DEMO-FLIGHT-1",
        "sender": "BORDERLESS DEMO",
        "flight": {
            "carrier": "BX",
            "number": "101",
            "origin": "IST",
            "destination": "AMS",
            "departure": "2026-06-01T09:15",
        },
        "travellers": _travellers(world, DEMO_TRAVELLERS),
    }
    analyst = directory.principal_by_name(node, demo_username(border.code, Role.ANALYST))
    upload = Upload(json.dumps(manifest).encode(), "demo-flight.json")
    [report] = screening.screen_upload(node, analyst, Purpose.BORDER_CONTROL, upload)
    return demo_username(border.code, Role.ANALYST), report
