"""End to end through the `borderless` command, on SQLite and PostgreSQL (`database_url`).

Each test gets its own data dir (audit key, SQLite file) and database; commands run in-process
with typer's CliRunner and the environment a user would set.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from borderless.cli import context
from borderless.cli.main import app
from borderless.config import Settings
from borderless.services import directory
from borderless.services.node import Node, open_node
from borderless.store.db import make_engine
from tests.conftest import shared_data

Cli = Callable[..., Result]
DM = "data_management"
PERSON = {"kind": "person", "body": {"names": [{"full": "Jan Jansen"}]}}


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI points the `borderless` logger at the runner's stderr; undo that afterwards."""
    logger = logging.getLogger("borderless")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


def _runner(data_dir: Path, database_url: str | None) -> Cli:
    env: dict[str, str | None] = {
        "BORDERLESS_DATA_DIR": str(data_dir),
        "BORDERLESS_DATABASE_URL": database_url,
        "BORDERLESS_LOG_JSON": "false",
        "BORDERLESS_USER": None,
        "BORDERLESS_CLI_USER": None,
        "BORDERLESS_DEFAULT_PURPOSE": None,
        "BORDERLESS_CONFIG": None,
    }
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        opened: list[Node] = []

        def tracked_open_node(settings: Settings, *, upgrade: bool = True) -> Node:
            node = open_node(settings, upgrade=upgrade)
            opened.append(node)
            return node

        # A real `borderless` process ends after one command; in-process runs must close the
        # pool each command opens, or its connections outlive the test.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(context, "open_node", tracked_open_node)
            # rich wraps long messages (file paths) at the console width: make it wide
            patch.setattr(context.err, "_width", 500)
            patch.setattr(context.out, "_width", 500)
            result = runner.invoke(app, list(args), env=env, input=input)
        for node in opened:
            node.engine.dispose()
        return result

    return run


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    return _runner(tmp_path / "data", database_url)


def flat(result: Result) -> str:
    """Everything the command printed, with line wrapping undone."""
    return " ".join(result.output.split())


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def directory_setup(cli: Cli) -> None:
    """Agencies NLD-POL, DEU-BKA and the HUB, with an analyst at each member agency."""
    ok(cli("init"))
    for code, country, kind in [
        ("HUB", "FR", "hub"),
        ("NLD-POL", "NL", "police"),
        ("DEU-BKA", "DE", "police"),
    ]:
        ok(
            cli(
                "agency",
                "create",
                code,
                "--name",
                f"{code} agency",
                "--country",
                country,
                "--kind",
                kind,
            )
        )
    ok(cli("user", "create", "analyst.nld", "--agency", "NLD-POL", "--role", "analyst"))
    ok(cli("user", "create", "analyst.deu", "--agency", "DEU-BKA", "--role", "analyst"))


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# --- the directory ---------------------------------------------------------------------------


def test_init_agency_user_and_token(cli: Cli, tmp_path: Path, database_url: str) -> None:
    init = cli("init")
    assert "database ready" in ok(init)
    created = cli(
        "agency",
        "create",
        "nld-pol",
        "--name",
        "Dutch Police",
        "--country",
        "NL",
        "--kind",
        "police",
    )
    assert ok(created).strip() == "created agency NLD-POL (NLD, police)"
    duplicate = cli(
        "agency", "create", "NLD-POL", "--name", "Again", "--country", "NL", "--kind", "police"
    )
    assert duplicate.exit_code == 2
    assert "already exists" in flat(duplicate)

    user = cli("user", "create", "jan", "--agency", "NLD-POL", "--role", "analyst", "--token")
    lines = ok(user).splitlines()
    assert lines[0] == "created user jan (analyst at NLD-POL)"
    token = lines[1]
    assert token.startswith("bl_")
    node = open_node(Settings(data_dir=tmp_path / "data", database_url=database_url))
    try:
        principal = directory.authenticate(node, token)
    finally:
        node.engine.dispose()
    assert (principal.username, principal.agency, principal.role.value) == (
        "jan",
        "NLD-POL",
        "analyst",
    )

    agencies = json.loads(ok(cli("agency", "list", "--json")))
    assert [a["code"] for a in agencies] == ["NLD-POL"]
    users = json.loads(ok(cli("user", "list", "--json")))
    assert [(u["username"], u["active"]) for u in users] == [("jan", True)]
    ok(cli("user", "disable", "jan"))
    assert json.loads(ok(cli("user", "list", "--json")))[0]["active"] is False
    refused = cli("--as", "jan", "records", "list", "--purpose", DM)
    assert refused.exit_code == 2
    assert "disabled" in flat(refused)


