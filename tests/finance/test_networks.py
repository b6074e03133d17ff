"""Networks by strong money ties and shared attributes; their picture and interactive page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.errors import NotFound
from borderless.finance.frame import ArrayFlows, FlowFrame, Holder, from_arrays
from borderless.finance.networks import find_networks
from borderless.finance.typologies import detect
from borderless.services.finance import FinanceFormat, import_flows
from borderless.services.finance_models import NetworkRequest
from borderless.services.finance_networks import draw_network, run_networks
from borderless.services.node import Node
from borderless.store.schema import audit_log
from tests.api.conftest import Auth, api_node, auth, client  # noqa: F401 - fixtures
from tests.cli.test_cli import Cli, cli, directory_setup, ok  # noqa: F401 - fixtures
from tests.conftest import People

FI = Purpose.FINANCIAL_INVESTIGATION
D = 86_400


def _frame() -> FlowFrame:
    # 0 -> 1 -> 2 move 60k each (strong); 3 -> 4 pays 200 (weak); 5 and 6 unrelated by money
    frame = from_arrays(
        ArrayFlows(
            account_ids=[f"A{i}" for i in range(7)],
            src=np.array([0, 1, 3, 5]),
            dst=np.array([1, 2, 4, 6]),
            amount=np.array([60_000.0, 59_000.0, 200.0, 100.0]),
            time=1_750_000_000 + np.array([0, D, 2 * D, 3 * D]),
            account_country=["NLD", "CYP", "ARE", "NLD", "DEU", "FRA", "FRA"],
        )
    )
    phone = {"identifiers": [{"scheme": "phone", "value": "+31 6 1234 5678"}]}
    for account, holder in ((2, "P1"), (3, "P2"), (4, "P3")):
        frame.account_holders[account] = (holder,)
    frame.holders["P1"] = Holder("P1", "person", "Ann", None, phone)
    frame.holders["P2"] = Holder("P2", "person", "Bob", None, phone)  # shares Ann's phone
    frame.holders["P3"] = Holder("P3", "person", "Cem", None, {})
    return frame


def test_networks_join_strong_flows_holders_and_shared_phones() -> None:
    frame = _frame()
    networks = find_networks(frame, [])
    assert len(networks) == 1  # 5 -> 6 is weak and unshared: no network
    network = networks[0]
    # the strong chain 0-1-2, Ann holds 2 and shares a phone with Bob, who holds 3
    assert network.accounts == [0, 1, 2, 3]
    assert set(network.holders) == {"P1", "P2"}
    assert network.shared == {"phone:+31 6 1234 5678": ["P1", "P2"]}
    assert network.countries(frame) == ["ARE", "CYP", "NLD"]
    assert network.total_eur(frame) == pytest.approx(119_000)
    assert detect(frame) == []


def _strong_chain(folder: Path) -> Path:
    path = folder / "chain.csv"
    path.write_text(
        "transaction_id,from_account,to_account,amount,currency,time,from_country,to_country,"
        "from_holder,to_holder\n"
        "C1,NL-1,CY-1,80000,EUR,2025-04-01T10:00:00Z,NL,CY,Ann,Bob\n"
        "C2,CY-1,AE-1,79000,EUR,2025-04-02T10:00:00Z,CY,AE,Bob,Cem\n"
        "C3,AE-1,HK-1,78000,EUR,2025-04-03T10:00:00Z,AE,HK,Cem,Dan\n"
    )
    return path


def test_networks_service_and_pictures(node: Node, people: People, tmp_path: Path) -> None:
    fiu = people["NLD-FIU", Role.ANALYST]
    import_flows(node, fiu, FinanceFormat.CSV, _strong_chain(tmp_path))
    response = run_networks(node, people["DEU-BKA", Role.ANALYST], FI, NetworkRequest())
    assert response.networks_total == 1
    network = response.networks[0]
    assert [a.source_id for a in network.accounts] == ["AE-1", "CY-1", "HK-1", "NL-1"]
    assert network.countries == ["ARE", "CYP", "HKG", "NLD"]
    assert network.total_eur == pytest.approx(237_000)
    assert network.alerts == ["layering: " + network.alerts[0].split(": ", 1)[1]]
    assert {h.label for h in network.holders} == {"Ann", "Bob", "Cem", "Dan"}
    around = run_networks(node, fiu, FI, NetworkRequest(account="CY-1"))
    assert around.networks_total == 1
    with pytest.raises(NotFound):
        run_networks(node, fiu, FI, NetworkRequest(account="nobody"))
    pictures = draw_network(node, fiu, FI, NetworkRequest())
    assert pictures.png.startswith(b"\x89PNG")
    assert "NLD-FIU:transactions:acct:CY-1" in pictures.html
    assert "layering" in pictures.html
    assert "src=" not in pictures.html  # standalone: nothing loaded from elsewhere
    assert "http://" not in pictures.html.replace("http://www.w3.org/2000/svg", "")


def test_networks_cli(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    directory_setup(cli)
    path = _strong_chain(tmp_path)
    ok(cli("--as", "analyst.nld", "finance", "import", str(path), "--format", "csv"))
    image, page = tmp_path / "net.png", tmp_path / "net.html"
    table = ok(
        cli(
            "--as",
            "analyst.deu",
            "finance",
            "networks",
            "--purpose",
            FI.value,
            "--image",
            str(image),
            "--html",
            str(page),
        )
    )
    assert "layering" in table
    assert image.read_bytes().startswith(b"\x89PNG")
    assert "<svg" in page.read_text()


def test_networks_api_and_audit(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    api_node: Node,  # noqa: F811
    people: People,
    tmp_path: Path,
) -> None:
    import_flows(
        api_node, people["NLD-FIU", Role.ANALYST], FinanceFormat.CSV, _strong_chain(tmp_path)
    )
    headers = auth("DEU-BKA", Role.ANALYST)
    listed = client.post(f"/finance/networks?purpose={FI.value}", json={}, headers=headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["networks"][0]["countries"] == ["ARE", "CYP", "HKG", "NLD"]
    page = client.post(
        f"/finance/networks/map?purpose={FI.value}&format=html", json={}, headers=headers
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    png = client.post(
        f"/finance/networks/map?purpose={FI.value}&format=png", json={}, headers=headers
    )
    assert png.content.startswith(b"\x89PNG")
    with api_node.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log.c.record_ids).where(audit_log.c.action == AuditAction.NETWORK.value)
        ).scalars()
        entries = list(audited)
    assert len(entries) == 3
    assert "NLD-FIU:transactions:tx:C2" in entries[0]
