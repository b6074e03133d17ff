"""`borderless message|request|notice|case|contact|webhooks ...` end to end, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import Cli, cli, directory_setup, flat, ok, write_json

__all__ = ["cli"]  # the fixture, imported for the tests below

CI = ("--purpose", "criminal_investigation")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def test_message_round_trip(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    (tmp_path / "statement.pdf").write_bytes(PDF)
    (tmp_path / "evil.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    base = ["--as", "analyst.nld", "message", "send", "--to", "DEU-BKA", "--subject", "Boat"]
    refused = cli(*base, "--body", "b", "--attach", str(tmp_path / "evil.pdf"), *CI)
    assert refused.exit_code == 2
    assert "evil.pdf: content is application/x-msdownload" in flat(refused)
    gap = cli(*base, "--body", "b", "--due", "2027-03-28T02:30", "--zone", "Europe/Amsterdam", *CI)
    assert gap.exit_code == 2
    assert "does not exist in Europe/Amsterdam" in flat(gap)
    thread = ok(
        cli(
            *base,
            "--body",
            "Container MSKU123 arrives Friday",
            "--priority",
            "urgent",
            "--due",
            "2027-01-15T17:00",
            "--zone",
            "Europe/Berlin",
            "--attach",
            str(tmp_path / "statement.pdf"),
            *CI,
        )
    ).strip()
    listed = ok(cli("--as", "analyst.deu", "message", "list", "--search", "msku", "--json", *CI))
    [item] = json.loads(listed)["items"]
    assert (item["thread_id"], item["state"]) == (thread, "delivered")
    assert item["deadline"]["local"] == "2027-01-15T17:00+01:00"
    out = tmp_path / "got.pdf"
    attachment = str(item["attachments"][0]["id"])
    ok(cli("--as", "analyst.deu", "message", "attachment", attachment, "--out", str(out), *CI))
    assert out.read_bytes() == PDF
    ok(cli("--as", "analyst.deu", "message", "reply", thread, "--body", "Seen.", *CI))
    shown = json.loads(ok(cli("--as", "analyst.nld", "message", "show", thread, *CI)))
    assert [m["body"] for m in shown["messages"]] == ["Container MSKU123 arrives Friday", "Seen."]
    assert shown["messages"][0]["addressees"][0]["state"] == "answered"
    table = flat(cli("--as", "analyst.nld", "message", "list", "--box", "sent", *CI))
    assert "DEU-BKA:answered" in table


def test_notice_review_and_figures(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    ok(cli("user", "create", "reviewer.hub", "--agency", "HUB", "--role", "supervisor"))
    notice = write_json(
        tmp_path / "notice.json",
        {
            "body": {
                "notice_kind": "blue",
                "subject_name": "Anna Schmidt",
                "requested_action": "Locate and report whereabouts to NLD-POL",
                "offences": ["fraud", "desertion"],
            },
            "requested": {"dissemination": "all"},
        },
    )
    broken = write_json(tmp_path / "broken.json", {"body": {"notice_kind": "grey"}})
    bad = cli("--as", "analyst.nld", "notice", "draft", str(broken), *CI)
    assert bad.exit_code == 2
    assert "notice_kind" in flat(bad)
    notice_id = ok(cli("--as", "analyst.nld", "notice", "draft", str(notice), *CI)).strip()
    ok(cli("--as", "analyst.nld", "notice", "act", notice_id, "submit", *CI))
    denied = cli("--as", "analyst.nld", "notice", "act", notice_id, "take", *CI)
    assert denied.exit_code == 2
    queue = flat(cli("--as", "reviewer.hub", "notice", "list", *CI))
    assert notice_id in queue
    assert "neutrality:military" in queue
    ok(cli("--as", "reviewer.hub", "notice", "act", notice_id, "take", *CI))
    refused = cli(
        "--as", "reviewer.hub", "notice", "act", notice_id, "refuse", "--reason", "military", *CI
    )
    assert refused.exit_code == 2
    assert "refusal reason" in flat(refused)
    done = cli(
        "--as",
        "reviewer.hub",
        "notice",
        "act",
        notice_id,
        "refuse",
        "--reason",
        "desertion is a military offence",
        "--refusal",
        "military",
        *CI,
    )
    assert f"{notice_id} refused" in ok(done)
    shown = json.loads(ok(cli("--as", "analyst.nld", "notice", "show", notice_id, *CI)))
    [flag] = [c for c in shown["checks"] if c["level"] == "flag"]
    assert flag["evidence"] == ['offences[1]: "desertion"']
    gone = cli("--as", "analyst.deu", "records", "get", notice_id, "--purpose", "identify")
    assert gone.exit_code == 2
    figures = json.loads(ok(cli("--as", "reviewer.hub", "request", "figures", *CI)))
    assert figures["notices"]["refusal_reasons"] == {"military": 1}


def test_requests_follow_up_grant_and_field_errors(cli: Cli, tmp_path: Path) -> None:
    directory_setup(cli)
    person = write_json(
        tmp_path / "p.json",
        {
            "kind": "person",
            "body": {"names": [{"full": "Olga Petrova"}], "remarks": "covert source"},
            "governance": {"dissemination": "hit_only"},
        },
    )
    dm = ("--purpose", "data_management")
    record_id = ok(cli("--as", "analyst.deu", "records", "create", str(person), *dm)).strip()
    incomplete = write_json(tmp_path / "rfi.json", {"about": "person"})
    bad = cli(
        "--as", "analyst.nld", "request", "create", "rfi", str(incomplete), "--to", "DEU-BKA", *CI
    )
    assert bad.exit_code == 2
    assert "fields.questions" in flat(bad)
    assert "fields.description" in flat(bad)
    follow = cli(
        "--as",
        "analyst.nld",
        "request",
        "follow-up",
        record_id,
        "--reason",
        "hit at the border",
        *CI,
    )
    request_id = ok(follow).strip()
    granted = cli("--as", "analyst.deu", "request", "grant", request_id, "--field", "names", *CI)
    assert "partially_granted" in ok(granted)
    released = json.loads(ok(cli("--as", "analyst.nld", "request", "released", record_id, *CI)))
    assert set(released["body"]) == {"names"}
    inbox = json.loads(
        ok(cli("--as", "analyst.deu", "request", "list", "--box", "inbox", "--json", *CI))
    )
    assert inbox["items"][0]["status"] == "partially_granted"


def test_cases_contacts_and_webhooks(cli: Cli) -> None:
    directory_setup(cli)
    case_id = ok(
        cli(
            "--as",
            "analyst.nld",
            "case",
            "open",
            "--title",
            "JIT Tulip",
            "--participant",
            "DEU-BKA",
            *CI,
        )
    ).strip()
    ok(cli("--as", "analyst.deu", "case", "note", case_id, "Lead from Hamburg", *CI))
    shown = json.loads(ok(cli("--as", "analyst.nld", "case", "show", case_id, *CI)))
    assert shown["notes"][0]["text"] == "Lead from Hamburg"
    ok(cli("--as", "analyst.deu", "case", "leave", case_id, *CI))
    assert cli("--as", "analyst.deu", "case", "show", case_id, *CI).exit_code == 2

    ok(
        cli(
            "contact",
            "add",
            "--agency",
            "DEU-BKA",
            "--name",
            "SIRENE desk",
            "--language",
            "de",
            "--language",
            "en",
            "--channel",
            "phone=+49 611 55-0",
            "--desk-24-7",
        )
    )
    listed = json.loads(ok(cli("contact", "list", "--country", "DE", "--json")))
    assert listed[0]["channels"] == {"phone": "+49 611 55-0"}
    hook = json.loads(ok(cli("webhooks", "add", "http://127.0.0.1:9/x", "--agency", "NLD-POL")))
    assert hook["secret"]
    ok(
        cli(
            "--as",
            "analyst.deu",
            "message",
            "send",
            "--to",
            "NLD-POL",
            "--subject",
            "s",
            "--body",
            "b",
            *CI,
        )
    )
    assert "0 delivered, 1 to retry" in ok(cli("webhooks", "deliver"))
