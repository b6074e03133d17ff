"""End to end over HTTP: records through the gate, on SQLite and PostgreSQL.

Every test goes through `create_app` with real bearer tokens; statuses and bodies are checked.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.domain.codes import Role
from borderless.formats.ftm import entity_id
from borderless.services.node import Node
from tests.api.conftest import Auth, Headers, person

CI = "criminal_investigation"


def create(client: TestClient, headers: Headers, draft: dict[str, Any], purpose: str = CI) -> str:
    response = client.post("/records", params={"purpose": purpose}, json=draft, headers=headers)
    assert response.status_code == 201, response.text
    record_id: str = response.json()["id"]
    return record_id


def get(client: TestClient, headers: Headers, record_id: str, purpose: str = CI) -> Any:
    return client.get(f"/records/{record_id}", params={"purpose": purpose}, headers=headers)


# --- authentication --------------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(client: TestClient) -> None:
    for method, path in [("GET", "/records"), ("POST", "/records"), ("GET", "/me")]:
        response = client.request(method, path, params={"purpose": CI}, json=person())
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthenticated"
        assert "Authorization: Bearer" in response.json()["message"]


def test_bad_token_is_401(client: TestClient, auth: Auth) -> None:
    real = auth("NLD-POL", Role.ANALYST)["Authorization"]
    token_id = real.split("_")[1]
    for header in [
        "Bearer not-a-token",
        f"Bearer bl_{token_id}_forgedsecretforgedsecretforgedsecretforg",  # real id, wrong secret
        real + "x",
        "Basic dXNlcjpwYXNz",
    ]:
        response = client.get("/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"] == "unauthenticated"
    assert client.get("/me", headers={"Authorization": real}).status_code == 200


def test_me_names_the_caller(client: TestClient, auth: Auth) -> None:
    response = client.get("/me", headers=auth("DEU-BKA", Role.OFFICER))
    assert response.status_code == 200
    assert response.json() == {
        "username": "officer.deu-bka",
        "agency": "DEU-BKA",
        "country": "DEU",
        "role": "officer",
    }


# --- the round trip --------------------------------------------------------------------------


def test_create_read_update_delete_round_trip(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    draft = person("Jan Jansen")
    draft["body"]["nationalities"] = ["NL"]
    draft["body"]["birth_dates"] = [{"date": "1970-05"}]
    created = client.post("/records", params={"purpose": CI}, json=draft, headers=analyst)
    assert created.status_code == 201
    body = created.json()
    record_id = body["id"]
    assert record_id.startswith("NLD-POL-P")
    assert body["owner"] == "NLD-POL"
    assert body["owner_country"] == "NLD"
    assert body["access"] == "full"
    assert body["label"] == "Jan Jansen"
    assert body["version"] == 1
    assert body["body"]["nationalities"] == ["NLD"]  # normalised to alpha-3
    assert body["governance"]["retention_until"] == "2031-05-31"  # default: 5 years for persons

    fetched = get(client, analyst, record_id)
    assert fetched.status_code == 200
    assert fetched.json() == body

    changed = client.put(
        f"/records/{record_id}",
        params={"purpose": CI, "expected_version": 1},
        json=person("Jan de Vries"),
        headers=analyst,
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert changed.json()["label"] == "Jan de Vries"
    assert changed.json()["governance"]["retention_until"] == "2031-05-31"  # kept

    stale = client.put(
        f"/records/{record_id}",
        params={"purpose": CI, "expected_version": 1},
        json=person("Lost Update"),
        headers=analyst,
    )
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert "version 2" in stale.json()["message"]
    assert get(client, analyst, record_id).json()["label"] == "Jan de Vries"

    deleted = client.delete(f"/records/{record_id}", params={"purpose": CI}, headers=analyst)
    assert deleted.status_code == 204
    assert deleted.content == b""
    gone = get(client, analyst, record_id)
    assert gone.status_code == 404
    assert gone.json()["error"] == "not_found"


def test_update_cannot_change_the_kind(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    record_id = create(client, analyst, person())
    response = client.put(
        f"/records/{record_id}",
        params={"purpose": CI},
        json={"kind": "document", "body": {"number": "X123"}},
        headers=analyst,
    )
    assert response.status_code == 400
    assert "is a person, not document" in response.json()["message"]


def test_caller_chosen_ids_are_kept_but_colons_are_reserved(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    chosen = create(client, analyst, {**person(), "id": "nl-case-42/p1"})
    assert chosen == "nl-case-42/p1"
    assert get(client, analyst, chosen).json()["id"] == chosen  # '/' in ids is addressable
    again = client.post(
        "/records", params={"purpose": CI}, json={**person(), "id": chosen}, headers=analyst
    )
    assert again.status_code == 409
    imported_like = client.post(
        "/records",
        params={"purpose": CI},
        json={**person(), "id": "HUB:un-sc:QDi.001"},
        headers=analyst,
    )
    assert imported_like.status_code == 400
    assert "reserved" in imported_like.json()["message"]


def test_purpose_may_come_as_a_header(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    record_id = create(client, analyst, person())
    response = client.get(f"/records/{record_id}", headers={**analyst, "X-Purpose": "identify"})
    assert response.status_code == 200
    assert response.json()["id"] == record_id


# --- purpose and input validation ------------------------------------------------------------


def test_missing_purpose_is_400_purpose_required(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    record_id = create(client, analyst, person())
    for method, path, with_body in [
        ("GET", f"/records/{record_id}", False),
        ("POST", "/records", True),
        ("GET", "/records", False),
        ("GET", "/records/search?q=Jansen", False),
        ("GET", "/records/export", False),
        ("PUT", f"/records/{record_id}", True),
        ("DELETE", f"/records/{record_id}", False),
    ]:
        body = person() if with_body else None
        response = client.request(method, path, json=body, headers=analyst)
        assert response.status_code == 400, (method, path)
        assert response.json()["error"] == "purpose_required"
        assert "purpose" in response.json()["message"]
    assert get(client, analyst, record_id).json()["version"] == 1  # nothing changed
    assert client.get("/records", params={"purpose": CI}, headers=analyst).json()["total"] == 1


def test_purpose_off_the_list_is_422(client: TestClient, auth: Auth) -> None:
    for path in ["/records", "/records/search", "/records/x"]:
        response = client.get(
            path,
            params={"purpose": "curiosity", "q": "abc"},
            headers=auth("NLD-POL", Role.ANALYST),
        )
        assert response.status_code == 422, path
        assert response.json()["error"] == "invalid_input"
        assert [d["field"] for d in response.json()["details"]] == ["query.purpose"]


INVALID_BODIES: list[tuple[dict[str, Any], str, str]] = [
    ({"names": []}, "names", "at least 1"),
    ({"gender": "male"}, "names", "Field required"),
    ({"names": [{"full": "X"}], "nationalities": ["ZZQ"]}, "nationalities.0", "ZZQ"),
    ({"names": [{"full": "X"}], "birth_dates": [{"date": "1970-13"}]}, "date", "1970-13"),
    ({"names": [{"full": "X"}], "shoe_size": 44}, "shoe_size", "Extra inputs"),
]


def test_invalid_body_is_422_naming_the_field(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    for body, field, problem in INVALID_BODIES:
        response = client.post(
            "/records",
            params={"purpose": CI},
            json={"kind": "person", "body": body},
            headers=analyst,
        )
        assert response.status_code == 422, body
        data = response.json()
        assert data["error"] == "invalid_input"
        assert field in data["message"], data
        assert problem in data["message"], data
        assert any(field in d["field"] for d in data["details"])
    listed = client.get("/records", params={"purpose": CI}, headers=analyst)
    assert listed.json()["total"] == 0


def test_listed_without_targets_is_422(client: TestClient, auth: Auth) -> None:
    response = client.post(
        "/records",
        params={"purpose": CI},
        json=person(dissemination="listed"),
        headers=auth("NLD-POL", Role.ANALYST),
    )
    assert response.status_code == 422
    assert "governance" in response.json()["message"]
    assert "share_countries" in response.json()["message"]


# --- owners and roles ------------------------------------------------------------------------


def test_another_agency_cannot_change_or_remove(client: TestClient, auth: Auth) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    other = auth("DEU-BKA", Role.SUPERVISOR)
    record_id = create(client, owner, person("Jan Jansen"))
    put = client.put(
        f"/records/{record_id}", params={"purpose": CI}, json=person("Hijacked"), headers=other
    )
    assert put.status_code == 403
    assert put.json()["error"] == "forbidden"
    assert "owner" in put.json()["message"]
    delete = client.delete(f"/records/{record_id}", params={"purpose": CI}, headers=other)
    assert delete.status_code == 403
    assert "owner" in delete.json()["message"]
    after = get(client, owner, record_id).json()
    assert (after["label"], after["version"]) == ("Jan Jansen", 1)
    denied = client.get(
        "/audit", params={"action": "denied"}, headers=auth("HUB", Role.AUDITOR)
    ).json()
    attempts = sorted(e["query"]["attempted"] for e in denied["items"])
    assert attempts == ["delete", "update"]
    assert {e["username"] for e in denied["items"]} == {"supervisor.deu-bka"}
    assert all(e["record_ids"] == [record_id] for e in denied["items"])


def test_owners_auditors_see_refused_changes_to_its_records(client: TestClient, auth: Auth) -> None:
    record_id = create(client, auth("NLD-POL", Role.ANALYST), person())
    refused = client.delete(
        f"/records/{record_id}", params={"purpose": CI}, headers=auth("DEU-BKA", Role.ANALYST)
    )
    assert refused.status_code == 403
    seen = client.get(
        "/audit", params={"action": "denied"}, headers=auth("NLD-POL", Role.AUDITOR)
    ).json()
    assert [e["username"] for e in seen["items"]] == ["analyst.deu-bka"]


def test_changing_an_invisible_record_looks_like_a_missing_one(
    client: TestClient, auth: Auth
) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    outsider = auth("TUR-EGM", Role.ANALYST)
    hidden = create(client, owner, person(dissemination="listed", share_countries=["DEU"]))
    assert get(client, outsider, hidden).status_code == 404
    missing = client.delete(
        "/records/NLD-POL-PNOSUCHRECORD", params={"purpose": CI}, headers=outsider
    )
    probe = client.delete(f"/records/{hidden}", params={"purpose": CI}, headers=outsider)
    assert missing.status_code == 404
    assert probe.status_code == missing.status_code


def test_officer_reads_but_cannot_create(client: TestClient, auth: Auth) -> None:
    officer = auth("NLD-POL", Role.OFFICER)
    response = client.post("/records", params={"purpose": CI}, json=person(), headers=officer)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "may not write records" in response.json()["message"]
    record_id = create(client, auth("NLD-POL", Role.ANALYST), person())
    assert get(client, officer, record_id).status_code == 200
    export = client.get("/records/export", params={"purpose": CI}, headers=officer)
    assert export.status_code == 403


def test_auditor_cannot_read_records(client: TestClient, auth: Auth) -> None:
    record_id = create(client, auth("NLD-POL", Role.ANALYST), person())
    auditor = auth("NLD-POL", Role.AUDITOR)
    for path in (f"/records/{record_id}", "/records", "/records/search"):
        response = client.get(path, params={"purpose": "oversight", "q": "Jansen"}, headers=auditor)
        assert response.status_code == 403, path
        assert response.json()["error"] == "forbidden"


# --- dissemination ---------------------------------------------------------------------------


def test_hit_only_record_is_a_reference_to_others(client: TestClient, auth: Auth) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    record_id = create(client, owner, person("Piet Verborgen", dissemination="hit_only"))
    response = get(client, auth("DEU-BKA", Role.OFFICER), record_id)
    assert response.status_code == 200
    view = response.json()
    assert view["access"] == "reference"
    assert (view["id"], view["kind"], view["owner"]) == (record_id, "person", "NLD-POL")
    for withheld in ("label", "body", "governance", "source", "version", "created_at"):
        assert view.get(withheld) is None, withheld
    assert "Verborgen" not in response.text
    assert "Dutch National Police" in view["contact"]
    assert "NLD-POL" in view["contact"]
    assert record_id in view["contact"]
    mine = get(client, owner, record_id).json()
    assert mine["access"] == "full"
    assert mine["label"] == "Piet Verborgen"


def test_browse_leaves_out_hit_only_records_search_finds_them(
    client: TestClient, auth: Auth
) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    hidden = create(client, owner, person("Piet Verborgen", dissemination="hit_only"))
    open_id = create(client, owner, person("Piet Open"))
    other = auth("DEU-BKA", Role.ANALYST)
    browse = client.get("/records", params={"purpose": CI}, headers=other).json()
    assert [v["id"] for v in browse["items"]] == [open_id]
    assert browse["total"] == 1
    search = client.get(
        "/records/search", params={"purpose": CI, "q": "Piet"}, headers=other
    ).json()
    by_id = {v["id"]: v for v in search["items"]}
    assert set(by_id) == {hidden, open_id}
    assert search["total"] == 2
    assert by_id[hidden]["access"] == "reference"
    assert by_id[hidden]["label"] is None
    assert by_id[open_id]["access"] == "full"
    own_browse = client.get("/records", params={"purpose": CI}, headers=owner).json()
    assert {v["id"] for v in own_browse["items"]} == {hidden, open_id}


def test_search_needs_three_characters(client: TestClient, auth: Auth) -> None:
    response = client.get(
        "/records/search", params={"purpose": CI, "q": "ab"}, headers=auth("NLD-POL", Role.ANALYST)
    )
    assert response.status_code == 422
    assert "q" in response.json()["message"]


def test_listed_record_is_invisible_to_countries_not_listed(client: TestClient, auth: Auth) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    record_id = create(
        client, owner, person("Listed Person", dissemination="listed", share_countries=["DE"])
    )
    listed = get(client, auth("DEU-BKA", Role.OFFICER), record_id)
    assert listed.status_code == 200
    assert listed.json()["access"] == "full"
    assert listed.json()["governance"]["share_countries"] == ["DEU"]
    unlisted = get(client, auth("TUR-EGM", Role.OFFICER), record_id)
    assert unlisted.status_code == 404
    assert unlisted.json()["error"] == "not_found"
    assert "Listed Person" not in unlisted.text
    search = client.get(
        "/records/search",
        params={"purpose": CI, "q": "Listed"},
        headers=auth("TUR-EGM", Role.OFFICER),
    ).json()
    assert search["items"] == []
    assert search["total"] == 0


def test_purpose_restricted_record_is_whole_only_for_its_purposes(
    client: TestClient, auth: Auth
) -> None:
    record_id = create(
        client,
        auth("NLD-POL", Role.ANALYST),
        person("Terror Suspect", purposes=["counter_terrorism"]),
    )
    other = auth("DEU-BKA", Role.ANALYST)
    assert get(client, other, record_id, "counter_terrorism").json()["access"] == "full"
    assert get(client, other, record_id, "border_control").json()["access"] == "reference"


# --- paging ----------------------------------------------------------------------------------


def test_pagination_walks_every_record_once(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-FIU", Role.ANALYST)
    created = {create(client, analyst, person(f"Page Person {i}")) for i in range(7)}
    seen: list[str] = []
    offsets: list[int | None] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(
            "/records", params={"purpose": CI, "limit": 3, "offset": offset}, headers=analyst
        )
        assert page.status_code == 200
        data = page.json()
        assert data["total"] == 7
        assert (data["offset"], data["limit"]) == (offset, 3)
        seen.extend(v["id"] for v in data["items"])
        offset = data["next_offset"]
        offsets.append(offset)
    assert offsets == [3, 6, None]
    assert len(seen) == 7
    assert set(seen) == created


def test_limit_over_the_maximum_is_400(client: TestClient, auth: Auth, api_node: Node) -> None:
    too_many = api_node.settings.page_size_max + 1
    for path in ("/records", "/audit"):
        response = client.get(
            path,
            params={"purpose": CI, "limit": too_many},
            headers=auth("HUB", Role.AUDITOR if path == "/audit" else Role.ANALYST),
        )
        assert response.status_code == 400, path
        assert response.json()["error"] == "invalid_input"
        assert str(api_node.settings.page_size_max) in response.json()["message"]
    zero = client.get(
        "/records", params={"purpose": CI, "limit": 0}, headers=auth("HUB", Role.ANALYST)
    )
    assert zero.status_code == 422


def test_default_limit_respects_a_small_page_size_max(api_node: Node, auth: Auth) -> None:
    settings = api_node.settings.model_copy(update={"page_size_max": 20})
    small = Node(settings, api_node.engine, api_node.audit_key, api_node.now)
    with TestClient(create_app(small)) as client:
        response = client.get("/records", params={"purpose": CI}, headers=auth("HUB", Role.ANALYST))
    assert response.status_code == 200, response.text
    assert response.json()["limit"] == 20


# --- export ----------------------------------------------------------------------------------


@pytest.fixture
def export_world(client: TestClient, auth: Auth) -> dict[str, str]:
    """NLD-POL: open, hit-only, listed to DEU, listed to TUR; DEU-BKA: one of its own."""
    nld = auth("NLD-POL", Role.ANALYST)
    return {
        "open": create(client, nld, person("Open Person")),
        "hit_only": create(client, nld, person("Hidden Person", dissemination="hit_only")),
        "to_deu": create(
            client, nld, person("For Germany", dissemination="listed", share_countries=["DEU"])
        ),
        "to_tur": create(
            client, nld, person("For Turkey", dissemination="listed", share_countries=["TUR"])
        ),
        "deu_own": create(client, auth("DEU-BKA", Role.ANALYST), person("German Person")),
    }


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_export_jsonl_has_only_what_the_caller_sees_whole(
    client: TestClient, auth: Auth, export_world: dict[str, str]
) -> None:
    response = client.get(
        "/records/export",
        params={"purpose": CI, "format": "jsonl"},
        headers=auth("DEU-BKA", Role.ANALYST),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = _lines(response.text)
    w = export_world
    assert {line["id"] for line in lines} == {w["open"], w["to_deu"], w["deu_own"]}
    assert all(line["body"]["names"] for line in lines)
    assert {line["owner"] for line in lines} == {"NLD-POL", "DEU-BKA"}
    assert "Hidden Person" not in response.text
    assert "For Turkey" not in response.text

    own = client.get(
        "/records/export", params={"purpose": CI}, headers=auth("NLD-POL", Role.SUPERVISOR)
    )
    assert {line["id"] for line in _lines(own.text)} == set(w.values())


def test_export_ftm_has_only_what_the_caller_sees_whole(
    client: TestClient, auth: Auth, export_world: dict[str, str]
) -> None:
    response = client.get(
        "/records/export",
        params={"purpose": CI, "format": "ftm"},
        headers=auth("DEU-BKA", Role.ANALYST),
    )
    assert response.status_code == 200
    entities = _lines(response.text)
    w = export_world
    expected = {entity_id(w[k]) for k in ("open", "to_deu", "deu_own")}
    assert {e["id"] for e in entities} == expected
    assert {e["schema"] for e in entities} == {"Person"}
    names = {n for e in entities for n in e["properties"]["name"]}
    assert names == {"Open Person", "For Germany", "German Person"}


def test_export_format_off_the_list_is_422(client: TestClient, auth: Auth) -> None:
    response = client.get(
        "/records/export",
        params={"purpose": CI, "format": "csv"},
        headers=auth("DEU-BKA", Role.ANALYST),
    )
    assert response.status_code == 422
    assert "format" in response.json()["message"]


# --- the audit trail of reads ----------------------------------------------------------------


def test_every_read_is_audited_with_its_purpose(client: TestClient, auth: Auth) -> None:
    record_id = create(client, auth("NLD-POL", Role.ANALYST), person("Audited Person"))
    reader = auth("DEU-BKA", Role.ANALYST)
    assert get(client, reader, record_id, "identify").status_code == 200
    assert (
        client.get("/records", params={"purpose": "border_control"}, headers=reader).json()["total"]
        == 1
    )
    assert (
        client.get(
            "/records/search", params={"purpose": "security_check", "q": "Audited"}, headers=reader
        ).status_code
        == 200
    )
    assert (
        client.get(
            "/records/export", params={"purpose": "counter_terrorism"}, headers=reader
        ).status_code
        == 200
    )
    trail = client.get(
        "/audit",
        params={"record_id": record_id, "username": "analyst.deu-bka"},
        headers=auth("HUB", Role.AUDITOR),
    )
    assert trail.status_code == 200
    found = {(e["action"], e["purpose"]) for e in trail.json()["items"]}
    assert found == {
        ("view", "identify"),
        ("list", "border_control"),
        ("search", "security_check"),
        ("export", "counter_terrorism"),
    }
    for entry in trail.json()["items"]:
        assert entry["record_ids"] == [record_id]
        assert entry["owners"] == ["NLD-POL"]
        assert entry["agency"] == "DEU-BKA"


def _has_utc_offset(stamp: str) -> bool:
    return stamp.endswith(("Z", "+00:00"))


def test_timestamps_carry_their_utc_offset(client: TestClient, auth: Auth) -> None:
    record = client.post(
        "/records",
        params={"purpose": CI},
        json=person(),
        headers=auth("NLD-POL", Role.ANALYST),
    ).json()
    assert record["created_at"] == record["updated_at"]
    assert _has_utc_offset(record["created_at"]), record["created_at"]
    assert record["created_at"].startswith("2026-06-01T12:00:00")  # the test clock
    entry = client.get("/audit", params={"limit": 1}, headers=auth("HUB", Role.AUDITOR))
    assert _has_utc_offset(entry.json()["items"][0]["at"])
