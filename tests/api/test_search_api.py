"""POST /search, POST /match and the notifications inbox over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from tests.api.conftest import Auth


def _create(client: TestClient, headers: dict[str, str], body: dict[str, object]) -> str:
    response = client.post("/records?purpose=data_management", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_search_match_and_notifications(client: TestClient, auth: Auth) -> None:
    owner = auth("DEU-BKA", Role.ANALYST)
    person_id = _create(
        client,
        owner,
        {
            "kind": "person",
            "body": {"names": [{"full": "Ahmad Shah Massoud"}]},
            "governance": {"dissemination": "hit_only"},
        },
    )
    searcher = auth("NLD-POL", Role.OFFICER)

    missing = client.post(
        "/search", json={"person": {"name": "Ahmed Shah Masood"}}, headers=searcher
    )
    assert missing.status_code == 400
    assert missing.json()["error"] == "purpose_required"

    response = client.post(
        "/search?purpose=identify", json={"person": {"name": "Ahmed Shah Masood"}}, headers=searcher
    )
    assert response.status_code == 200, response.text
    hit = response.json()["hits"][0]
    assert hit["id"] == person_id
    assert hit["access"] == "reference"
    assert hit["reasons"] == []
    assert hit["record"] is None

    bad = client.post(
        "/search?purpose=identify",
        json={"person": {"name": "x y"}, "vehicle": {}},
        headers=searcher,
    )
    assert bad.status_code == 422
    assert "vehicle" in bad.json()["message"]

    inbox = client.get("/notifications", headers=owner).json()
    assert inbox["items"][0]["record_id"] == person_id
    marked = client.post(
        "/notifications/read", json={"ids": [inbox["items"][0]["id"]]}, headers=owner
    )
    assert marked.json() == {"marked": 1}
    assert client.get("/notifications?unread=true", headers=owner).json()["total"] == 0

    match = client.post(
        "/match",
        json={"a": {"name": "Ahmed Shah Masood"}, "b": {"name": "Ahmad Shah Massoud"}},
        headers=searcher,
    )
    assert match.status_code == 200
    assert match.json()["match"] is True
