"""`borderless search ...`, `borderless match ...`, `borderless notifications ...`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError

from borderless.cli.context import print_json, print_table, progress_bar, reported, state
from borderless.domain.codes import Gender, Purpose
from borderless.errors import FormatError
from borderless.formats.validation import describe_validation_error
from borderless.services import match as match_service
from borderless.services import notifications
from borderless.services import search as search_service
from borderless.services.search_query import SearchRequest, SearchResponse

search_app = typer.Typer(help="Frontline search of every record you may see.", no_args_is_help=True)
notifications_app = typer.Typer(
    help="Hits others had on your agency's records.", no_args_is_help=True
)

PurposeOpt = Annotated[Purpose | None, typer.Option(help="why you search (required)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
LimitOpt = Annotated[int, typer.Option(help="at most this many hits")]


def _run(
    ctx: typer.Context, request: dict[str, Any], purpose: Purpose | None, as_json: bool
) -> None:
    st = state(ctx)
    with reported():
        parsed = SearchRequest.model_validate(request)
        result = search_service.search(st.node, st.user(), st.purpose(purpose), parsed)
        response = search_service.to_response(result)
    if as_json:
        print_json(response)
    else:
        _print(response)


def _print(response: SearchResponse) -> None:
    if response.mrz is not None:
        checks = ", ".join(
            f"{k} {'ok' if v else 'FAILED'}" for k, v in response.mrz["checks"].items()
        )
        typer.echo(f"MRZ {response.mrz['format']}: {checks}")
    print_table(
        ["score", "kind", "id", "owner", "access", "label", "why", "action"],
        [
            (
                f"{h.score:.2f}",
                h.kind,
                h.id,
                f"{h.owner} ({h.owner_country})",
                h.access,
                h.label or h.contact,
                "; ".join(h.reasons[:3]),
                "; ".join(h.actions),
            )
            for h in response.hits
        ],
        title=f"{len(response.hits)} hit(s) at threshold {response.threshold:.2f}, "
        f"{response.took_ms:.1f} ms",
    )


@search_app.command("person")
def person(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="full name in any script")],
    dob: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option()] = None,
    gender: Annotated[Gender | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
    limit: LimitOpt = 20,
    as_json: JsonOpt = False,
) -> None:
    """Persons (and notices about them) by name, date of birth, nationality, gender."""
    query = {"name": name, "birth_date": dob, "nationality": nationality, "gender": gender}
    _run(ctx, {"person": _given(query), "limit": limit}, purpose, as_json)


@search_app.command("document")
def document(
    ctx: typer.Context,
    number: Annotated[str, typer.Option()],
    country: Annotated[str | None, typer.Option(help="issuing country")] = None,
    purpose: PurposeOpt = None,
    limit: LimitOpt = 20,
    as_json: JsonOpt = False,
) -> None:
    """Travel and identity documents by number (spaces, dashes, O/0 and I/1 forgiven)."""
    _run(
        ctx,
        {"document": _given({"number": number, "country": country}), "limit": limit},
        purpose,
        as_json,
    )


@search_app.command("mrz")
def mrz(
    ctx: typer.Context,
    lines: Annotated[list[str], typer.Argument(help="the 2 (TD2, TD3) or 3 (TD1) MRZ lines")],
    purpose: PurposeOpt = None,
    limit: LimitOpt = 20,
    as_json: JsonOpt = False,
) -> None:
    """A passport or ID card's machine-readable zone: check digits verified, then searched."""
    _run(ctx, {"document": {"mrz": lines}, "limit": limit}, purpose, as_json)


@search_app.command("vehicle")
def vehicle(
    ctx: typer.Context,
    vin: Annotated[str | None, typer.Option()] = None,
    plate: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option(help="registering country of the plate")] = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Vehicles by VIN, or by plate and country."""
    _run(
        ctx, {"vehicle": _given({"vin": vin, "plate": plate, "country": country})}, purpose, as_json
    )


@search_app.command("firearm")
def firearm(
    ctx: typer.Context,
    serial: Annotated[str, typer.Option()],
    make: Annotated[str | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Firearms by serial number (and make)."""
    _run(ctx, {"firearm": _given({"serial": serial, "make": make})}, purpose, as_json)