def test_invalid_directory_input_is_a_message_not_a_traceback(cli: Cli) -> None:
    ok(cli("init"))
    agency = ("agency", "create", "NLD-POL", "--name", "Dutch Police", "--kind", "police")
    result = cli(*agency, "--country", "ZZQ")
    assert isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    assert "country" in flat(result)
    assert "ZZQ" in flat(result)
    assert "Traceback" not in result.output
    assert json.loads(ok(cli("agency", "list", "--json"))) == []
    ok(cli(*agency, "--country", "NL"))
    user = cli("user", "create", "x", "--agency", "NLD-POL", "--role", "officer")
    assert user.exit_code == 2
    assert "username" in flat(user)
    assert json.loads(ok(cli("user", "list", "--json"))) == []


# --- imports and reads -----------------------------------------------------------------------


@pytest.mark.realdata
def test_un_list_import_then_list_as_a_user(cli: Cli) -> None:
    un_xml = shared_data() / "watchlists" / "un" / "consolidated.xml"
    directory_setup(cli)
    imported = cli("import", "un-list", str(un_xml), "--agency", "HUB")
    out = ok(imported)
    assert "imported un-sc version" in out
    assert "for HUB: 1308 new, 0 updated, 0 unchanged, 0 removed" in out

    listed = cli(
"--as", "analyst.nld",
        "records", "list", "--purpose", "counter_terrorism",
        "--json", "--kind", "person", "--limit", "20",
    )  # fmt: skip
    page = json.loads(ok(listed))
    assert page["total"] == 684
    assert len(page["items"]) == 20
    assert page["next_offset"] == 20
    for item in page["items"]:
        assert item["kind"] == "person"
        assert item["source"]["dataset"] == "un-sc"
        assert item["id"] == f"HUB:un-sc:{item['source']['source_id']}"
        assert item["access"] == "full"

    one = page["items"][0]["id"]
    shown = json.loads(
        ok(cli("--as", "analyst.deu", "records", "get", one, "--purpose", "identify"))
    )
    assert shown["id"] == one
    assert shown["owner"] == "HUB"

    again = ok(cli("import", "un-list", str(un_xml), "--agency", "HUB"))
    assert "already imported, nothing changed" in again
    assert "for HUB: 0 new, 0 updated, 1308 unchanged, 0 removed" in again


