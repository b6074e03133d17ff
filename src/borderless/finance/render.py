"""Pictures of a network for people: a PNG (matplotlib) and a standalone interactive HTML page.

Both show accounts (circles, coloured by country; a red ring when an alert names them), their
holders (squares) and the ties between them (money: solid, width by amount; holding and shared
attributes: dashed). The HTML page needs no network access: its data and its small script are
inline. Hovering shows ids, source ids, countries and alerts; clicking a node highlights its
neighbours; the legend switches countries on and off.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt
import networkx as nx  # type: ignore[import-untyped]
import numpy as np

from borderless.finance.frame import FlowFrame
from borderless.finance.networks import Network

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d",
]  # fmt: skip
ALERT = "#d62728"


@dataclass(frozen=True)
class Drawing:
    """A laid-out network: nodes with positions and attributes, and edges."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    countries: dict[str, str]  # country -> colour
    title: str


def layout(frame: FlowFrame, network: Network, title: str = "") -> Drawing:
    graph = nx.Graph()
    flagged: dict[int, list[str]] = {}
    for alert in network.alerts:
        for account in alert.accounts:
            flagged.setdefault(account, []).append(alert.typology)
    countries: dict[str, str] = {}
    for account in network.accounts:
        country = frame.country_name(int(frame.account_country[account])) or "?"
        colour = countries.setdefault(country, PALETTE[len(countries) % len(PALETTE)])
        graph.add_node(
            str(frame.account_ids[account]),
            kind="account",
            label=str(frame.account_source[account] or frame.account_ids[account]),
            country=country,
            colour=colour,
            alerts=sorted(set(flagged.get(account, []))),
        )
        for holder in frame.account_holders[account]:
            known = frame.holders.get(holder)
            graph.add_node(
                holder,
                kind=known.kind if known else "holder",
                label=known.label if known else holder,
                country="",
                colour="#444444",
                alerts=[],
            )
            graph.add_edge(str(frame.account_ids[account]), holder, kind="holds", amount=0.0)
    for attribute, holders in network.shared.items():
        for a, b in pairwise(holders):
            graph.add_edge(a, b, kind=f"shares {attribute}", amount=0.0)
    pairs: dict[tuple[str, str], float] = {}
    for edge in network.transactions.tolist():
        key = (str(frame.account_ids[frame.src[edge]]), str(frame.account_ids[frame.dst[edge]]))
        pairs[key] = pairs.get(key, 0.0) + float(frame.value[edge])
    for (a, b), amount in pairs.items():
        graph.add_edge(a, b, kind="money", amount=round(amount, 2))
    positions = nx.spring_layout(graph, seed=7, k=1.5 / max(1, np.sqrt(len(graph))))
    nodes = [
        {"id": n, "x": float(positions[n][0]), "y": float(positions[n][1]), **graph.nodes[n]}
        for n in graph.nodes
    ]
    edges = [{"source": a, "target": b, **graph.edges[a, b]} for a, b in graph.edges]
    return Drawing(nodes, edges, countries, title)


def to_png(drawing: Drawing) -> bytes:
    figure, axes = plt.subplots(figsize=(12, 9), dpi=110)
    at = {n["id"]: (n["x"], n["y"]) for n in drawing.nodes}
    biggest = max([e["amount"] for e in drawing.edges] + [1.0])
    for edge in drawing.edges:
        (x1, y1), (x2, y2) = at[edge["source"]], at[edge["target"]]
        money = edge["kind"] == "money"
        axes.plot(
            [x1, x2],
            [y1, y2],
            color="#555555" if money else "#aaaaaa",
            linestyle="-" if money else "--",
            linewidth=0.5 + 4 * edge["amount"] / biggest if money else 0.6,
            zorder=1,
        )
    for node in drawing.nodes:
        account = node["kind"] == "account"
        axes.scatter(
            node["x"],
            node["y"],
            s=90 if account else 50,
            marker="o" if account else "s",
            color=node["colour"],
            edgecolors=ALERT if node["alerts"] else "white",
            linewidths=2.5 if node["alerts"] else 0.5,
            zorder=2,
        )
        if node["alerts"] or not account:
            axes.annotate(node["label"][:24], (node["x"], node["y"]), fontsize=6, zorder=3)
    for country, colour in drawing.countries.items():
        axes.scatter([], [], color=colour, label=country)
    axes.scatter([], [], color="white", edgecolors=ALERT, linewidths=2.5, label="in an alert")
    axes.legend(loc="upper left", fontsize=7, ncol=2, frameon=False)
    axes.set_title(drawing.title, fontsize=10)
    axes.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


