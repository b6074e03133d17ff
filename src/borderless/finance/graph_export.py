"""A traced or detected money-flow subgraph, written for other tools.

- **graph JSON**: ``{"nodes": [...], "edges": [...]}`` with every attribute (web pages, scripts);
- **GraphML** and **GEXF** (Gephi, i2 Analyst's Notebook via GraphML import, yEd), through
  networkx's writers; attributes become typed node/edge data;
- **FollowTheMoney** (Aleph): one ``BankAccount`` per account and one ``Payment`` per
  transaction (payer/beneficiary accounts, amount, currency, date), ids as in the FtM exporter
  (`formats.ftm.entity_id`), so the same account gets the same FtM id in both exports.

Every node and edge carries the record id *and* the source's own id.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
from followthemoney import model

from borderless.formats.ftm import entity_id, ftm_country

Attributes = dict[str, str | int | float | bool]


class GraphFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    GEXF = "gexf"
    FTM = "ftm"


MEDIA_TYPES: Mapping[GraphFormat, str] = {
    GraphFormat.JSON: "application/json",
    GraphFormat.GRAPHML: "application/graphml+xml",
    GraphFormat.GEXF: "application/gexf+xml",
    GraphFormat.FTM: "application/x-ndjson",
}


@dataclass
class FlowGraph:
    """Accounts (nodes, keyed by record id) and transactions (edges) with flat attributes."""

    nodes: dict[str, Attributes] = field(default_factory=dict)
    edges: dict[str, tuple[str, str, Attributes]] = field(default_factory=dict)

    def add_account(self, account_id: str, **attributes: Any) -> None:
        known = self.nodes.setdefault(account_id, {})
        known.update({k: v for k, v in attributes.items() if v is not None})

    def add_payment(self, tx_id: str, source: str, target: str, **attributes: Any) -> None:
        self.add_account(source)
        self.add_account(target)
        self.edges[tx_id] = (source, target, {k: v for k, v in attributes.items() if v is not None})

    def to_networkx(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        for node, attrs in self.nodes.items():
            graph.add_node(node, **attrs)
        for tx_id, (source, target, attrs) in self.edges.items():
            graph.add_edge(source, target, key=tx_id, id=tx_id, **attrs)
        return graph


def _json(graph: FlowGraph) -> bytes:
    data = {
        "nodes": [{"id": n, **a} for n, a in graph.nodes.items()],
        "edges": [{"id": t, "source": s, "target": d, **a} for t, (s, d, a) in graph.edges.items()],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _ftm(graph: FlowGraph) -> bytes:
    lines: list[bytes] = []
    for node, attrs in graph.nodes.items():
        account = model.make_entity("BankAccount")
        account.id = entity_id(node)
        account.add("accountNumber", str(attrs.get("source_id") or node))
        if (country := attrs.get("country")) and (code := ftm_country(str(country))):
            account.add("country", code)
        lines.append(json.dumps(account.to_dict(), ensure_ascii=False).encode("utf-8"))
    for tx_id, (source, target, attrs) in graph.edges.items():
        payment = model.make_entity("Payment")
        payment.id = entity_id(tx_id)
        payment.add("payerAccount", entity_id(source))
        payment.add("beneficiaryAccount", entity_id(target))
        payment.add("amount", str(attrs.get("amount", "")))
        payment.add("currency", str(attrs.get("currency", "")))
        payment.add("date", str(attrs.get("time", ""))[:19])
        payment.add("transactionNumber", str(attrs.get("source_id") or tx_id))
        if "amount_eur" in attrs:
            payment.add("amountEur", str(attrs["amount_eur"]))
        lines.append(json.dumps(payment.to_dict(), ensure_ascii=False).encode("utf-8"))
    return b"\n".join(lines) + b"\n"


def write_graph(graph: FlowGraph, fmt: GraphFormat) -> bytes:
    """The graph in `fmt`, as bytes."""
    if fmt is GraphFormat.JSON:
        return _json(graph)
    if fmt is GraphFormat.FTM:
        return _ftm(graph)
    buffer = io.BytesIO()
    if fmt is GraphFormat.GRAPHML:
        nx.write_graphml(graph.to_networkx(), buffer)
    else:
        nx.write_gexf(graph.to_networkx(), buffer)
    return buffer.getvalue()