def test_malformed_jsonl_import_exits_2_naming_file_and_line(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    good = {"id": "p-1", **PERSON}
    bad_file = tmp_path / "broken.jsonl"
    bad_file.write_text(json.dumps(good) + "\n" + '{"id": "p-2", "kind": "person", "body": \n')
    result = cli("import", "records", str(bad_file), "--agency", "NLD-POL")
    assert result.exit_code == 2
    message = flat(result)
    assert "broken.jsonl" in message
    assert "line 2" in message
    assert "invalid_format" in message
    page = json.loads(ok(cli("--as", "analyst.nld", "records", "list", "--purpose", DM, "--json")))
    assert page["total"] == 0

    no_owner = cli("import", "records", str(bad_file))
    assert no_owner.exit_code == 2
    assert "--agency" in flat(no_owner)


def test_purpose_is_required(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    draft = write_json(tmp_path / "person.json", PERSON)
    for args in (
        ("--as", "analyst.nld", "records", "list"),
        ("--as", "analyst.nld", "records", "search", "Jansen"),
        ("--as", "analyst.nld", "records", "create", str(draft)),
        ("--as", "analyst.nld", "export", "records"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "purpose" in flat(result), args
    page = json.loads(ok(cli("--as", "analyst.nld", "records", "list", "--purpose", DM, "--json")))
    assert page["total"] == 0
    nobody = cli("records", "list", "--purpose", DM)
    assert nobody.exit_code == 2
    assert "--as" in flat(nobody)


def test_owner_rules_hold_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    draft = write_json(tmp_path / "person.json", PERSON)
    record_id = ok(
        cli("--as", "analyst.nld", "records", "create", str(draft), "--purpose", DM)
    ).strip()
    assert re.fullmatch(r"NLD-POL-P[0-9A-F]{16}", record_id)

    for args in (
        ("records", "delete", record_id),
        ("records", "update", record_id, str(draft)),
    ):
        result = cli("--as", "analyst.deu", *args, "--purpose", DM)
        assert result.exit_code != 0, args
        assert "owner" in flat(result), args
    shown = json.loads(ok(cli("--as", "analyst.nld", "records", "get", record_id, "--purpose", DM)))
    assert shown["version"] == 1

    renamed = write_json(
        tmp_path / "renamed.json", {"kind": "person", "body": {"names": [{"full": "Jan de Vries"}]}}
    )
    update = ("--as", "analyst.nld", "records", "update", record_id, str(renamed), "--purpose", DM)
    updated = cli(*update, "--expected-version", "1")
    assert ok(updated).strip() == f"{record_id} now at version 2"
    stale = cli(*update, "--expected-version", "1")
    assert stale.exit_code == 2
    assert "version 2" in flat(stale)
    assert (
        ok(cli("--as", "analyst.nld", "records", "delete", record_id, "--purpose", DM)).strip()
        == f"deleted {record_id}"
    )
    gone = cli("--as", "analyst.nld", "records", "get", record_id, "--purpose", DM)
    assert gone.exit_code == 2
    assert "not_found" in flat(gone)


def test_bad_record_file_names_file_and_line(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "person",\n "body": {"names": [}\n}')
    result = cli("--as", "analyst.nld", "records", "create", str(broken), "--purpose", DM)
    assert result.exit_code == 2
    assert "broken.json" in flat(result)
    assert "line 2" in flat(result)
    invalid = write_json(
        tmp_path / "invalid.json",
        {"kind": "person", "body": {"names": [{"full": "X"}], "nationalities": ["ZZQ"]}},
    )
    rejected = cli("--as", "analyst.nld", "records", "create", str(invalid), "--purpose", DM)
    assert rejected.exit_code == 2
    assert "nationalities" in flat(rejected)
    assert "ZZQ" in flat(rejected)


# --- the audit log and retention -------------------------------------------------------------


def test_audit_verify_head_and_tampering(cli: Cli, database_url: str, tmp_path: Path) -> None:
    directory_setup(cli)
    verified = cli("audit", "verify")
    assert "audit log intact" in ok(verified)
    head = ok(cli("audit", "head")).strip()
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", head)
    assert match
    assert int(match[1]) >= 5
    assert "intact" in ok(cli("audit", "verify", "--anchor", head))
    bad_anchor = cli("audit", "verify", "--anchor", "nonsense")
    assert bad_anchor.exit_code == 2
    assert "SEQ:HASH" in flat(bad_anchor)

    entries = json.loads(ok(cli("audit", "query", "--json", "--action", "admin")))
    assert entries["total"] >= 5
    assert {e["username"] for e in entries["items"]} == {"operator"}

    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE audit_log SET outcome = 'x' WHERE seq = 2"))
    finally:
        engine.dispose()
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "entry 2" in flat(broken)
    assert "BROKEN" in flat(broken)
    as_json = cli("audit", "verify", "--json")
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False
    assert any(p.startswith("entry 2:") for p in report["problems"])


def test_retention_run_purges_expired_records(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    expired = write_json(
        tmp_path / "expired.json", {**PERSON, "governance": {"retention_until": "2001-01-01"}}
    )
    kept = write_json(tmp_path / "kept.json", PERSON)
    old = ok(cli("--as", "analyst.nld", "records", "create", str(expired), "--purpose", DM)).strip()
    new = ok(cli("--as", "analyst.nld", "records", "create", str(kept), "--purpose", DM)).strip()
    purged = cli("retention", "run")
    assert ok(purged).strip() == "purged 1 record(s) of NLD-POL"
    gone = cli("--as", "analyst.nld", "records", "get", old, "--purpose", DM)
    assert gone.exit_code == 2
    assert "not_found" in flat(gone)
    ok(cli("--as", "analyst.nld", "records", "get", new, "--purpose", DM))
    assert ok(cli("retention", "run")).strip() == "purged 0 record(s) of no agency"
    refused = cli("--as", "analyst.nld", "retention", "run")
    assert refused.exit_code == 2
    assert "run_retention" in flat(refused)


# --- export and re-import elsewhere ----------------------------------------------------------


def test_export_then_import_into_a_fresh_node_round_trips(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    ids = set()
    for name in ("Anna Export", "Bert Export"):
        draft = write_json(
            tmp_path / "d.json", {"kind": "person", "body": {"names": [{"full": name}]}}
        )
        ids.add(
            ok(cli("--as", "analyst.nld", "records", "create", str(draft), "--purpose", DM)).strip()
        )
    hidden = write_json(
        tmp_path / "h.json", {**PERSON, "governance": {"dissemination": "hit_only"}}
    )
    ok(cli("--as", "analyst.deu", "records", "create", str(hidden), "--purpose", DM))

    exported = tmp_path / "export.jsonl"
    ok(cli("--as", "analyst.nld", "export", "records", "--purpose", DM, "--out", str(exported)))
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    assert {line["id"] for line in lines} == ids  # DEU-BKA's hit-only record stays home
    assert {line["owner"] for line in lines} == {"NLD-POL"}

    fresh = _runner(tmp_path / "fresh", None)  # a new SQLite node under its own data dir
    ok(fresh("init"))
    ok(
        fresh(
            "agency",
            "create",
            "NLD-POL",
            "--name",
            "Dutch Police",
            "--country",
            "NL",
            "--kind",
            "police",
        )
    )
    imported = fresh("import", "records", str(exported), "--agency", "NLD-POL")
    assert "2 new" in ok(imported)
    ok(fresh("user", "create", "reader", "--agency", "NLD-POL", "--role", "officer"))
    page = json.loads(ok(fresh("--as", "reader", "records", "list", "--purpose", DM, "--json")))
    assert {item["id"] for item in page["items"]} == ids
    assert {item["label"] for item in page["items"]} == {"Anna Export", "Bert Export"}
    assert (tmp_path / "fresh" / "borderless.db").exists()
    again = fresh("import", "records", str(exported), "--agency", "NLD-POL")
    assert "0 new, 0 updated, 2 unchanged" in ok(again)
