"""Import financial files and trace money through them, on SQLite and PostgreSQL.

The fixture file `data/transactions.csv` is a small laundering chain::

    NL-001 -T1 10,000 EUR-> NL-002 -T2 9,000 EUR-> AE-003 -T3 33,000 AED-> CY-004 -T4 cash-> CY-006

with two payments that time order must exclude: T0 leaves NL-002 *before* T1 arrives, and T5
pays NL-002 before anything else happened.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.errors import FormatError, NotFound, PermissionDenied, PurposeRequired
from borderless.finance.graph_export import GraphFormat, write_graph
from borderless.services import records
from borderless.services.finance import FinanceFormat, import_flows
from borderless.services.finance_models import TraceRequest, TraceResponse
from borderless.services.finance_trace import run_trace, trace_graph
from borderless.services.node import Node
from borderless.store.schema import audit_log
from tests.conftest import People

DATA = Path(__file__).parent / "data"
FI = Purpose.FINANCIAL_INVESTIGATION
PREFIX = "NLD-FIU:transactions:"


def acct(local: str) -> str:
    return f"{PREFIX}acct:{local}"


def tx(local: str) -> str:
    return f"{PREFIX}tx:{local}"


@pytest.fixture
def fiu(node: Node, people: People) -> Principal:
    analyst = people["NLD-FIU", Role.ANALYST]
    import_flows(node, analyst, FinanceFormat.CSV, DATA / "transactions.csv")
    return analyst


def _trace(node: Node, who: Principal, **request: Any) -> TraceResponse:
    return run_trace(node, who, FI, TraceRequest.model_validate(request))


def test_import_is_idempotent_and_atomic(node: Node, people: People, tmp_path: Path) -> None:
    analyst = people["NLD-FIU", Role.ANALYST]
    first = import_flows(node, analyst, FinanceFormat.CSV, DATA / "transactions.csv")
    assert first.inserted == 6 + 6 + 6  # parties, accounts, transactions
    again = import_flows(node, analyst, FinanceFormat.CSV, DATA / "transactions.csv")
    assert (again.inserted, again.unchanged) == (0, 18)
    bad = tmp_path / "bad.csv"
    lines = (DATA / "transactions.csv").read_text().splitlines()
    lines[1] = lines[1].replace("NL-001", "NL-100")  # a new account ...
    lines.append("T9,NL-001,NL-002,0,EUR,2025-02-01,,,,,,,,")  # ... and a bad last line
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(FormatError, match="line 8"):
        import_flows(node, analyst, FinanceFormat.CSV, bad)
    with pytest.raises(NotFound):  # nothing of the broken file was stored
        _trace(node, analyst, account="NL-100")


def test_imports_all_formats(node: Node, people: People) -> None:
    analyst = people["NLD-FIU", Role.ANALYST]
    goaml = import_flows(node, analyst, FinanceFormat.GOAML, DATA / "goaml_str.xml")
    pacs = import_flows(node, analyst, FinanceFormat.PACS008, DATA / "pacs008.xml")
    assert goaml.inserted == 3 + 3 + 2
    assert pacs.inserted == 3 + 3 + 2
    found = _trace(node, analyst, account="NL91ABNA0417164300", direction="both")
    # the IBAN is one account in each source; both are seeds, with their source ids shown
    assert {s.source_id for s in found.seeds} == {"DEMONL2A/0417164300", "NL91ABNA0417164300"}
    forward = found.sections[0]
    assert {t.source_id for t in forward.transactions} >= {
        "TX-1002",
        "8a562c67-ca16-48ba-b074-65581be6f011",
    }


def test_forward_trace_respects_time_and_attributes_amounts(node: Node, fiu: Principal) -> None:
    found = _trace(node, fiu, account="NL-001", hops=4)
    forward = found.sections[0]
    assert [t.id for t in forward.transactions] == [tx("T1"), tx("T2"), tx("T3"), tx("T4")]
    assert [t.hop for t in forward.transactions] == [1, 2, 3, 4]
    # T0 left NL-002 before the money arrived; T5 is older still
    assert tx("T0") not in {t.id for t in forward.transactions}
    t3 = next(t for t in forward.transactions if t.id == tx("T3"))
    assert t3.amount == 33_000
    assert t3.currency == "AED"
    assert t3.amount_eur == pytest.approx(33_000 / 3.97, rel=1e-3)
    assert forward.end_points == [acct("CY-006")]
    assert forward.total_eur == pytest.approx(7_000)
    assert forward.cash_outs == [tx("T4")]
    assert forward.countries == ["ARE", "CYP", "NLD"]
    corridors = {(c.from_country, c.to_country) for c in forward.corridors}
    assert {("NLD", "ARE"), ("ARE", "CYP")} <= corridors
    assert forward.elapsed_hours == pytest.approx(98.0)
    by_id = {a.id: a for a in forward.accounts}
    assert by_id[acct("AE-003")].hop == 2
    assert by_id[acct("AE-003")].source_id == "AE-003"
    assert by_id[acct("NL-002")].amount_eur == pytest.approx(10_000)


def test_hops_window_and_backward(node: Node, fiu: Principal) -> None:
    two = _trace(node, fiu, account="NL-001", hops=2).sections[0]
    assert [t.id for t in two.transactions] == [tx("T1"), tx("T2")]
    early = _trace(node, fiu, account="NL-001", end=datetime(2025, 2, 2, tzinfo=UTC)).sections[0]
    assert [t.id for t in early.transactions] == [tx("T1"), tx("T2")]
    back = _trace(node, fiu, account="CY-006", direction="backward").sections[0]
    # backward: money reaching CY-006 must have left each account earlier; T5 (15 Jan)
    # reached NL-002 before T2 left it, so it is an upstream source like T1; T0 is not
    assert [t.id for t in back.transactions] == [tx(t) for t in ("T4", "T3", "T2", "T5", "T1")]
    assert [t.hop for t in back.transactions] == [1, 2, 3, 4, 4]
    assert back.direction == "backward"
    assert back.end_points == [acct("NL-001")]  # AE-003 is on the path itself


def test_trace_by_person(node: Node, fiu: Principal) -> None:
    found = _trace(node, fiu, person=f"{PREFIX}party:Kees Mulder", hops=1)
    assert [s.id for s in found.seeds] == [acct("NL-002")]
    assert {t.id for t in found.sections[0].transactions} == {tx("T0"), tx("T2")}
    with pytest.raises(NotFound):
        _trace(node, fiu, person="nobody")


def _hidden_payment(node: Node, owner: Principal, **governance: Any) -> str:
    draft = RecordDraft.model_validate(
        {
            "kind": "transaction",
            "body": {
                "from_account_id": acct("CY-006"),
                "to_account_id": acct("NL-005"),
                "amount": 6_500,
                "currency": "EUR",
                "time": "2025-02-06T10:00:00Z",
            },
            "governance": governance,
        }
    )
    return records.create(node, owner, Purpose.DATA_MANAGEMENT, draft).id


def test_other_agencies_see_only_what_the_rules_allow(
    node: Node, fiu: Principal, people: People
) -> None:
    hit_only = _hidden_payment(node, fiu, dissemination="hit_only")
    restricted = _hidden_payment(node, fiu, purposes=["counter_terrorism"])
    listed = _hidden_payment(node, fiu, dissemination="listed", share_countries=["TUR"])
    hidden = {hit_only, restricted, listed}
    own = {t.id for t in _trace(node, fiu, account="NL-001", hops=6).sections[0].transactions}
    assert hidden <= own  # the owner sees its own records
    bka = people["DEU-BKA", Role.ANALYST]
    seen = {t.id for t in _trace(node, bka, account="NL-001", hops=6).sections[0].transactions}
    assert tx("T4") in seen
    assert not (hidden & seen)
    egm = people["TUR-EGM", Role.ANALYST]
    turkish = {t.id for t in _trace(node, egm, account="NL-001", hops=6).sections[0].transactions}
    assert listed in turkish
    assert not ({hit_only, restricted} & turkish)
    # a purpose the record allows makes it visible
    ct = run_trace(
        node,
        bka,
        Purpose.COUNTER_TERRORISM,
        TraceRequest(account="NL-001", hops=6),
    )
    assert restricted in {t.id for t in ct.sections[0].transactions}


def test_trace_is_audited_and_needs_purpose_and_role(
    node: Node, fiu: Principal, people: People
) -> None:
    _trace(node, fiu, account="NL-001")
    with node.engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.action == AuditAction.TRACE.value)
        ).one()
    assert entry.purpose == FI.value
    assert tx("T3") in entry.record_ids
    assert acct("CY-006") in entry.record_ids
    assert entry.owners == ["NLD-FIU"]
    assert entry.query["account"] == "NL-001"
    with pytest.raises(PurposeRequired):
        run_trace(node, fiu, None, TraceRequest(account="NL-001"))
    officer = people["NLD-FIU", Role.OFFICER]
    with pytest.raises(PermissionDenied):
        run_trace(node, officer, FI, TraceRequest(account="NL-001"))
    with node.engine.connect() as conn:
        denied = conn.execute(
            select(audit_log.c.username).where(audit_log.c.action == AuditAction.DENIED.value)
        ).scalars()
        assert list(denied) == [officer.username]


def test_exports(node: Node, fiu: Principal) -> None:
    response = run_trace(node, fiu, FI, TraceRequest(account="NL-001"), export=GraphFormat.GRAPHML)
    graph = trace_graph(response)
    graphml = nx.read_graphml(io.BytesIO(write_graph(graph, GraphFormat.GRAPHML)))
    assert graphml.number_of_nodes() == 5
    assert graphml.number_of_edges() == 4
    assert graphml.nodes[acct("AE-003")]["country"] == "ARE"
    gexf = nx.read_gexf(io.BytesIO(write_graph(graph, GraphFormat.GEXF)))
    assert gexf.number_of_edges() == 4
    data = json.loads(write_graph(graph, GraphFormat.JSON))
    t3 = next(e for e in data["edges"] if e["id"] == tx("T3"))
    assert (t3["source_id"], t3["currency"]) == ("T3", "AED")
    ftm = [json.loads(line) for line in write_graph(graph, GraphFormat.FTM).splitlines()]
    assert sorted(e["schema"] for e in ftm) == ["BankAccount"] * 5 + ["Payment"] * 4
    officer_like = fiu.model_copy(update={"role": Role.OFFICER})
    with pytest.raises(PermissionDenied):
        run_trace(node, officer_like, FI, TraceRequest(account="NL-001"), GraphFormat.JSON)


def test_snapshot_follows_changes(node: Node, fiu: Principal) -> None:
    before = _trace(node, fiu, account="NL-001", hops=6).sections[0]
    added = _hidden_payment(node, fiu)  # CY-006 pays on after the cash-out
    after = _trace(node, fiu, account="NL-001", hops=6).sections[0]
    assert added not in {t.id for t in before.transactions}
    assert added in {t.id for t in after.transactions}
    records.delete(node, fiu, Purpose.DATA_MANAGEMENT, added)
    again = _trace(node, fiu, account="NL-001", hops=6).sections[0]
    assert added not in {t.id for t in again.transactions}
