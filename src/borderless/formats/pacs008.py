"""Reader for ISO 20022 pacs.008.001.08 (FI to FI customer credit transfer) messages.

Parsed with pyiso20022's generated classes (xsdata), which refuse unknown elements and
attributes. Each ``CdtTrfTxInf`` becomes a transaction from the debtor's account to the
creditor's; debtor and creditor become person or organisation records (an ``OrgId`` makes an
organisation) and hold their accounts. The transaction keeps the end-to-end id (and the UETR,
if any) as its source id; the settlement date (or the message's creation time) is its time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pyiso20022.pacs.pacs_008_001_08 import (  # type: ignore[import-untyped]
    BranchAndFinancialInstitutionIdentification6,
    CashAccount38,
    CreditTransferTransaction39,
    Document,
    PartyIdentification135,
)
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

from borderless.domain.codes import RecordKind
from borderless.errors import FormatError
from borderless.formats.list_common import parse_xml
from borderless.formats.transactions_csv import Account, FlowBuilder, Party, Transfer

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"


def _parse(path: Path) -> Document:
    root = parse_xml(path)  # safe parsing and precise syntax errors first
    namespace = root.nsmap.get(root.prefix)
    if namespace != NAMESPACE:
        raise FormatError(path, "line 1", f"expected a pacs.008.001.08 Document ({NAMESPACE})")
    parser = XmlParser(ParserConfig(fail_on_unknown_properties=True))
    try:
        return parser.from_bytes(path.read_bytes(), Document)
    except (ParserError, ValueError, TypeError) as exc:
        raise FormatError(path, None, f"pacs.008: {exc}") from None


def _account_id(account: CashAccount38 | None, fallback: str) -> tuple[str, str | None]:
    if account is None:
        return fallback, None
    if account.id.iban:
        return account.id.iban, account.id.iban
    if account.id.othr is not None:
        return account.id.othr.id, None
    return fallback, None


def _agent(agent: BranchAndFinancialInstitutionIdentification6 | None) -> tuple[str | None, ...]:
    if agent is None or agent.fin_instn_id is None:
        return None, None
    return agent.fin_instn_id.bicfi, agent.fin_instn_id.nm


def _party(builder: FlowBuilder, where: str, party: PartyIdentification135) -> Party:
    name = party.nm or "?"
    country = party.ctry_of_res or (party.pstl_adr.ctry if party.pstl_adr else None)
    organisation = party.id is not None and party.id.org_id is not None
    kind = RecordKind.ORGANISATION if organisation else RecordKind.PERSON
    key = name
    if party.id is not None and party.id.org_id is not None:
        org = party.id.org_id
        key = org.any_bic or org.lei or (org.othr[0].id if org.othr else name)
    found = Party(f"{kind.value}:{key}", name, kind, country)
    builder.party(where, found)
    return found


def _side(
    builder: FlowBuilder,
    where: str,
    party: PartyIdentification135,
    account: CashAccount38 | None,
    agent: BranchAndFinancialInstitutionIdentification6 | None,
) -> tuple[str, str | None]:
    holder = _party(builder, where, party)
    source_id, iban = _account_id(account, f"{holder.source_id}/unknown-account")
    bic, bank = _agent(agent)
    country = holder.country or (iban[:2] if iban else None) or (bic[4:6] if bic else None)
    builder.fill_account(
        where,
        Account(
            source_id,
            country=country,
            iban=iban,
            bic=bic,
            institution=bank,
            currency=account.ccy if account else None,
            holders=(holder.source_id,),
        ),
    )
    return source_id, country


def _time(tx: CreditTransferTransaction39, created: datetime) -> datetime:
    if tx.intr_bk_sttlm_dt is not None:
        day = tx.intr_bk_sttlm_dt.to_date()
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return created


def read_pacs008(path: Path) -> FlowBuilder:
    """Read every credit transfer of a pacs.008.001.08 message."""
    document = _parse(path)
    transfer_msg = document.fito_ficstmr_cdt_trf
    created = transfer_msg.grp_hdr.cre_dt_tm.to_datetime()
    created = created if created.tzinfo is not None else created.replace(tzinfo=UTC)
    builder = FlowBuilder("pacs008", path)
    for number, tx in enumerate(transfer_msg.cdt_trf_tx_inf, start=1):
        where = f"CdtTrfTxInf {number}"
        src, from_country = _side(builder, where, tx.dbtr, tx.dbtr_acct, tx.dbtr_agt)
        dst, to_country = _side(builder, where, tx.cdtr, tx.cdtr_acct, tx.cdtr_agt)
        reference = None
        if tx.rmt_inf is not None and tx.rmt_inf.ustrd:
            reference = " ".join(tx.rmt_inf.ustrd)[:2000]
        amount = tx.intr_bk_sttlm_amt
        if amount.value <= 0:
            raise builder.error(
                where, f"IntrBkSttlmAmt: must be greater than 0, got {amount.value}"
            )
        builder.transfer(
            where,
            Transfer(
                source_id=tx.pmt_id.uetr or tx.pmt_id.end_to_end_id,
                from_account=src,
                to_account=dst,
                amount=float(amount.value),
                currency=amount.ccy,
                time=_time(tx, created),
                channel="wire",
                from_country=from_country,
                to_country=to_country,
                reference=reference,
            ),
        )
    return builder
