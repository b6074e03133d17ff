"""`borderless screen FILE... [--json|--csv]` and `borderless travel load|retention`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.test_cli import Cli, cli, directory_setup, flat, ok, write_json  # noqa: F401
from tests.conftest import shared_data

AIRLINE2 = "loader_apis/airline2.edi"


def _seed(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    directory_setup(cli)
    person = write_json(
        tmp_path / "p.json",
        {
            "kind": "person",
            "body": {"names": [{"full": "David Betton"}], "birth_dates": [{"date": "1954-10-16"}]},
        },
    )
    ok(cli("--as", "analyst.deu", "records", "create", str(person), "--purpose", "data_management"))


def test_screen_real_paxlst_reports_the_hit_as_json_and_csv(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _seed(cli, tmp_path)
    path = shared_data() / "passenger_messages" / AIRLINE2
    out = ok(
        cli("--as", "analyst.nld", "screen", str(path), "--purpose", "border_control", "--json")
    )
    [report] = json.loads(out)
    assert report["flight"] == "TN506/2014-05-11/BRE"
    assert report["travellers"] == 10
    best = max(report["hits"], key=lambda h: h["score"])
    assert best["traveller"].startswith("DAVID BETTON")
    assert best["score"] >= 0.95
    assert {h["owner"] for h in report["hits"]} == {"DEU-BKA"}
    assert "best name 'David Betton' (exact, 1.00)" in best["reasons"]
    # Every traveller of this GTAS fixture has the same birth date, so "DAVID WESLEY" also
    # passes the frontline threshold on first name plus date (partial name, 0.85).
    table = ok(
        cli("--as", "analyst.nld", "screen", str(path), "--purpose", "border_control", "--csv")
    )
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == len(report["hits"])
    assert {r["traveller"].split(" (")[0] for r in rows} >= {"DAVID BETTON"}


def test_screen_rejects_a_bad_message_naming_the_segment(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _seed(cli, tmp_path)
    bad = tmp_path / "bad.edi"
    bad.write_text("UNB+UNOA:4+A+B+200101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'UNZ+1+1'")
    result = cli("--as", "analyst.nld", "screen", str(bad), "--purpose", "border_control")
    assert result.exit_code == 2
    assert "bad.edi, segment 4 (UNZ): message opened at segment 2 (UNH) not closed by UNT" in flat(
        result
    )


def test_load_then_retention(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _seed(cli, tmp_path)
    path = shared_data() / "passenger_messages" / AIRLINE2
    out = ok(
        cli(
            "--as",
            "analyst.nld",
            "travel",
            "load",
            str(path),
            "--purpose",
            "border_control",
            "--json",
        )
    )
    [result] = json.loads(out)
    assert (result["status"], result["travellers"]) == ("inserted", 10)
    assert "masked 0 message(s), deleted 0" in ok(cli("travel", "retention"))
