"""Threads between agencies, the liaison directory, and the agency's webhooks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep, WindowDep
from borderless.api.schemas import PageOut
from borderless.domain.messaging import ContactDraft, MessageDraft, ReplyDraft
from borderless.services import contacts, messages, webhooks
from borderless.services.attachments import AttachmentIn, check_all
from borderless.store.messaging import MessageQuery

router = APIRouter(tags=["messages"])


class MessageIn(MessageDraft):
    attachments: list[AttachmentIn] = Field(default_factory=list)


class ReplyIn(ReplyDraft):
    attachments: list[AttachmentIn] = Field(default_factory=list)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str


@router.post("/messages", status_code=201)
def send(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: MessageIn
) -> dict[str, Any]:
    """Open a thread to other agencies. Attachments are base64, typed by their content."""
    files = check_all(body.attachments)
    draft = MessageDraft.model_validate(body.model_dump(exclude={"attachments"}))
    return messages.send(node, principal, purpose, draft, files)


@router.get("/messages", response_model=PageOut[dict[str, Any]])
def list_messages(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    window: WindowDep,
    box: Literal["inbox", "sent", "all"] = "all",
    q: Annotated[str | None, Query(description="text in subject or body")] = None,
    overdue: Annotated[bool, Query(description="only unanswered ones past deadline")] = False,
) -> PageOut[dict[str, Any]]:
    """The caller's agency's messages, newest first; listing the inbox marks them delivered."""
    query = MessageQuery(box=box, text=q, overdue=overdue)
    items, total = messages.list_messages(node, principal, purpose, query, window)
    return PageOut[dict[str, Any]].of(items, total, window)


@router.get("/messages/threads/{thread_id}")
def open_thread(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, thread_id: str
) -> dict[str, Any]:
    """A whole thread; opening it marks the messages to the caller's agency read."""
    return messages.open_thread(node, principal, purpose, thread_id)


@router.post("/messages/threads/{thread_id}/replies", status_code=201)
def reply(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, thread_id: str, body: ReplyIn
) -> dict[str, int]:
    files = check_all(body.attachments)
    draft = ReplyDraft.model_validate(body.model_dump(exclude={"attachments"}))
    return {"message_id": messages.reply(node, principal, purpose, thread_id, draft, files)}


@router.post("/messages/threads/{thread_id}/close", status_code=204)
def close(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, thread_id: str) -> None:
    messages.close(node, principal, purpose, thread_id)


@router.get("/messages/attachments/{attachment_id}")
def download(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, attachment_id: int
) -> Response:
    name, media_type, content = messages.attachment(node, principal, purpose, attachment_id)
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/directory/contacts", tags=["directory"])
def find_contacts(
    node: NodeDep,
    _principal: PrincipalDep,
    country: str | None = None,
    language: Annotated[str | None, Query(description="ISO 639 code, e.g. fr")] = None,
    desk_24_7: bool | None = None,
) -> list[dict[str, Any]]:
    """Liaison contacts of agencies: country, languages, channels, 24/7 desks."""
    return contacts.find_contacts(node, country, language, desk_24_7)


@router.post("/directory/contacts", tags=["directory"], status_code=201)
def add_contact(node: NodeDep, principal: PrincipalDep, body: ContactDraft) -> dict[str, int]:
    return {"id": contacts.add_contact(node, principal, body)}


@router.delete("/directory/contacts/{contact_id}", tags=["directory"], status_code=204)
def remove_contact(node: NodeDep, principal: PrincipalDep, contact_id: int) -> None:
    contacts.remove_contact(node, principal, contact_id)


@router.post("/webhooks", tags=["webhooks"], status_code=201)
def register_webhook(node: NodeDep, principal: PrincipalDep, body: WebhookIn) -> dict[str, str]:
    """Subscribe the caller's agency to new items; the signing secret is shown once."""
    return webhooks.register(node, principal, body.url)


@router.get("/webhooks", tags=["webhooks"])
def list_webhooks(node: NodeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    return webhooks.list_webhooks(node, principal)


@router.delete("/webhooks/{hook_id}", tags=["webhooks"], status_code=204)
def deactivate_webhook(node: NodeDep, principal: PrincipalDep, hook_id: str) -> None:
    webhooks.deactivate(node, principal, hook_id)


@router.post("/webhooks/deliver", tags=["webhooks"])
def deliver(node: NodeDep, principal: PrincipalDep) -> dict[str, int]:
    """Post every due delivery now (hub administrators; `borderless webhooks deliver` in cron)."""
    run = webhooks.deliver_due(node, principal)
    return {"delivered": run.delivered, "failed": run.failed, "given_up": run.given_up}
