"""End to end over HTTP: agencies, users, tokens, the audit log and retention."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from tests.api.conftest import Auth, Headers, bearer, person
from tests.conftest import Clock

CI = "criminal_investigation"
KENYA = {"code": "KEN-DCI", "name": "Directorate of Criminal Investigations", "country": "KE"}


def create(client: TestClient, headers: Headers, draft: dict[str, Any], purpose: str = CI) -> str:
    response = client.post("/records", params={"purpose": purpose}, json=draft, headers=headers)
    assert response.status_code == 201, response.text
    record_id: str = response.json()["id"]
    return record_id


def audit(client: TestClient, headers: Headers, **criteria: str) -> dict[str, Any]:
    response = client.get("/audit", params=criteria, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


# --- tokens and users ------------------------------------------------------------------------


def test_issued_token_works_until_revoked(client: TestClient, auth: Auth) -> None:
    admin = auth("NLD-POL", Role.ADMIN)
    issued = client.post("/users/analyst.nld-pol/tokens", json={"label": "laptop"}, headers=admin)
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert token.startswith("bl_")
    assert "Shown once" in issued.json()["note"]
    me = client.get("/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json()["username"] == "analyst.nld-pol"

    token_id = token.split("_")[1]
    revoked = client.delete(f"/tokens/{token_id}", headers=admin)
    assert revoked.status_code == 204
    after = client.get("/me", headers=bearer(token))
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"] == "Bearer"
    assert "revoked" in after.json()["message"]
    assert client.get("/me", headers=admin).status_code == 200  # other tokens unaffected
    unknown = client.delete("/tokens/ffffffffffff", headers=admin)
    assert unknown.status_code == 404


def test_a_user_may_revoke_its_own_token_but_not_anothers(client: TestClient, auth: Auth) -> None:
    mine = auth("NLD-POL", Role.OFFICER)
    theirs = auth("DEU-BKA", Role.OFFICER)
    their_id = theirs["Authorization"].split("_")[1]
    refused = client.delete(f"/tokens/{their_id}", headers=mine)
    assert refused.status_code == 403
    assert client.get("/me", headers=theirs).status_code == 200
    my_id = mine["Authorization"].split("_")[1]
    assert client.delete(f"/tokens/{my_id}", headers=mine).status_code == 204
    assert client.get("/me", headers=mine).status_code == 401


def test_disabled_users_token_is_refused_until_enabled(client: TestClient, auth: Auth) -> None:
    officer = auth("NLD-POL", Role.OFFICER)
    assert client.get("/me", headers=officer).status_code == 200
    foreign = client.patch(
        "/users/officer.nld-pol", json={"active": False}, headers=auth("DEU-BKA", Role.ADMIN)
    )
    assert foreign.status_code == 403
    assert client.get("/me", headers=officer).status_code == 200

    admin = auth("NLD-POL", Role.ADMIN)
    disabled = client.patch("/users/officer.nld-pol", json={"active": False}, headers=admin)
    assert disabled.status_code == 204
    refused = client.get("/records", params={"purpose": CI}, headers=officer)
    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthenticated"
    assert refused.headers["WWW-Authenticate"] == "Bearer"

    enabled = client.patch("/users/officer.nld-pol", json={"active": True}, headers=admin)
    assert enabled.status_code == 204
    assert client.get("/me", headers=officer).status_code == 200
    missing = client.patch("/users/nobody", json={"active": False}, headers=admin)
    assert missing.status_code == 404


def test_hub_admin_registers_agencies(client: TestClient, auth: Auth) -> None:
    hub_admin = auth("HUB", Role.ADMIN)
    created = client.post("/agencies", json={**KENYA, "kind": "police"}, headers=hub_admin)
    assert created.status_code == 201
    body = created.json()
    assert (body["code"], body["country"], body["kind"]) == ("KEN-DCI", "KEN", "police")
    listed = client.get("/agencies", headers=auth("TUR-EGM", Role.OFFICER))
    assert listed.status_code == 200
    assert "KEN-DCI" in {a["code"] for a in listed.json()}

    again = client.post("/agencies", json={**KENYA, "kind": "police"}, headers=hub_admin)
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"

    member_admin = auth("NLD-POL", Role.ADMIN)
    other = {**KENYA, "code": "KEN-NPS", "kind": "police"}
    refused = client.post("/agencies", json=other, headers=member_admin)
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    hub_analyst = client.post("/agencies", json=other, headers=auth("HUB", Role.ANALYST))
    assert hub_analyst.status_code == 403
    codes = {a["code"] for a in client.get("/agencies", headers=hub_admin).json()}
    assert "KEN-NPS" not in codes

    bad = client.post(
        "/agencies",
        json={**KENYA, "code": "x", "country": "ZZQ", "kind": "police"},
        headers=hub_admin,
    )
    assert bad.status_code == 422
    assert "code" in bad.json()["message"]
    assert "country" in bad.json()["message"]


def test_admins_manage_users_of_their_own_agency(client: TestClient, auth: Auth) -> None:
    admin = auth("NLD-POL", Role.ADMIN)
    new = {"username": "new.officer", "agency": "NLD-POL", "role": "officer"}
    created = client.post("/users", json=new, headers=admin)
    assert created.status_code == 201
    assert created.json()["username"] == "new.officer"
    assert created.json()["active"] is True
    duplicate = client.post("/users", json=new, headers=admin)
    assert duplicate.status_code == 409

    foreign = {"username": "planted", "agency": "DEU-BKA", "role": "admin"}
    refused = client.post("/users", json=foreign, headers=admin)
    assert refused.status_code == 403
    assert "own" in refused.json()["message"]
    by_hub = client.post("/users", json=foreign, headers=auth("HUB", Role.ADMIN))
    assert by_hub.status_code == 201

    token = client.post("/users/new.officer/tokens", json={}, headers=admin)
    assert token.status_code == 201
    me = client.get("/me", headers=bearer(token.json()["token"]))
    assert me.json() == {
        "username": "new.officer",
        "agency": "NLD-POL",
        "country": "NLD",
        "role": "officer",
    }
    cross = client.post("/users/planted/tokens", json={}, headers=admin)
    assert cross.status_code == 403

    users = client.get("/users", headers=admin)
    assert users.status_code == 200
    assert {u["agency"] for u in users.json()} == {"NLD-POL"}
    assert "new.officer" in {u["username"] for u in users.json()}
    assert client.get("/users", headers=auth("NLD-POL", Role.ANALYST)).status_code == 403


def test_user_validation_is_422(client: TestClient, auth: Auth) -> None:
    admin = auth("NLD-POL", Role.ADMIN)
    bad_role = client.post(
        "/users",
        json={"username": "ok.user", "agency": "NLD-POL", "role": "emperor"},
        headers=admin,
    )
    assert bad_role.status_code == 422
    assert [d["field"] for d in bad_role.json()["details"]] == ["body.role"]
    for username in ("x", "has space"):
        bad_name = client.post(
            "/users",
            json={"username": username, "agency": "NLD-POL", "role": "officer"},
            headers=admin,
        )
        assert bad_name.status_code == 422, username
        assert bad_name.json()["error"] == "invalid_input"
        assert "username" in bad_name.json()["message"]
    users = {u["username"] for u in client.get("/users", headers=admin).json()}
    assert not users & {"ok.user", "x", "has space"}


# --- the audit log ---------------------------------------------------------------------------


def test_auditors_query_the_log_by_record_user_purpose_and_action(
    client: TestClient, auth: Auth
) -> None:
    nld = auth("NLD-POL", Role.ANALYST)
    nld_record = create(client, nld, person("Audit Subject"))
    deu = auth("DEU-BKA", Role.ANALYST)
    assert client.get(
        f"/records/{nld_record}", params={"purpose": "identify"}, headers=deu
    ).is_success
    tur = auth("TUR-EGM", Role.ANALYST)
    tur_record = create(client, tur, person("Turkish Subject"), purpose="border_control")
    assert client.get(
        f"/records/{tur_record}", params={"purpose": "border_control"}, headers=tur
    ).is_success

    hub = auth("HUB", Role.AUDITOR)
    by_record = audit(client, hub, record_id=nld_record)
    # create, the view that answers the POST, and DEU-BKA's view
    assert sorted((e["username"], e["action"]) for e in by_record["items"]) == [
        ("analyst.deu-bka", "view"),
        ("analyst.nld-pol", "create"),
        ("analyst.nld-pol", "view"),
    ]
    assert all(nld_record in e["record_ids"] for e in by_record["items"])
    assert by_record["total"] == 3

    by_user = audit(client, hub, username="analyst.deu-bka")
    assert {e["username"] for e in by_user["items"]} == {"analyst.deu-bka"}
    assert [(e["action"], e["purpose"]) for e in by_user["items"]] == [("view", "identify")]

    by_purpose = audit(client, hub, purpose="border_control")
    assert {e["username"] for e in by_purpose["items"]} == {"analyst.tur-egm"}
    assert {e["action"] for e in by_purpose["items"]} == {"create", "view"}

    creations = audit(client, hub, action="create")
    assert sorted(e["record_ids"][0] for e in creations["items"]) == sorted(
        [nld_record, tur_record]
    )
    assert creations["total"] == 2

    both = audit(client, hub, action="view", purpose="identify")
    assert [e["record_ids"] for e in both["items"]] == [[nld_record]]

    newest_first = [e["seq"] for e in audit(client, hub)["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    queries = audit(client, hub, action="audit_query", username="auditor.hub")
    assert queries["total"] >= 6  # reading the log is audited too
    assert {e["purpose"] for e in queries["items"]} == {"oversight"}

    bad = client.get("/audit", params={"action": "peek"}, headers=hub)
    assert bad.status_code == 422
    refused = client.get("/audit", headers=auth("HUB", Role.ANALYST))
    assert refused.status_code == 403


def test_agency_auditors_see_only_their_agencys_share(client: TestClient, auth: Auth) -> None:
    nld_record = create(client, auth("NLD-POL", Role.ANALYST), person("Dutch Subject"))
    deu = auth("DEU-BKA", Role.ANALYST)
    assert client.get(
        f"/records/{nld_record}", params={"purpose": "identify"}, headers=deu
    ).is_success
    tur_record = create(client, auth("TUR-EGM", Role.ANALYST), person("Turkish Subject"))

    nld_auditor = auth("NLD-POL", Role.AUDITOR)
    share = audit(client, nld_auditor, limit="1000")
    assert share["total"] == len(share["items"])
    for entry in share["items"]:
        assert entry["agency"] == "NLD-POL" or "NLD-POL" in entry["owners"], entry
        assert tur_record not in entry["record_ids"]
    seen = {(e["username"], e["action"]) for e in share["items"]}
    assert ("analyst.nld-pol", "create") in seen
    assert ("analyst.deu-bka", "view") in seen  # someone else read its record
    assert ("analyst.tur-egm", "create") not in seen
    assert audit(client, nld_auditor, record_id=tur_record)["total"] == 0
    assert audit(client, nld_auditor, username="analyst.tur-egm")["total"] == 0

    hub_share = audit(client, auth("HUB", Role.AUDITOR), record_id=tur_record)
    assert {(e["username"], e["action"]) for e in hub_share["items"]} == {
        ("analyst.tur-egm", "create"),
        ("analyst.tur-egm", "view"),
    }
    everything = audit(client, auth("HUB", Role.AUDITOR))
    assert everything["total"] > share["total"]
    assert {"NODE", "NLD-POL", "DEU-BKA", "TUR-EGM"} <= {
        e["agency"] for e in audit(client, auth("HUB", Role.AUDITOR), limit="1000")["items"]
    }


def test_audit_verify_reports_an_intact_chain(client: TestClient, auth: Auth) -> None:
    create(client, auth("NLD-POL", Role.ANALYST), person())
    response = client.get("/audit/verify", headers=auth("HUB", Role.AUDITOR))
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True
    assert report["problems"] == []
    assert report["checked"] == report["head"]["seq"] > 25  # people, tokens, the record
    assert len(report["head"]["hash"]) == 64
    for not_hub_auditor in (auth("DEU-BKA", Role.AUDITOR), auth("HUB", Role.ANALYST)):
        refused = client.get("/audit/verify", headers=not_hub_auditor)
        assert refused.status_code == 403
        assert refused.json()["error"] == "forbidden"
    head = report["head"]
    anchored = client.get(
        "/audit/verify",
        params={"anchor": f"{head['seq']}:{head['hash']}"},
        headers=auth("HUB", Role.AUDITOR),
    )
    assert anchored.json()["ok"] is True
    assert anchored.json()["checked"] > head["seq"]  # the first verification was audited
    wrong = client.get(
        "/audit/verify",
        params={"anchor": f"{head['seq']}:{'0' * 64}"},
        headers=auth("HUB", Role.AUDITOR),
    )
    assert wrong.json()["ok"] is False
    assert any(f"anchor entry {head['seq']}" in p for p in wrong.json()["problems"])
    malformed = client.get(
        "/audit/verify", params={"anchor": "nonsense"}, headers=auth("HUB", Role.AUDITOR)
    )
    assert malformed.status_code == 400


# --- retention -------------------------------------------------------------------------------


def test_retention_run_purges_expired_records(client: TestClient, auth: Auth, clock: Clock) -> None:
    owner = auth("NLD-POL", Role.ANALYST)
    other = auth("DEU-BKA", Role.ANALYST)
    short = create(client, owner, person("Short Lived", retention_until="2026-06-10"))
    long = create(client, owner, person("Long Lived"))
    assert client.get(f"/records/{short}", params={"purpose": CI}, headers=other).status_code == 200

    clock.advance(30)  # 2026-07-01: past the short record's retention date
    expired = client.get(f"/records/{short}", params={"purpose": CI}, headers=other)
    assert expired.status_code == 404  # others no longer see it ...
    assert client.get(f"/records/{short}", params={"purpose": CI}, headers=owner).is_success

    for not_node_wide in (owner, auth("NLD-POL", Role.ADMIN), auth("HUB", Role.ANALYST)):
        refused = client.post("/retention/run", headers=not_node_wide)
        assert refused.status_code == 403
        assert refused.json()["error"] == "forbidden"
    assert client.get(f"/records/{short}", params={"purpose": CI}, headers=owner).is_success
    run = client.post("/retention/run", headers=auth("HUB", Role.ADMIN))
    assert run.status_code == 200
    assert run.json() == {"purged": 1, "owners": ["NLD-POL"]}

    gone = client.get(f"/records/{short}", params={"purpose": CI}, headers=owner)
    assert gone.status_code == 404  # ... and after the purge nor does its owner
    assert client.get(f"/records/{long}", params={"purpose": CI}, headers=owner).is_success
    again = client.post("/retention/run", headers=auth("HUB", Role.ADMIN))
    assert again.json() == {"purged": 0, "owners": []}

    purges = audit(client, auth("NLD-POL", Role.AUDITOR), action="purge")
    assert [e["record_ids"] for e in purges["items"]] == [[short]]
    assert "Short Lived" not in str(purges)  # ids and owners, never content
