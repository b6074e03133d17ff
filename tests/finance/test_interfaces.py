"""`borderless finance import`, `borderless trace` and the /finance API, end to end."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from borderless.services.finance import FinanceFormat, import_flows
from borderless.services.node import Node
from tests.api.conftest import Auth, api_node, auth, client  # noqa: F401 - fixtures
from tests.cli.test_cli import Cli, cli, directory_setup, ok  # noqa: F401 - fixtures
from tests.conftest import People

DATA = Path(__file__).parent / "data"
FI = "financial_investigation"


def test_cli_import_trace_and_export(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    directory_setup(cli)
    out = ok(
        cli(
            "--as",
            "analyst.nld",
            "finance",
            "import",
            str(DATA / "transactions.csv"),
            "--format",
            "csv",
        )
    )
    assert "inserted" in out
    assert "18" in out
    graphml = tmp_path / "trace.graphml"
    traced = json.loads(
        ok(
            cli(
                "--as",
                "analyst.deu",
                "trace",
                "--account",
                "NL-001",
                "--hops",
                "3",
                "--purpose",
                FI,
                "--json",
                "--export",
                str(graphml),
            )
        )
    )
    forward = traced["sections"][0]
    assert [t["source_id"] for t in forward["transactions"]] == ["T1", "T2", "T3"]
    assert "<graphml" in graphml.read_text()
    human = ok(cli("--as", "analyst.nld", "trace", "--account", "NL-001", "--purpose", FI))
    assert "cash-outs: NLD-POL:transactions:tx:T4" in human
    assert "T3" in human
    assert "ARE" in human


def test_cli_errors_exit_non_zero(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    directory_setup(cli)
    bad = tmp_path / "bad.xml"
    bad.write_text("<report/>")
    failed = cli("--as", "analyst.nld", "finance", "import", str(bad), "--format", "goaml")
    assert failed.exit_code == 2
    assert "bad.xml" in failed.stderr
    assert "goAML schema" in failed.stderr
    missing = cli("--as", "analyst.nld", "trace", "--account", "NOPE", "--purpose", FI)
    assert missing.exit_code == 2
    assert "no account NOPE" in missing.stderr
    both = cli("--as", "analyst.nld", "trace", "--purpose", FI)
    assert both.exit_code == 2
    assert "exactly one of" in both.stderr


def test_api_trace_and_export(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    api_node: Node,  # noqa: F811
    people: People,
) -> None:
    import_flows(
        api_node, people["NLD-FIU", Role.ANALYST], FinanceFormat.CSV, DATA / "transactions.csv"
    )
    headers = auth("DEU-BKA", Role.ANALYST)
    body = {"account": "NL-001", "direction": "both", "hops": 4}
    found = client.post(f"/finance/trace?purpose={FI}", json=body, headers=headers)
    assert found.status_code == 200, found.text
    sections = found.json()["sections"]
    assert [s["direction"] for s in sections] == ["forward", "backward"]
    assert sections[0]["end_points"] == ["NLD-FIU:transactions:acct:CY-006"]
    export_url = f"/finance/trace/export?purpose={FI}&format=gexf"
    gexf = client.post(export_url, json=body, headers=headers)
    assert gexf.status_code == 200
    assert b"<gexf" in gexf.content
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    no_purpose = client.post("/finance/trace", json=body, headers=headers)
    assert no_purpose.status_code == 400
    officer = client.post(
        f"/finance/trace?purpose={FI}", json=body, headers=auth("DEU-BKA", Role.OFFICER)
    )
    assert officer.status_code == 403
    bad = client.post(f"/finance/trace?purpose={FI}", json={"hops": 2}, headers=headers)
    assert bad.status_code == 422


def test_api_upload_imports_whole_or_names_the_bad_line(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
) -> None:
    headers = auth("NLD-FIU", Role.ANALYST)
    csv = (DATA / "transactions.csv").read_bytes()
    done = client.post(
        "/finance/imports/csv", files={"files": ("flows.csv", csv, "text/csv")}, headers=headers
    )
    assert done.status_code == 200, done.text
    assert done.json()["inserted"] > 0
    broken = csv.replace(b"T1,NL-001,NL-002,10000", b"T1,NL-001,NL-002,ten", 1)
    refused = client.post(
        "/finance/imports/csv",
        files={"files": ("broken.csv", broken, "text/csv")},
        headers=headers,
    )
    assert refused.status_code == 400
    assert "broken.csv" in refused.text
    assert "borderless-upload" not in refused.text
    officer = client.post(
        "/finance/imports/csv",
        files={"files": ("flows.csv", csv, "text/csv")},
        headers=auth("NLD-FIU", Role.OFFICER),
    )
    assert officer.status_code == 403
