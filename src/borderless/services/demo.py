"""Set up a demo node: a generated world, its agencies and users, and the UN list if present."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from borderless.demo.world import WorldFiles, WorldSpec, generate_world
from borderless.domain.agencies import Agency, User
from borderless.domain.codes import Role
from borderless.formats.registry import ImportFormat
from borderless.services import directory, imports
from borderless.services.imports import Progress
from borderless.services.node import OPERATOR, Node
from borderless.store import directory as directory_store
from borderless.store.db import reading

DEMO_ROLES = (Role.OFFICER, Role.ANALYST, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN)


@dataclass
class DemoNode:
    world: WorldFiles
    tokens: dict[str, str] = field(default_factory=dict)  # username -> token
    un_list: str | None = None


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
    """Generate (or reuse) the world under the data dir, load it, add users, import the UN list."""
    world_dir = node.settings.data_dir / f"world-{spec.persons}-{spec.seed}"
    world = generate_world(spec, world_dir) if not (world_dir / "records.jsonl").exists() else None
    if world is None:
        world = WorldFiles(
            agencies=world_dir / "agencies.json",
            records=world_dir / "records.jsonl",
            truth=world_dir / "truth.jsonl",
            counts={},
        )
    load_world(node, world, progress)
    demo = DemoNode(world=world, tokens=create_demo_users(node))
    if un_list is not None and un_list.exists():
        with reading(node.engine) as conn:
            hub = next(iter(directory_store.hub_agencies(conn)), None)
        if hub is not None:
            result = imports.import_path(
                node, directory.operator_for(node, hub), ImportFormat.UN_LIST, un_list, hub
            )
            demo.un_list = f"{result.dataset} {result.version}"
    return demo
