"""Imports: real lists counted against the files, idempotent, atomic, delisting on new versions."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from borderless.domain.codes import Purpose, Role
from borderless.errors import Conflict, FormatError
from borderless.formats.records_jsonl import write_records
from borderless.formats.registry import ImportFormat
from borderless.services.directory import operator_for
from borderless.services.imports import import_path
from borderless.services.node import Node
from borderless.store.records import RecordFilter
from borderless.store.schema import records
from tests.conftest import People, shared_data
from tests.helpers import create_person


def _un_file() -> Path:
    return shared_data() / "watchlists" / "un" / "consolidated.xml"


def _kinds(node: Node, owner: str) -> Counter[str]:
    with node.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.kind, func.count())
            .where(records.c.owner == owner)
            .group_by(records.c.kind)
        )
        return Counter({kind: count for kind, count in rows})


def _count(node: Node) -> int:
    with node.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def test_un_list_import_counts_and_idempotence(node: Node, people: People) -> None:
    path = _un_file()
    tree = ET.parse(path)
    individuals = len(tree.findall(".//INDIVIDUAL"))
    entities = len(tree.findall(".//ENTITY"))
    assert (individuals, entities) == (684, 193)

    first = import_path(node, operator_for(node, "HUB"), ImportFormat.UN_LIST, path, "HUB")
    kinds = _kinds(node, "HUB")
    assert kinds["person"] == individuals
    assert kinds["organisation"] == entities
    assert first.inserted == sum(kinds.values())

    again = import_path(node, operator_for(node, "HUB"), ImportFormat.UN_LIST, path, "HUB")
    assert again.skipped
    assert (again.inserted, again.updated, again.removed) == (0, 0, 0)
    assert _kinds(node, "HUB") == kinds

    reader = people["TUR-EGM", Role.OFFICER]
    page = node.gate.list(
        reader, Purpose.COUNTER_TERRORISM, RecordFilter(source_dataset="un-sc", source_id="QDi.001")
    )
    assert page.total == 1
    view = page.items[0]
    assert view.source is not None
    assert view.source.source_id == "QDi.001"
    assert view.id == "HUB:un-sc:QDi.001"
    scripts = {n["script"] for n in view.body["names"]} if view.body else set()
    assert "Arab" in scripts


def test_newer_version_updates_and_delists(node: Node, people: People, tmp_path: Path) -> None:
    operator = operator_for(node, "HUB")
    import_path(node, operator, ImportFormat.UN_LIST, _un_file(), "HUB")
    before = _kinds(node, "HUB")

    tree = ET.parse(_un_file())
    root = tree.getroot()
    root.set("dateGenerated", "2099-01-01T00:00:00Z")
    individuals = root.find("INDIVIDUALS")
    assert individuals is not None
    delisted = individuals.findall("INDIVIDUAL")[0]
    delisted_ref = delisted.findtext("REFERENCE_NUMBER")
    individuals.remove(delisted)
    changed = individuals.findall("INDIVIDUAL")[0]
    first_name = changed.find("FIRST_NAME")
    assert first_name is not None
    first_name.text = "RENAMED"
    newer = tmp_path / "consolidated-newer.xml"
    tree.write(newer, encoding="utf-8", xml_declaration=True)

    with node.engine.connect() as conn:
        prefix = f"HUB:un-sc:{delisted_ref}"
        ids = conn.execute(select(records.c.id).where(records.c.id.startswith(prefix)))
        delisted_ids = set(ids.scalars())  # the person and its documents
    result = import_path(node, operator, ImportFormat.UN_LIST, newer, "HUB")
    assert result.removed == len(delisted_ids) >= 1
    assert _kinds(node, "HUB")["person"] == before["person"] - 1
    assert result.updated >= 1
    assert result.inserted == 0
    owner = people["HUB", Role.ANALYST]
    gone = node.gate.list(owner, Purpose.COUNTER_TERRORISM, RecordFilter(source_id=delisted_ref))
    assert gone.total == 0
    assert sum(_kinds(node, "HUB").values()) == sum(before.values()) - len(delisted_ids)
    renamed = node.gate.search(owner, Purpose.COUNTER_TERRORISM, RecordFilter(text="renamed"))
    assert renamed.total == 1
    assert renamed.items[0].version == 2


def test_truncated_list_commits_nothing(node: Node, people: People, tmp_path: Path) -> None:
    data = _un_file().read_bytes()
    broken = tmp_path / "truncated.xml"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match=r"truncated\.xml.*line"):
        import_path(node, operator_for(node, "HUB"), ImportFormat.UN_LIST, broken, "HUB")
    assert _count(node) == 0


def test_ofac_csv_import(node: Node, people: People) -> None:
    folder = shared_data() / "watchlists" / "ofac_sdn_2021"
    lines = (folder / "sdn.csv").read_text(encoding="latin-1").splitlines()
    rows = sum(1 for line in lines if line.split(",", 1)[0].isdigit())  # the file ends in \x1a
    result = import_path(node, operator_for(node, "HUB"), ImportFormat.OFAC, folder, "HUB")
    kinds = _kinds(node, "HUB")
    assert kinds["person"] + kinds["organisation"] + kinds["vehicle"] == rows == 8890
    assert result.inserted == sum(kinds.values())
    reader = people["DEU-BKA", Role.ANALYST]
    found = node.gate.list(
        reader, Purpose.COUNTER_TERRORISM, RecordFilter(source_dataset="ofac-sdn", source_id="306")
    )
    assert found.total == 1
    names = {n["full"] for n in (found.items[0].body or {})["names"]}
    assert "NATIONAL BANK OF CUBA" in names


def test_records_file_is_atomic(node: Node, people: People, tmp_path: Path) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    create_person(node, analyst, "Existing")
    good = [create_person(node, people["DEU-BKA", Role.ANALYST], f"P{i}") for i in range(3)]
    buffer = io.BytesIO()
    write_records(good, buffer)
    lines = (
        buffer.getvalue().decode().replace('"owner":"DEU-BKA"', '"owner":"NLD-POL"').splitlines()
    )
    # the third line names an id that already belongs to another agency's record
    path = tmp_path / "records.jsonl"
    path.write_text(
        "\n".join(
            [lines[0].replace(good[0].id, "NEW-1"), lines[1].replace(good[1].id, "NEW-2"), lines[2]]
        )
        + "\n"
    )
    before = _count(node)
    with pytest.raises(Conflict, match="belongs to agency DEU-BKA"):
        import_path(node, analyst, ImportFormat.RECORDS, path, None)
    assert _count(node) == before


def test_records_file_round_trip_into_another_node(
    node: Node, people: People, tmp_path: Path
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    made = [create_person(node, analyst, f"Round Trip {i}") for i in range(4)]
    exported = tmp_path / "export.jsonl"
    with exported.open("wb") as out:
        write_records(node.gate.export(analyst, Purpose.DATA_MANAGEMENT, RecordFilter()), out)
    for record in made:
        from borderless.services import records as service

        service.delete(node, analyst, Purpose.DATA_MANAGEMENT, record.id)
    result = import_path(node, analyst, ImportFormat.RECORDS, exported, None)
    assert result.inserted == 4
    again = import_path(node, analyst, ImportFormat.RECORDS, exported, None)
    assert (again.inserted, again.unchanged) == (0, 4)
    page = node.gate.list(analyst, Purpose.IDENTIFY, RecordFilter())
    assert {v.id for v in page.items} == {r.id for r in made}


def _ofac_copy(tmp_path: Path, mangle: str) -> Path:
    """A copy of the OFAC CSV triple with one defect."""
    source = shared_data() / "watchlists" / "ofac_sdn_2021"
    folder = tmp_path / f"ofac-{mangle}"
    folder.mkdir()
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        (folder / name).write_bytes((source / name).read_bytes())
    sdn = folder / "sdn.csv"
    lines = sdn.read_bytes().split(b"\n")
    if mangle == "columns":
        lines[100] = lines[100].rsplit(b",", 3)[0]  # a row with too few columns
    elif mangle == "encoding":
        sdn.write_bytes(sdn.read_text(encoding="latin-1").encode("utf-16"))
        return folder
    elif mangle == "duplicate":
        lines[200] = lines[199]
    sdn.write_bytes(b"\n".join(lines))
    return folder


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        ("columns", r"sdn\.csv.*line 101"),
        ("encoding", r"sdn\.csv.*line 1"),
        ("duplicate", r"sdn\.csv.*line 20[01]"),
    ],
)
def test_bad_csv_commits_nothing(
    node: Node, people: People, tmp_path: Path, mangle: str, expected: str
) -> None:
    folder = _ofac_copy(tmp_path, mangle)
    with pytest.raises(FormatError, match=expected):
        import_path(node, operator_for(node, "HUB"), ImportFormat.OFAC, folder, "HUB")
    assert _count(node) == 0


def test_duplicate_ids_in_records_file_commit_nothing(
    node: Node, people: People, tmp_path: Path
) -> None:
    line = '{"id": "X-1", "kind": "person", "body": {"names": [{"full": "A B"}]}}'
    path = tmp_path / "dupes.jsonl"
    path.write_text("\n".join([line, line.replace("X-1", "X-2"), line]) + "\n")
    with pytest.raises(FormatError, match=r"dupes\.jsonl, line 3: duplicate id 'X-1'"):
        import_path(node, people["NLD-POL", Role.ANALYST], ImportFormat.RECORDS, path, None)
    assert _count(node) == 0
