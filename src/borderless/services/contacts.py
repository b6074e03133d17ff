"""The directory of liaison contacts: whom to call at an agency, in which languages, how, when.

Agencies themselves live in `services/directory.py`; contacts are added by an agency's admins
(or the node operator acting for the agency) and visible to every user of the node, since
finding the right desk abroad is the point of the directory.
"""

from __future__ import annotations

from typing import Any

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction
from borderless.domain.messaging import ContactDraft
from borderless.errors import NotFound
from borderless.governance.roles import Permission, require
from borderless.normalize.countries import to_alpha3
from borderless.services.admission import record
from borderless.services.node import Node
from borderless.store import messaging as store
from borderless.store.db import reading


def add_contact(node: Node, principal: Principal, draft: ContactDraft) -> int:
    require(principal, Permission.MANAGE_AGENCY_PROFILE)
    with node.engine.begin() as conn:
        contact_id = store.add_contact(
            conn,
            {
                "agency": principal.agency,
                **draft.model_dump(),
                "created_at": node.now(),
            },
        )
        record(
            conn,
            node,
            principal,
            AuditAction.COOPERATION_ADMIN,
            None,
            op="contact_add",
            contact=contact_id,
        )
    return contact_id


def remove_contact(node: Node, principal: Principal, contact_id: int) -> None:
    require(principal, Permission.MANAGE_AGENCY_PROFILE)
    with node.engine.begin() as conn:
        if not store.delete_contact(conn, principal.agency, contact_id):
            raise NotFound(f"no contact {contact_id} of agency {principal.agency}")
        record(
            conn,
            node,
            principal,
            AuditAction.COOPERATION_ADMIN,
            None,
            op="contact_remove",
            contact=contact_id,
        )


def find_contacts(
    node: Node,
    country: str | None = None,
    language: str | None = None,
    desk_24_7: bool | None = None,
) -> list[dict[str, Any]]:
    """Contacts by the agency's country, a spoken language, and whether it is a 24/7 desk."""
    wanted = to_alpha3(country) if country else None
    with reading(node.engine) as conn:
        rows = store.contacts(conn, wanted, language, desk_24_7)
    return [{**r, "created_at": r["created_at"].isoformat()} for r in rows]
