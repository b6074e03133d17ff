"""`detect` through the service, the CLI and the API: ranked, explained, governed, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.errors import PermissionDenied
from borderless.finance.typologies import Typology
from borderless.services import records
from borderless.services.finance import FinanceFormat, import_flows
from borderless.services.finance_detect import run_detect
from borderless.services.node import Node
from borderless.store.schema import audit_log
from tests.api.conftest import Auth, api_node, auth, client  # noqa: F401 - fixtures
from tests.cli.test_cli import Cli, cli, directory_setup, ok  # noqa: F401 - fixtures
from tests.conftest import People

HEADER = "transaction_id,from_account,to_account,amount,currency,time,channel\n"
FI = Purpose.FINANCIAL_INVESTIGATION


def structured_deposits(folder: Path) -> Path:
    """Six cash deposits of 9,400-9,900 EUR into DE-77 within six days."""
    rows = [
        f"S{i},DE-{10 + i % 2},DE-77,{9_900 - 100 * i},EUR,2025-03-0{1 + i}T10:00:00Z,cash"
        for i in range(6)
    ]
    path = folder / "deposits.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def test_detect_finds_ranks_and_audits(node: Node, people: People, tmp_path: Path) -> None:
    fiu = people["NLD-FIU", Role.ANALYST]
    import_flows(node, fiu, FinanceFormat.CSV, structured_deposits(tmp_path))
    response = run_detect(node, people["DEU-BKA", Role.ANALYST], FI)
    assert response.by_typology == {"structuring": 1}
    alert = response.alerts[0]
    assert alert.rank == 1
    assert alert.accounts[0].source_id == "DE-77"
    assert len(alert.transactions) == 6
    assert {t.source_id for t in alert.transactions} == {f"S{i}" for i in range(6)}
    assert "just under the reporting threshold" in alert.explanation
    # the FIU holds no passenger data: the travel typology says so instead of finding nothing
    assert "holds no passenger data" in response.skipped["drained_before_travel"]
    only = run_detect(node, fiu, FI, [Typology.FAN_IN])
    assert only.alerts_total == 0
    with node.engine.connect() as conn:
        entries = conn.execute(
            select(audit_log).where(audit_log.c.action == AuditAction.DETECT.value)
        ).all()
    assert len(entries) == 2
    assert "NLD-FIU:transactions:tx:S3" in entries[0].record_ids
    with pytest.raises(PermissionDenied):
        run_detect(node, people["DEU-BKA", Role.OFFICER], FI)


def test_detect_sees_only_what_the_agency_may_see(
    node: Node, people: People, tmp_path: Path
) -> None:
    fiu = people["NLD-FIU", Role.ANALYST]
    path = structured_deposits(tmp_path)
    import_flows(node, fiu, FinanceFormat.CSV, path)
    # the FIU restricts the deposits to counter-terrorism work: others see references only
    for i in range(6):
        record_id = f"NLD-FIU:transactions:tx:S{i}"
        stored = node.gate.get(fiu, FI, record_id)
        assert stored.governance is not None
        governance = stored.governance.model_copy(update={"purposes": [Purpose.COUNTER_TERRORISM]})
        records.update(
            node,
            fiu,
            Purpose.DATA_MANAGEMENT,
            record_id,
            RecordDraft.model_validate(
                {"kind": "transaction", "body": stored.body, "governance": governance.model_dump()}
            ),
        )
    assert run_detect(node, people["DEU-BKA", Role.ANALYST], FI).alerts_total == 0
    ct = run_detect(node, people["DEU-BKA", Role.ANALYST], Purpose.COUNTER_TERRORISM)
    assert ct.alerts_total == 1
    assert run_detect(node, fiu, FI).alerts_total == 1  # the owner sees its own


def test_detect_cli_and_api(
    cli: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    directory_setup(cli)
    path = structured_deposits(tmp_path)
    ok(cli("--as", "analyst.nld", "finance", "import", str(path), "--format", "csv"))
    out = json.loads(
        ok(cli("--as", "analyst.deu", "finance", "detect", "--purpose", FI.value, "--json"))
    )
    assert out["by_typology"] == {"structuring": 1}
    assert "holds no passenger data" in out["skipped"]["drained_before_travel"]
    table = ok(
        cli(
            "--as",
            "analyst.deu",
            "finance",
            "detect",
            "--typology",
            "structuring",
            "--purpose",
            FI.value,
        )
    )
    assert "structuring" in table
    assert "DE-77" in table


def test_detect_api(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    api_node: Node,  # noqa: F811
    people: People,
    tmp_path: Path,
) -> None:
    fiu = people["NLD-FIU", Role.ANALYST]
    import_flows(api_node, fiu, FinanceFormat.CSV, structured_deposits(tmp_path))
    headers = auth("DEU-BKA", Role.ANALYST)
    found = client.post(f"/finance/detect?purpose={FI.value}&typology=structuring", headers=headers)
    assert found.status_code == 200, found.text
    assert found.json()["alerts"][0]["typology"] == "structuring"
    assert client.post("/finance/detect", headers=headers).status_code == 400
    travel = client.post(
        "/finance/detect?purpose=identify&typology=drained_before_travel", headers=headers
    )
    assert travel.status_code == 200, travel.text
    assert travel.json()["alerts"] == []
    assert "may not be used for 'identify'" in travel.json()["skipped"]["drained_before_travel"]
