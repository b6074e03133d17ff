"""`borderless search ...`, `borderless match ...` and `borderless notifications list`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import Cli, cli, directory_setup, ok, write_json  # noqa: F401 - fixture

MRZ = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _seed(cli: Cli, tmp_path: Path) -> str:  # noqa: F811
    directory_setup(cli)
    person = write_json(
        tmp_path / "p.json",
        {
            "kind": "person",
            "body": {"names": [{"full": "Mohammed Al-Rashid"}], "birth_dates": [{"date": "1979"}]},
        },
    )
    passport = write_json(
        tmp_path / "d.json",
        {
            "kind": "document",
            "body": {"number": "L898902C3", "issuing_country": "UTO", "status": "stolen"},
        },
    )
    ok(
        cli(
            "--as",
            "analyst.deu",
            "records",
            "create",
            str(passport),
            "--purpose",
            "data_management",
        )
    )
    return ok(
        cli("--as", "analyst.deu", "records", "create", str(person), "--purpose", "data_management")
    ).strip()


def test_search_person_json_and_notification(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    person_id = _seed(cli, tmp_path)
    out = ok(
        cli(
            "--as",
            "analyst.nld",
            "search",
            "person",
            "--name",
            "Muhammad Rashid",
            "--dob",
            "1979",
            "--purpose",
            "identify",
            "--json",
        )
    )
    response = json.loads(out)
    assert response["hits"][0]["id"] == person_id
    assert response["hits"][0]["reasons"]
    inbox = json.loads(ok(cli("--as", "analyst.deu", "notifications", "list", "--json")))
    assert inbox["items"][0]["record_id"] == person_id
    assert inbox["items"][0]["searcher_agency"] == "NLD-POL"


def test_search_mrz_reports_checks_and_action(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _seed(cli, tmp_path)
    out = ok(
        cli("--as", "analyst.nld", "search", "mrz", *MRZ, "--purpose", "border_control", "--json")
    )
    response = json.loads(out)
    assert all(response["mrz"]["checks"].values())
    assert "seize the document (stolen)" in response["hits"][0]["actions"][0]


def test_search_batch_writes_results(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    person_id = _seed(cli, tmp_path)
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "name,dob,document_number\nMohamed Al Rashid,1979,\n,,L898902C3\nNobody Atall,,\n"
    )
    out_file = tmp_path / "results.jsonl"
    ok(
        cli(
            "--as",
            "analyst.nld",
            "search",
            "batch",
            str(queries),
            "--out",
            str(out_file),
            "--purpose",
            "identify",
        )
    )
    lines = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [line["line"] for line in lines] == [2, 3, 4]
    assert lines[0]["hits"][0]["id"] == person_id
    assert lines[1]["hits"][0]["kind"] == "document"
    assert lines[2]["hits"] == []


def test_search_batch_rejects_bad_line_before_searching(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _seed(cli, tmp_path)
    queries = tmp_path / "queries.csv"
    queries.write_text("name,dob\nMohamed Al Rashid,1979\nSomeone,1979-13\n")
    result = cli("--as", "analyst.nld", "search", "batch", str(queries), "--purpose", "identify")
    assert result.exit_code == 2
    assert "queries.csv, line 3" in " ".join(result.output.split())


def test_match_pair_and_pairs_file(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    out = json.loads(ok(cli("match", "Yusuf Abdul Rahman", "Youssef Abdurrahman", "--json")))
    assert out["match"] is True
    assert out["reasons"]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name_a,name_b,label\nMohammed Ali,Muhammad Ali,1\nVladimir Putin,Владимир Путин,1\n"
        "Mohammed Ali,Mohammed Hassan,0\nAnna Schmidt,Olga Ivanova,0\n"
    )
    summary = json.loads(ok(cli("match", "--pairs", str(pairs), "--json")))
    assert summary["labelled"] == 4
    assert summary["precision"] == 1.0
    assert summary["recall"] == 1.0


def test_match_counts_namesakes_as_a_search_does(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    typo = ("match", "Abebe Girma", "Abebe Girma", "--dob-a", "1962-03-14", "--dob-b")
    assert json.loads(ok(cli(*typo, "1962-03-04", "--json")))["match"] is True
    common = json.loads(ok(cli(*typo, "1962-03-04", "--namesakes", "40", "--json")))
    assert common["match"] is False
    assert any("40 records share this name" in r for r in common["reasons"])
    pairs = tmp_path / "pairs.jsonl"
    row = {"name_a": "Abebe Girma", "name_b": "Abebe Girma", "dob_a": "1962-03-14"}
    row |= {"dob_b": "1962-03-04", "label": 0, "namesakes": 40}
    pairs.write_text(json.dumps(row) + "\n")
    scores = tmp_path / "scores.jsonl"
    ok(cli("match", "--pairs", str(pairs), "--out", str(scores)))
    assert json.loads(scores.read_text())["match"] is False


def test_index_rebuild_keeps_records_findable(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    person_id = _seed(cli, tmp_path)
    refused = cli("index")
    assert refused.exit_code != 0
    assert "--rebuild" in " ".join(refused.output.split())
    assert "re-indexed 2 records" in ok(cli("index", "--rebuild"))
    out = ok(
        cli(
            "--as",
            "analyst.nld",
            "search",
            "person",
            "--name",
            "Mohammed Al Rashid",
            "--purpose",
            "identify",
            "--json",
        )
    )
    assert json.loads(out)["hits"][0]["id"] == person_id
