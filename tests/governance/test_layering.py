"""Records are read only through the gate: no other module may use the raw read functions."""

from __future__ import annotations

import ast
from pathlib import Path

import borderless

RAW_READS = {"select_rows", "iter_rows", "count_rows", "row_to_record", "stored_state"}
# The gate; owner-only change paths (an owner loading its own record to change it); imports
# (comparing an owner's own stored records with the incoming list).
ALLOWED = {"governance/gate.py", "services/records.py", "services/imports.py", "store/records.py"}


def test_only_the_gate_reads_records() -> None:
    root = Path(borderless.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in RAW_READS:
                offenders.append(f"{rel}:{node.lineno} {node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "borderless.store.records":
                offenders += [
                    f"{rel}:{node.lineno} {a.name}" for a in node.names if a.name in RAW_READS
                ]
    assert offenders == []


def test_layering_test_sees_the_gate() -> None:
    gate = Path(borderless.__file__).parent / "governance" / "gate.py"
    assert "select_rows" in gate.read_text()
