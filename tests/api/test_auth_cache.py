"""The per-process token cache: how long a revocation made elsewhere may take to apply.

Revocations through this API clear the cache at once (tests/api/test_admin_api.py); these tests
pin the bound for revocations the server process does not see (another worker, the CLI).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.api.auth import TokenCache
from borderless.domain.codes import Role
from borderless.services import directory
from borderless.services.node import OPERATOR, Node
from tests.api.conftest import Auth, Headers
from tests.conftest import People

TTL = 2.0


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def client_with(node: Node, cache: TokenCache) -> TestClient:
    app = create_app(node)
    app.state.tokens = cache
    return TestClient(app)


@pytest.fixture
def cached_client(api_node: Node, ticks: Ticks) -> Iterator[TestClient]:
    with client_with(api_node, TokenCache(TTL, clock=ticks)) as client:
        yield client


def token_id(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer bl_").split("_")[0]


def test_a_token_revoked_elsewhere_works_at_most_ttl_seconds_more(
    cached_client: TestClient, api_node: Node, auth: Auth, ticks: Ticks
) -> None:
    officer = auth("NLD-POL", Role.OFFICER)
    assert cached_client.get("/me", headers=officer).status_code == 200
    directory.revoke_token(api_node, OPERATOR, token_id(officer))  # e.g. the CLI

    ticks.now += TTL - 0.01
    assert cached_client.get("/me", headers=officer).status_code == 200
    ticks.now += 0.01
    refused = cached_client.get("/me", headers=officer)
    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthenticated"


def test_a_user_disabled_elsewhere_is_refused_after_the_ttl(
    cached_client: TestClient, api_node: Node, auth: Auth, people: People, ticks: Ticks
) -> None:
    analyst = auth("DEU-BKA", Role.ANALYST)
    assert cached_client.get("/me", headers=analyst).status_code == 200
    directory.set_user_active(api_node, OPERATOR, "analyst.deu-bka", False)
    ticks.now += TTL
    assert cached_client.get("/me", headers=analyst).status_code == 401


def test_with_no_cache_every_request_reads_the_directory(api_node: Node, auth: Auth) -> None:
    officer = auth("NLD-POL", Role.OFFICER)
    with client_with(api_node, TokenCache(0)) as client:
        assert client.get("/me", headers=officer).status_code == 200
        directory.revoke_token(api_node, OPERATOR, token_id(officer))
        assert client.get("/me", headers=officer).status_code == 401


def test_the_default_cache_time_comes_from_the_settings(api_node: Node) -> None:
    node = Node(
        settings=api_node.settings.model_copy(update={"auth_cache_s": 0.5}),
        engine=api_node.engine,
        audit_key=api_node.audit_key,
    )
    tokens = create_app(node).state.tokens
    assert isinstance(tokens, TokenCache)
    assert tokens.ttl == 0.5


def test_a_look_up_that_raced_a_revocation_is_not_remembered(people: People, ticks: Ticks) -> None:
    cache = TokenCache(TTL, clock=ticks)
    principal = people["NLD-POL", Role.OFFICER]
    started_at = cache.generation  # a look-up begins ...
    cache.clear()  # ... a token is revoked in this process meanwhile ...
    cache.put("hash", principal, started_at)  # ... and the look-up's answer arrives
    assert cache.get("hash") is None
    cache.put("hash", principal, cache.generation)
    assert cache.get("hash") == principal
    ticks.now += TTL
    assert cache.get("hash") is None