@search_app.command("account")
def account(
    ctx: typer.Context,
    iban: Annotated[str | None, typer.Option()] = None,
    number: Annotated[str | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Bank accounts by IBAN or number."""
    _run(ctx, {"account": _given({"iban": iban, "number": number})}, purpose, as_json)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


_CSV_FIELDS = {
    "name": ("person", "name"),
    "dob": ("person", "birth_date"),
    "nationality": ("person", "nationality"),
    "gender": ("person", "gender"),
    "document_number": ("document", "number"),
    "document_country": ("document", "country"),
    "vin": ("vehicle", "vin"),
    "plate": ("vehicle", "plate"),
    "plate_country": ("vehicle", "country"),
    "serial": ("firearm", "serial"),
    "iban": ("account", "iban"),
}


def _batch_requests(path: Path) -> Iterator[tuple[int, SearchRequest]]:
    """JSON Lines of search requests, or CSV with the columns in `_CSV_FIELDS`."""
    text = path.read_text(encoding="utf-8")
    rows: list[tuple[int, Any]]
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = []
        for number, raw in enumerate(text.splitlines(), 1):
            if raw.strip():
                try:
                    rows.append((number, orjson.loads(raw)))
                except orjson.JSONDecodeError as exc:
                    raise FormatError(path, f"line {number}", f"invalid JSON: {exc}") from None
    else:
        rows = []
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), 2):
            unknown = set(row) - set(_CSV_FIELDS) - {"id"}
            if unknown:
                raise FormatError(
                    path,
                    "line 1",
                    f"unknown column(s) {sorted(unknown)}; known: {sorted(_CSV_FIELDS)}",
                )
            request: dict[str, dict[str, str]] = {}
            for column, value in row.items():
                if value and column in _CSV_FIELDS:
                    part, field = _CSV_FIELDS[column]
                    request.setdefault(part, {})[field] = value
            rows.append((number, request))
    for number, data in rows:
        try:
            yield number, SearchRequest.model_validate(data)
        except ValidationError as exc:
            raise FormatError(path, f"line {number}", describe_validation_error(exc)) from None


@search_app.command("batch")
def batch(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV (name, dob, document_number, vin, ...) or JSON Lines")
    ],
    out: Annotated[Path, typer.Option("--out", help="results, JSON Lines")] = Path(
        "search-results.jsonl"
    ),
    purpose: PurposeOpt = None,
) -> None:
    """Search every line of a file; writes one JSON line of hits per query."""
    st = state(ctx)
    with reported():
        requests = list(_batch_requests(file))  # every line is validated before any search
        who, why = st.user(), st.purpose(purpose)
        hits = 0
        with out.open("wb") as sink, progress_bar(f"searching {file.name}", len(requests)) as tick:
            for done, (line, request) in enumerate(requests, 1):
                response = search_service.to_response(
                    search_service.search(st.node, who, why, request)
                )
                hits += len(response.hits)
                sink.write(
                    orjson.dumps(
                        {"line": line, **response.model_dump(mode="json")},
                        option=orjson.OPT_APPEND_NEWLINE,
                    )
                )
                tick(done)
    typer.echo(f"{len(requests)} queries, {hits} hits -> {out}")


def match(
    ctx: typer.Context,
    name_a: Annotated[str | None, typer.Argument(help="the queried name")] = None,
    name_b: Annotated[str | None, typer.Argument(help="the recorded name")] = None,
    dob_a: Annotated[str | None, typer.Option()] = None,
    dob_b: Annotated[str | None, typer.Option()] = None,
    namesakes: Annotated[
        int, typer.Option(min=1, help="records sharing the queried name, as a search counts")
    ] = 1,
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="CSV or JSON Lines of pairs: name_a, name_b, dob_a, dob_b, label, namesakes"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="with --pairs: write scores here (JSON Lines)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score two names (or a file of pairs) exactly as search does, with the reasons."""
    with reported():
        if pairs is not None:
            _match_pairs(pairs, out, as_json)
            return
        if not (name_a and name_b):
            raise typer.BadParameter("give two names, or --pairs FILE")
        sides = {
            "a": _given({"name": name_a, "birth_date": dob_a}),
            "b": _given({"name": name_b, "birth_date": dob_b}),
            "namesakes": namesakes,
        }
        response = match_service.compare(match_service.MatchRequest.model_validate(sides))
    if as_json:
        print_json(response)
        return
    verdict = "MATCH" if response.match else "no match"
    typer.echo(f"{response.score:.3f} {verdict} (threshold {response.threshold:.2f})")
    for reason in response.reasons:
        typer.echo(f"  - {reason}")


def _match_pairs(pairs: Path, out: Path | None, as_json: bool) -> None:
    scores = list(match_service.score_pairs(pairs))
    if out is not None:
        with out.open("wb") as sink:
            for s in scores:
                row = {"line": s.line, "label": s.label, **s.response.model_dump(mode="json")}
                sink.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
    quality = match_service.quality(scores)
    summary = {
        "pairs": quality.pairs,
        "labelled": quality.labelled,
        "precision": round(quality.precision, 4),
        "recall": round(quality.recall, 4),
        "f1": round(quality.f1, 4),
    }
    if as_json:
        print_json(summary)
    else:
        typer.echo(" ".join(f"{k}={v}" for k, v in summary.items()))


@notifications_app.command("list")
def notifications_list(
    ctx: typer.Context,
    unread: Annotated[bool, typer.Option(help="only unread ones")] = False,
    limit: int = 50,
    as_json: JsonOpt = False,
) -> None:
    """Hits other agencies had on your agency's records."""
    st = state(ctx)
    with reported():
        items, total = notifications.inbox(st.node, st.user(), unread, (0, limit))
    if as_json:
        print_json({"items": items, "total": total})
        return
    print_table(
        ["id", "at", "record", "kind", "by", "purpose", "score", "read"],
        [
            (
                n["id"],
                n["at"],
                n["record_id"],
                n["record_kind"],
                f"{n['username']} ({n['searcher_agency']})",
                n["purpose"],
                n["score"],
                n["read_at"] or "",
            )
            for n in items
        ],
        title=f"{len(items)} of {total}",
    )
