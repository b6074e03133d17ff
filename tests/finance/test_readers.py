"""The five financial readers: what they read, and the precise errors they give."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from borderless.domain.codes import RecordKind
from borderless.errors import FormatError
from borderless.formats.amlsim import amlsim_records, read_amlsim
from borderless.formats.goaml import GOAML_XSD, read_goaml
from borderless.formats.pacs008 import read_pacs008
from borderless.formats.transactions_csv import (
    FlowBuilder,
    read_transactions_csv,
    read_transactions_parquet,
)
from tests.conftest import shared_data

DATA = Path(__file__).parent / "data"
CSV = DATA / "transactions.csv"
GOAML = DATA / "goaml_str.xml"
PACS = DATA / "pacs008.xml"


def _by_kind(builder: FlowBuilder) -> dict[RecordKind, dict[str, object]]:
    found: dict[RecordKind, dict[str, object]] = {}
    for item in builder.drafts():
        found.setdefault(item.draft.kind, {})[str(item.draft.id)] = item.draft
    return found


# --- CSV and Parquet -------------------------------------------------------------------------


def test_csv_reads_parties_accounts_and_transactions_with_source_ids() -> None:
    builder = read_transactions_csv(CSV)
    assert builder.counts() == {"parties": 6, "accounts": 6, "transactions": 6}
    drafts = [d.draft for d in builder.drafts()]
    kinds = [d.kind for d in drafts]
    # parties and accounts come before the transactions that link to them
    assert kinds.index(RecordKind.TRANSACTION) > max(
        i for i, k in enumerate(kinds) if k == RecordKind.ACCOUNT
    )
    t3 = next(d for d in drafts if d.id == "tx:T3")
    assert t3.source is not None
    assert t3.source.source_id == "T3"
    assert t3.body.model_dump()["currency"] == "AED"
    assert t3.body.model_dump()["from_country"] == "ARE"
    account = next(d for d in drafts if d.id == "acct:AE-003")
    assert account.body.model_dump()["holder_ids"] == ["party:Gulf Star Trading FZE"]
    gulf = next(d for d in drafts if d.id == "party:Gulf Star Trading FZE")
    assert gulf.kind == RecordKind.ORGANISATION


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("T9,NL-001,NL-002,-5,EUR,2025-02-01,,,,,,,,", "amount: must be greater than 0"),
        ("T9,NL-001,NL-002,12,EUR,yesterday,,,,,,,,", "time: expected an ISO 8601"),
        ("T9,NL-001,,12,EUR,2025-02-01,,,,,,,,", "missing value(s) for to_account"),
        ("T1,NL-001,NL-002,12,EUR,2025-02-01,,,,,,,,", "duplicate transaction id 'T1'"),
        ("T9,NL-001,NL-002,12,EUR,2025-02-01,,XX,,,,,,", "from_country"),
        ("T9,NL-001,NL-002,12,EUR,2025-02-01,,,,A,robot,,,", "expected person or organisation"),
        ("T9,NL-001,NL-002,12,EUR,2025-02-01", "expected 14 fields"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, line: str, problem: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.read_text() + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_transactions_csv(bad)
    assert caught.value.location == "line 8"
    assert problem in caught.value.problem


def test_csv_header_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("transaction_id,from_account,amount,colour\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"missing column.*to_account"):
        read_transactions_csv(bad)
    bad.write_text(CSV.read_text().replace("reference", "colour"), encoding="utf-8")
    with pytest.raises(FormatError, match=r"unknown column.*colour"):
        read_transactions_csv(bad)


def test_parquet_reads_the_same_as_csv(tmp_path: Path) -> None:
    table = pacsv.read_csv(
        CSV, convert_options=pacsv.ConvertOptions(column_types={"time": pa.string()})
    )
    path = tmp_path / "tx.parquet"
    pq.write_table(table, path)
    from_parquet = read_transactions_parquet(path)
    from_csv = read_transactions_csv(CSV)
    assert from_parquet.counts() == from_csv.counts()
    ids = [d.draft.id for d in from_parquet.drafts()]
    assert ids == [d.draft.id for d in from_csv.drafts()]


def test_parquet_errors_name_the_row(tmp_path: Path) -> None:
    table = pa.table(
        {
            "transaction_id": ["A", "B"],
            "from_account": ["x", "y"],
            "to_account": ["y", "x"],
            "amount": [10.0, 0.0],
            "currency": ["EUR", "EUR"],
            "time": ["2025-01-01", "2025-01-02"],
        }
    )
    path = tmp_path / "tx.parquet"
    pq.write_table(table, path)
    with pytest.raises(FormatError) as caught:
        read_transactions_parquet(path)
    assert caught.value.location == "row 2"
    not_parquet = tmp_path / "x.parquet"
    not_parquet.write_text("hello")
    with pytest.raises(FormatError, match="not a readable Parquet file"):
        read_transactions_parquet(not_parquet)


# --- goAML ----------------------------------------------------------------------------------


def test_goaml_report_becomes_parties_accounts_and_transactions() -> None:
    found = _by_kind(read_goaml(GOAML))
    assert set(found[RecordKind.TRANSACTION]) == {"tx:TX-1001", "tx:TX-1002"}
    account = found[RecordKind.ACCOUNT]["acct:DEMONL2A/0417164300"]
    body = account.body.model_dump()  # type: ignore[attr-defined]
    # the signatory of the first description is kept when the second repeats the account
    assert body["holder_ids"] == ["party:person:NP1234567"]
    assert body["iban"] == "NL91ABNA0417164300"
    walk_in = found[RecordKind.PERSON]["party:person:NL123456782"]
    identifiers = {(i["scheme"], i["value"]) for i in walk_in.body.model_dump()["identifiers"]}  # type: ignore[attr-defined]
    assert ("phone", "+31612345678") in identifiers
    tx = found[RecordKind.TRANSACTION]["tx:TX-1002"].body.model_dump()  # type: ignore[attr-defined]
    assert tx["to_country"] == "ARE"
    assert tx["channel"] == "wire"
    assert "STR" in tx["reference"]
    assert "STRUCTURING" in tx["reference"]


def test_goaml_schema_errors_name_line_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        GOAML.read_text().replace("<amount_local>9500.00</amount_local>", ""), encoding="utf-8"
    )
    with pytest.raises(FormatError) as caught:
        read_goaml(bad)
    assert caught.value.location is not None
    assert caught.value.location.startswith("line ")
    assert "/report/transaction[2]" in caught.value.problem
    assert "amount_local" in caught.value.problem


def test_goaml_not_well_formed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<report><rentity_id>1</report>", encoding="utf-8")
    with pytest.raises(FormatError, match="not well-formed"):
        read_goaml(bad)


def test_goaml_accepts_an_fiu_supplied_xsd(tmp_path: Path) -> None:
    # an FIU that only takes cash transaction reports
    strict = tmp_path / "fiu.xsd"
    strict.write_text(
        GOAML_XSD.replace(
            '<xs:element name="report_code" type="xs:string"/>',
            '<xs:element name="report_code"><xs:simpleType><xs:restriction base="xs:string">'
            '<xs:enumeration value="CTR"/></xs:restriction></xs:simpleType></xs:element>',
        ),
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="report_code"):
        read_goaml(GOAML, strict)
    ctr = tmp_path / "ctr.xml"
    ctr.write_text(GOAML.read_text().replace(">STR<", ">CTR<"), encoding="utf-8")
    assert read_goaml(ctr, strict).counts()["transactions"] == 2
    broken = tmp_path / "broken.xsd"
    broken.write_text("<xs:schema", encoding="utf-8")
    with pytest.raises(FormatError, match="not a usable XSD"):
        read_goaml(GOAML, broken)


# --- pacs.008 -------------------------------------------------------------------------------


def test_pacs008_credit_transfers() -> None:
    found = _by_kind(read_pacs008(PACS))
    txs = found[RecordKind.TRANSACTION]
    assert set(txs) == {"tx:8a562c67-ca16-48ba-b074-65581be6f011", "tx:E2E-0002"}
    big = txs["tx:8a562c67-ca16-48ba-b074-65581be6f011"].body.model_dump()  # type: ignore[attr-defined]
    assert (big["from_country"], big["to_country"]) == ("NLD", "CYP")
    assert big["amount"] == 48250.0
    assert big["reference"] == "Invoice 2025-118 consulting"
    assert "party:organisation:724500VKKSH9QOLTFR81" in found[RecordKind.ORGANISATION]
    assert "party:person:Maria Jansen" in found[RecordKind.PERSON]


def test_pacs008_rejects_unknown_elements_and_other_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        PACS.read_text().replace("<ChrgBr>SLEV", "<Colour>red</Colour><ChrgBr>SLEV"),
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="Colour"):
        read_pacs008(bad)
    other = tmp_path / "other.xml"
    other.write_text(PACS.read_text().replace("pacs.008.001.08", "pacs.008.001.02"))
    with pytest.raises(FormatError, match=r"expected a pacs\.008\.001\.08"):
        read_pacs008(other)


# --- AMLSim (real data) ---------------------------------------------------------------------


def test_amlsim_graph_layout_counts() -> None:
    run = read_amlsim(shared_data() / "aml" / "amlsim_20k_fanin_cycle")
    assert len(run.account_ids) == 20_000
    assert len(run.tx_ids) == 120_558
    # metadata.txt says 1,803 fraud nodes; nodes.csv flags 1,804 (we count the file)
    assert run.label_count == 1_804
    builder = amlsim_records(run, limit=500)
    assert builder.counts()["transactions"] == 500
    first = next(d.draft for d in builder.drafts() if d.draft.kind == RecordKind.TRANSACTION)
    assert first.source is not None
    assert first.source.source_id == "2"


def test_amlsim_export_layout_counts() -> None:
    run = read_amlsim(shared_data() / "aml" / "amlsim_v2_export")
    assert len(run.account_ids) == 100
    assert len(run.tx_ids) == 10_333
    assert 0 < run.label_count < 100
    builder = amlsim_records(run)
    assert builder.counts() == {"parties": 0, "accounts": 100, "transactions": 10_333}


def test_amlsim_errors(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text("nodeid,isFraud,init_balance,fraudStep\n0,0,1,-1\n")
    (tmp_path / "transactions.csv").write_text(
        "sourceNodeId,targetNodeId,value,time\n0,0,5,1\n0,7,5,1\n"
    )
    with pytest.raises(FormatError) as caught:
        read_amlsim(tmp_path)
    assert caught.value.location == "line 3"
    assert "unknown account '7'" in caught.value.problem
    with pytest.raises(FormatError, match=r"expected nodes\.csv"):
        read_amlsim(DATA)
