"""What the cooperation commands share, and the command groups they add to `borderless`.

`borderless message|request|notice|case|contact|webhooks ...` (see docs/cooperation.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from borderless.domain.codes import Purpose
from borderless.domain.messaging import Deadline
from borderless.errors import FormatError, InputError

PurposeOpt = Annotated[
    Purpose | None, typer.Option(help="why (required; or BORDERLESS_DEFAULT_PURPOSE)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
DeadlineOpt = Annotated[
    str | None, typer.Option(help="local date-time, e.g. 2026-06-02T09:00 (or with +02:00)")
]
ZoneOpt = Annotated[str, typer.Option(help="IANA time zone the deadline is meant in")]


def deadline(local: str | None, zone: str) -> Deadline | None:
    if local is None:
        return None
    try:
        moment = datetime.fromisoformat(local)
    except ValueError:
        raise InputError(f"--deadline {local!r}: expected YYYY-MM-DDTHH:MM") from None
    return Deadline(local=moment, zone=zone)


def read_json(path: Path) -> Any:
    """A JSON file, or a precise error naming the file, line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormatError(path, None, "file not found") from None
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"line {exc.lineno}, column {exc.colno}", exc.msg) from None


def cooperation_apps() -> list[tuple[str, typer.Typer]]:
    """The command groups, for `cli/main.py` to add."""
    from borderless.cli.cases import case_app
    from borderless.cli.messages import contact_app, message_app, webhooks_app
    from borderless.cli.notices import notice_app
    from borderless.cli.requests import request_app

    return [
        ("message", message_app),
        ("request", request_app),
        ("notice", notice_app),
        ("case", case_app),
        ("contact", contact_app),
        ("webhooks", webhooks_app),
    ]
