"""`borderless message ...`, `borderless contact ...` and `borderless webhooks ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from borderless.cli.context import print_json, print_table, reported, state
from borderless.cli.cooperation import DeadlineOpt, JsonOpt, PurposeOpt, ZoneOpt, deadline
from borderless.domain.codes import HandlingCode
from borderless.domain.messaging import ContactDraft, MessageDraft, Priority, ReplyDraft
from borderless.errors import FormatError
from borderless.services import contacts, messages, webhooks
from borderless.services.attachments import CheckedAttachment, check
from borderless.store.messaging import MessageQuery

message_app = typer.Typer(help="Threads between agencies.", no_args_is_help=True)
contact_app = typer.Typer(help="The directory of liaison contacts.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Your agency's outgoing webhooks.", no_args_is_help=True)

AttachOpt = Annotated[list[Path] | None, typer.Option("--attach", help="a file to attach")]
LinkOpt = Annotated[list[str] | None, typer.Option("--link", help="a record id to link")]
AgencyOpt = Annotated[
    str | None, typer.Option(help="the agency (when the operator acts without --as)")
]


def _files(paths: list[Path] | None) -> list[CheckedAttachment]:
    found = []
    for path in paths or []:
        if not path.is_file():
            raise FormatError(path, None, "file not found")
        found.append(check(path.name, path.read_bytes()))
    return found


@message_app.command("send")
def send(
    ctx: typer.Context,
    to: Annotated[list[str], typer.Option("--to", help="addressee agency code (repeatable)")],
    subject: Annotated[str, typer.Option()],
    body: Annotated[str, typer.Option(help="the text")],
    priority: Annotated[Priority, typer.Option()] = Priority.ROUTINE,
    handling: Annotated[HandlingCode, typer.Option()] = HandlingCode.H0,
    handling_note: Annotated[str | None, typer.Option()] = None,
    due: DeadlineOpt = None,
    zone: ZoneOpt = "UTC",
    attach: AttachOpt = None,
    link: LinkOpt = None,
    purpose: PurposeOpt = None,
) -> None:
    """Open a thread to one or more agencies; prints the thread id."""
    st = state(ctx)
    with reported():
        draft = MessageDraft(
            to=to,
            subject=subject,
            body=body,
            priority=priority,
            handling=handling,
            handling_note=handling_note,
            deadline=deadline(due, zone),
            linked_records=link or [],
        )
        sent = messages.send(st.node, st.user(), st.purpose(purpose), draft, _files(attach))
    typer.echo(sent["thread_id"])


@message_app.command("reply")
def reply(
    ctx: typer.Context,
    thread: str,
    body: Annotated[str, typer.Option()],
    attach: AttachOpt = None,
    link: LinkOpt = None,
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        draft = ReplyDraft(body=body, linked_records=link or [])
        messages.reply(st.node, st.user(), st.purpose(purpose), thread, draft, _files(attach))
    typer.echo(f"replied in {thread}")


@message_app.command("list")
def list_messages(
    ctx: typer.Context,
    box: Annotated[str, typer.Option(help="inbox, sent or all")] = "all",
    search: Annotated[str | None, typer.Option(help="text in subject or body")] = None,
    overdue: Annotated[bool, typer.Option(help="only unanswered past deadline")] = False,
    limit: int = 50,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Your agency's messages, newest first (listing the inbox marks them delivered)."""
    st = state(ctx)
    with reported():
        q = MessageQuery(box=box, text=search, overdue=overdue)
        items, total = messages.list_messages(
            st.node, st.user(), st.purpose(purpose), q, (0, limit)
        )
    if as_json:
        print_json({"items": items, "total": total})
        return
    print_table(
        ["thread", "sent", "from", "priority", "subject", "state", "deadline", "overdue"],
        [
            (
                m["thread_id"],
                m["sent_at"][:16],
                m["from"],
                m["priority"],
                m["subject"],
                m["state"] or ", ".join(f"{a['agency']}:{a['state']}" for a in m["addressees"]),
                m["deadline"]["local"] if m["deadline"] else "",
                "OVERDUE" if m["overdue"] else "",
            )
            for m in items
        ],
        title=f"{len(items)} of {total} message(s)",
    )


