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


# Modules that query the `records` table itself. The rest reach records through the gate.
RECORDS_TABLE = {
    "store/records.py": "raw storage; the gate and owner-only writers call it",
    "store/search.py": "blocking-key candidates: ids only, content then read through the gate; "
    "namesake counts under the caller's visibility clause",
    "store/travel.py": "screening candidates: ids only, content then read through the gate",
    "store/finance.py": "money-flow columns, always under the caller's visibility clause",
}
# ...and who may call them beyond the gate (store/records.py is covered by the test above).
CALLERS = {"borderless.store.finance": {"services/finance.py"}}


def _modules() -> list[tuple[str, ast.Module]]:
    root = Path(borderless.__file__).parent
    return [(p.relative_to(root).as_posix(), ast.parse(p.read_text())) for p in root.rglob("*.py")]


def _imports(tree: ast.Module, module: str, name: str | None = None) -> bool:
    """Does `tree` import `module` (or `name` from it)?"""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == module for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom):
            if name is None and node.module == module:
                return True
            if node.module == module and any(a.name == name for a in node.names):
                return True
            package, _, last = module.rpartition(".")
            if name is None and node.module == package and any(a.name == last for a in node.names):
                return True
    return False


def test_only_known_modules_query_the_records_table() -> None:
    users = {
        rel for rel, tree in _modules() if _imports(tree, "borderless.store.schema", "records")
    }
    assert "store/records.py" in users  # the test sees what it looks for
    assert users <= set(RECORDS_TABLE)


def test_money_flow_columns_are_read_only_by_the_finance_service() -> None:
    for module, allowed in CALLERS.items():
        importers = {rel for rel, tree in _modules() if _imports(tree, module)}
        assert importers, module
        assert importers <= allowed, module
