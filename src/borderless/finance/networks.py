"""Networks: accounts and their holders grouped by strong money ties and shared attributes.

The graph has three kinds of nodes — accounts, holders (persons, organisations) and attribute
values (a phone number, an e-mail address, an address, an identifier) — and these ties:

- an account and each of its holders;
- a holder and each attribute value it has, so holders sharing a phone, e-mail, address or
  identifier meet at that value; an organisation and each of its directors;
- two accounts linked by a **strong** flow: the evidence payments of a typology alert, or
  payments between the pair adding up to at least `min_flow_eur`.

Weak, everyday payments do not tie accounts together (otherwise background traffic would join
everyone into one network). Networks are the connected components (SciPy sparse graph), kept
when they hold an alert or at least `min_accounts` accounts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from borderless.finance.frame import FlowFrame, IntArray
from borderless.finance.typologies import Alert

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NetworkParams:
    min_flow_eur: float = 50_000.0
    min_accounts: int = 3
    attributes: tuple[str, ...] = ("phone", "email", "address", "identifier", "director")


@dataclass
class Network:
    accounts: list[int]
    holders: list[str]
    shared: dict[str, list[str]]  # attribute value -> holders sharing it
    transactions: IntArray  # strong ties inside the network
    alerts: list[Alert] = field(default_factory=list)

    def countries(self, frame: FlowFrame) -> list[str]:
        codes = frame.account_country[np.asarray(self.accounts, np.int64)]
        return sorted({frame.countries[c] for c in codes.tolist() if c >= 0})

    def total_eur(self, frame: FlowFrame) -> float:
        return float(frame.value[self.transactions].sum())


def _norm(value: str) -> str:
    return _SPACE.sub(" ", value).strip().lower()


def holder_attributes(body: Mapping[str, Any], wanted: Sequence[str]) -> list[str]:
    """The attribute values of one holder's record body, as ``kind:value`` keys."""
    found: list[str] = []
    for ident in [*body.get("identifiers", []), *body.get("registration_numbers", [])]:
        scheme = str(ident.get("scheme", "")).lower()
        kind = scheme if scheme in ("phone", "email") else "identifier"
        if kind in wanted:
            found.append(f"{kind}:{_norm(str(ident.get('value', '')))}")
    if "address" in wanted:
        found += [f"address:{_norm(a['full'])}" for a in body.get("addresses", []) if a.get("full")]
    if "director" in wanted:
        found += [f"director:{d}" for d in body.get("director_ids", [])]
    return found


def strong_pairs(frame: FlowFrame, alerts: Iterable[Alert], min_flow_eur: float) -> IntArray:
    """Transactions that tie their two accounts: alert evidence, or part of a large flow."""
    pair = frame.src * frame.n_accounts + frame.dst
    unique, inverse = np.unique(pair, return_inverse=True)
    totals = np.bincount(inverse, weights=frame.value, minlength=unique.size)
    strong = totals[inverse] >= min_flow_eur
    evidence = np.fromiter((e for a in alerts for e in a.transactions), np.int64)
    strong[evidence] = True
    return np.flatnonzero(strong)


def find_networks(
    frame: FlowFrame, alerts: Sequence[Alert], params: NetworkParams | None = None
) -> list[Network]:
    """Networks, biggest story first (alerts, then money)."""
    p = params or NetworkParams()
    n = frame.n_accounts
    holder_ids = sorted({h for hs in frame.account_holders for h in hs} | set(frame.holders))
    holder_index = {h: n + i for i, h in enumerate(holder_ids)}
    attributes: dict[str, int] = {}
    sharing: dict[int, list[str]] = {}
    rows: list[int] = []
    cols: list[int] = []
    for account, held_by in enumerate(frame.account_holders):
        for h in held_by:
            rows.append(account)
            cols.append(holder_index[h])
    for holder in frame.holders.values():
        for key in holder_attributes(holder.body, p.attributes):
            target = key.split(":", 1)[1] if key.startswith("director:") else None
            node = holder_index.get(target) if target else None
            if node is None:
                node = attributes.setdefault(key, n + len(holder_ids) + len(attributes))
            rows.append(holder_index[holder.id])
            cols.append(node)
            sharing.setdefault(node, []).append(holder.id)
    ties = strong_pairs(frame, alerts, p.min_flow_eur)
    size = n + len(holder_ids) + len(attributes)
    all_rows = np.concatenate([np.asarray(rows, np.int64), frame.src[ties]])
    all_cols = np.concatenate([np.asarray(cols, np.int64), frame.dst[ties]])
    graph = coo_matrix((np.ones(all_rows.size), (all_rows, all_cols)), shape=(size, size))
    _, label = connected_components(graph, directed=False)
    names = {v: k for k, v in attributes.items()}
    nodes_in = np.unique(np.concatenate([all_rows, all_cols]))
    order = np.argsort(label[nodes_in], kind="stable")
    bounds = np.flatnonzero(np.diff(label[nodes_in][order])) + 1
    members = {
        int(label[group[0]]): group.tolist()
        for group in np.split(nodes_in[order], bounds)
        if group.size
    }
    alerts_of: dict[int, list[Alert]] = {}
    for alert in alerts:
        alerts_of.setdefault(int(label[alert.accounts[0]]), []).append(alert)
    tie_label = label[frame.src[ties]]
    networks = []
    for component, nodes in members.items():
        accounts = [v for v in nodes if v < n]
        if len(accounts) < p.min_accounts and component not in alerts_of:
            continue
        holders = [holder_ids[v - n] for v in nodes if n <= v < n + len(holder_ids)]
        shared = {
            names[v]: sorted(set(sharing[v]))
            for v in nodes
            if v in names and len(set(sharing.get(v, []))) > 1
        }
        networks.append(
            Network(
                accounts=accounts,
                holders=holders,
                shared=shared,
                transactions=ties[tie_label == component],
                alerts=alerts_of.get(component, []),
            )
        )
    return sorted(networks, key=lambda w: (-len(w.alerts), -w.total_eur(frame), w.accounts))