_SCRIPT = """
const data = JSON.parse(document.getElementById('data').textContent);
const svg = document.getElementById('map'), tip = document.getElementById('tip');
const NS = 'http://www.w3.org/2000/svg', W = 1000, H = 700, hidden = new Set();
const xs = data.nodes.map(n => n.x), ys = data.nodes.map(n => n.y);
const sx = v => 40 + (v - Math.min(...xs)) / ((Math.max(...xs) - Math.min(...xs)) || 1) * (W - 80);
const sy = v => 40 + (v - Math.min(...ys)) / ((Math.max(...ys) - Math.min(...ys)) || 1) * (H - 80);
const byId = Object.fromEntries(data.nodes.map(n => [n.id, n]));
const top = Math.max(1, ...data.edges.map(e => e.amount));
function el(name, attrs) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function draw(focus) {
  svg.innerHTML = '';
  const near = new Set();
  if (focus) data.edges.forEach(e => {
    if (e.source === focus || e.target === focus) { near.add(e.source); near.add(e.target); }
  });
  const shown = n => !hidden.has(n.country);
  for (const e of data.edges) {
    const a = byId[e.source], b = byId[e.target];
    if (!shown(a) || !shown(b)) continue;
    const money = e.kind === 'money';
    const line = el('line', {x1: sx(a.x), y1: sy(a.y), x2: sx(b.x), y2: sy(b.y),
      stroke: money ? '#555' : '#aaa', 'stroke-width': money ? 0.5 + 5 * e.amount / top : 1,
      'stroke-dasharray': money ? '' : '4 3',
      opacity: focus && !(near.has(e.source) && near.has(e.target)) ? 0.1 : 0.8});
    line.addEventListener('mousemove', ev => show(ev, e.kind + (money ?
      ': ' + e.amount.toLocaleString() + ' EUR' : '')));
    svg.appendChild(line);
  }
  for (const n of data.nodes) {
    if (!shown(n)) continue;
    const attrs = {fill: n.colour, stroke: n.alerts.length ? '#d62728' : '#fff',
      'stroke-width': n.alerts.length ? 3 : 1, opacity: focus && !near.has(n.id) ? 0.15 : 1};
    const shape = n.kind === 'account'
      ? el('circle', {cx: sx(n.x), cy: sy(n.y), r: 7, ...attrs})
      : el('rect', {x: sx(n.x) - 5, y: sy(n.y) - 5, width: 10, height: 10, ...attrs});
    shape.addEventListener('mousemove', ev => show(ev, n.kind + ' ' + n.id + '\\nsource id: ' +
      n.label + (n.country ? '\\ncountry: ' + n.country : '') +
      (n.alerts.length ? '\\nalerts: ' + n.alerts.join(', ') : '')));
    shape.addEventListener('click', () => draw(focus === n.id ? null : n.id));
    svg.appendChild(shape);
  }
}
function show(ev, text) {
  tip.textContent = text; tip.style.display = 'block';
  tip.style.left = (ev.pageX + 12) + 'px'; tip.style.top = (ev.pageY + 12) + 'px';
}
svg.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
const legend = document.getElementById('legend');
for (const [country, colour] of Object.entries(data.countries)) {
  const item = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox'; box.checked = true;
  box.addEventListener('change', () => {
    box.checked ? hidden.delete(country) : hidden.add(country); draw(null);
  });
  item.append(box, ' ', country); item.style.color = colour; legend.appendChild(item);
}
draw(null);
"""


def to_html(drawing: Drawing, alerts: list[str]) -> str:
    """One self-contained page: inline data and script, no external resources."""
    data = json.dumps(
        {"nodes": drawing.nodes, "edges": drawing.edges, "countries": drawing.countries},
        ensure_ascii=False,
    ).replace("</", "<\\/")
    items = "".join(f"<li>{html.escape(a)}</li>" for a in alerts) or "<li>none</li>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(drawing.title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1em; }}
#map {{ border: 1px solid #ccc; background: #fcfcfc; }}
#legend label {{ margin-right: 1em; font-weight: bold; }}
#tip {{ position: absolute; display: none; white-space: pre; background: #fff;
  border: 1px solid #999; padding: 4px 6px; font-size: 12px; pointer-events: none; }}
</style></head><body>
<h1>{html.escape(drawing.title)}</h1>
<div id="legend"></div>
<svg id="map" width="1000" height="700" viewBox="0 0 1000 700"></svg>
<h2>Alerts</h2><ul>{items}</ul>
<p>Circles: accounts (colour: country; red ring: in an alert). Squares: holders. Solid lines:
money (width: amount). Dashed: holding and shared attributes. Click a node to highlight its
neighbours.</p>
<div id="tip"></div>
<script type="application/json" id="data">{data}</script>
<script>{_SCRIPT}</script>
</body></html>
"""
