"""API fixtures: a TestClient on the `node` fixture (SQLite and PostgreSQL) and bearer tokens.

`auth` issues a token for one of the `people` (created by the root conftest) and returns the
headers to send; `record_draft` builds small valid record bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.domain.codes import Role
from borderless.services import directory
from borderless.services.node import OPERATOR, Node
from tests.conftest import People

Headers = dict[str, str]
Auth = Callable[[str, Role], Headers]


@pytest.fixture
def api_node(node: Node) -> Node:
    """The test node without background jobs (retention, webhooks: they run on their own clock)."""
    settings = node.settings.model_copy(update={"retention_interval_s": 0, "webhook_interval_s": 0})
    return Node(settings=settings, engine=node.engine, audit_key=node.audit_key, now=node.now)


@pytest.fixture
def client(api_node: Node) -> Iterator[TestClient]:
    with TestClient(create_app(api_node)) as test_client:
        yield test_client


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def username(agency: str, role: Role) -> str:
    """The name the root conftest gives the user of `role` at `agency`."""
    return f"{role.value}.{agency.lower()}"


@pytest.fixture
def auth(api_node: Node, people: People) -> Auth:
    """Headers with a fresh token for the user of `role` at `agency` (cached per user)."""
    issued: dict[tuple[str, Role], Headers] = {}

    def headers(agency: str, role: Role) -> Headers:
        key = (agency, role)
        if key not in issued:
            people[key]  # the user exists
            token = directory.issue_token(api_node, OPERATOR, username(agency, role))
            issued[key] = bearer(token)
        return issued[key]

    return headers


def person(full: str = "Jan Jansen", **governance: Any) -> dict[str, Any]:
    """A minimal valid person draft as JSON, with optional governance fields."""
    draft: dict[str, Any] = {"kind": "person", "body": {"names": [{"full": full}]}}
    if governance:
        draft["governance"] = governance
    return draft
