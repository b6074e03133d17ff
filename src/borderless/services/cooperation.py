"""What every cooperation service shares: a stated purpose, a role check, one audit writer.

Messages, requests, notices and cases are not records, but every step on them is audited like
a read or change of records: who, which agency, for what purpose, what was done, to which ids.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import Connection

from borderless.errors import InputError
from borderless.store import directory


def new_id(prefix: str) -> str:
    """An unguessable id: ids of threads, requests and cases reveal nothing and can't be walked."""
    return f"{prefix}-{secrets.token_hex(8).upper()}"


def known_agencies(conn: Connection, codes: Sequence[str]) -> list[str]:
    """The codes, upper-cased and deduplicated; an unknown agency is a precise input error."""
    wanted = list(dict.fromkeys(c.upper() for c in codes))
    present = {a.code for a in directory.list_agencies(conn)}
    missing = [c for c in wanted if c not in present]
    if missing:
        raise InputError(f"unknown agency code(s): {', '.join(missing)}")
    return wanted