@message_app.command("show")
def show(ctx: typer.Context, thread: str, purpose: PurposeOpt = None) -> None:
    """A whole thread as JSON (opening it marks the messages to you read)."""
    st = state(ctx)
    with reported():
        print_json(messages.open_thread(st.node, st.user(), st.purpose(purpose), thread))


@message_app.command("close")
def close(ctx: typer.Context, thread: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        messages.close(st.node, st.user(), st.purpose(purpose), thread)
    typer.echo(f"closed {thread}")


@message_app.command("attachment")
def attachment(
    ctx: typer.Context,
    attachment_id: int,
    out: Annotated[Path, typer.Option(help="where to write the file")],
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        name, media_type, content = messages.attachment(
            st.node, st.user(), st.purpose(purpose), attachment_id
        )
    out.write_bytes(content)
    typer.echo(f"{name} ({media_type}, {len(content)} bytes) -> {out}")


@contact_app.command("add")
def add_contact(
    ctx: typer.Context,
    name: Annotated[str, typer.Option()],
    role: Annotated[str | None, typer.Option()] = None,
    language: Annotated[list[str] | None, typer.Option(help="ISO 639 code (repeatable)")] = None,
    channel: Annotated[
        list[str] | None, typer.Option(help="KIND=ADDRESS, e.g. phone=+33... (repeatable)")
    ] = None,
    desk_24_7: Annotated[bool, typer.Option("--desk-24-7", help="staffed day and night")] = False,
    agency: AgencyOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        pairs = [c.partition("=") for c in channel or []]
        draft = ContactDraft(
            name=name,
            role=role,
            languages=language or [],
            channels={k: v for k, _, v in pairs},
            desk_24_7=desk_24_7,
        )
        contact_id = contacts.add_contact(st.node, st.importer(agency), draft)
    typer.echo(contact_id)


@contact_app.command("list")
def list_contacts(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None,
    desk_24_7: Annotated[bool | None, typer.Option("--desk-24-7/--any-desk")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Liaison contacts by country, language and 24/7 desk."""
    st = state(ctx)
    with reported():
        found = contacts.find_contacts(st.node, country, language, desk_24_7)
    if as_json:
        print_json(found)
        return
    print_table(
        ["id", "country", "agency", "name", "languages", "channels", "24/7"],
        [
            (
                c["id"],
                c["country"],
                c["agency"],
                c["name"],
                ", ".join(c["languages"]),
                "; ".join(f"{k}: {v}" for k, v in c["channels"].items()),
                "yes" if c["desk_24_7"] else "",
            )
            for c in found
        ],
    )


@contact_app.command("remove")
def remove_contact(ctx: typer.Context, contact_id: int, agency: AgencyOpt = None) -> None:
    st = state(ctx)
    with reported():
        contacts.remove_contact(st.node, st.importer(agency), contact_id)
    typer.echo(f"removed contact {contact_id}")


@webhooks_app.command("add")
def add_webhook(ctx: typer.Context, url: str, agency: AgencyOpt = None) -> None:
    """Subscribe an agency to new items; prints the signing secret once."""
    st = state(ctx)
    with reported():
        print_json(webhooks.register(st.node, st.importer(agency), url))


@webhooks_app.command("list")
def list_webhooks(ctx: typer.Context, agency: AgencyOpt = None) -> None:
    st = state(ctx)
    with reported():
        print_json(webhooks.list_webhooks(st.node, st.importer(agency)))


@webhooks_app.command("remove")
def remove_webhook(ctx: typer.Context, hook_id: str, agency: AgencyOpt = None) -> None:
    st = state(ctx)
    with reported():
        webhooks.deactivate(st.node, st.importer(agency), hook_id)
    typer.echo(f"deactivated {hook_id}")


@webhooks_app.command("deliver")
def deliver(ctx: typer.Context) -> None:
    """Post every due delivery (run it from cron or a timer every minute)."""
    st = state(ctx)
    with reported():
        run = webhooks.deliver_due(st.node, st.user_or_operator())
    typer.echo(f"{run.delivered} delivered, {run.failed} to retry, {run.given_up} given up")
