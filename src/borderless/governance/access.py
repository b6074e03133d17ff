"""The access policy: the one function that decides what an agency may see of a record.

Rules, in order (the owner is always in control of its own data):

1. The owner agency sees everything it owns, for any purpose.
2. A record past its retention date is invisible to everyone else (until purged).
3. A case is visible only to its owner and its participating agencies.
4. A 'listed' record is invisible to agencies and countries not listed.
5. A 'hit-only' record shows only its reference, kind and owner.
6. A record restricted to some purposes shows only its reference for any other purpose.
7. Otherwise the whole record is visible.

`governance.gate` applies this to every record a read returns and pushes the same rules into
SQL (`visibility_clause`) so that paging is exact; the property tests check both agree.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from borderless.domain.agencies import Principal
from borderless.domain.codes import Dissemination, Purpose, RecordKind
from borderless.domain.records import Record, share_targets


class Access(IntEnum):
    NONE = 0
    REFERENCE = 1  # that it exists, its id, kind and owner — whom to ask
    FULL = 2


def viewer_targets(viewer: Principal) -> set[str]:
    return {f"C:{viewer.country}", f"A:{viewer.agency}"}


def is_restricted_to_targets(record: Record) -> bool:
    return record.kind == RecordKind.CASE or record.governance.dissemination == Dissemination.LISTED


def access_level(viewer: Principal, record: Record, purpose: Purpose, today: date) -> Access:
    if viewer.agency == record.owner:
        return Access.FULL
    gov = record.governance
    if gov.retention_until is not None and gov.retention_until < today:
        return Access.NONE
    if is_restricted_to_targets(record) and not (share_targets(record) & viewer_targets(viewer)):
        return Access.NONE
    if gov.dissemination == Dissemination.HIT_ONLY:
        return Access.REFERENCE
    if gov.purposes and purpose not in gov.purposes:
        return Access.REFERENCE
    return Access.FULL


def may_change(viewer: Principal, record: Record) -> bool:
    """Only the owner agency changes or removes a record."""
    return viewer.agency == record.owner
