"""Which reader handles which import format; the CLI and the API share this table."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from borderless.errors import FormatError
from borderless.formats.dataset import Dataset
from borderless.formats.ftm import iter_ftm
from borderless.formats.ofac import read_ofac_sdn_csv, read_ofac_xml
from borderless.formats.records_jsonl import OwnedDraft, iter_records
from borderless.formats.un_list import read_un_list


class ImportFormat(StrEnum):
    UN_LIST = "un-list"  # UN Security Council Consolidated List XML
    OFAC = "ofac"  # OFAC SDN CSV triple (a folder or sdn.csv) or sdnList XML
    FTM = "ftm"  # FollowTheMoney entity stream (JSON Lines)
    RECORDS = "records"  # Borderless JSON Lines

    @property
    def is_list(self) -> bool:
        """Lists are versioned wholes: re-imports are idempotent and delisted entries go."""
        return self in (ImportFormat.UN_LIST, ImportFormat.OFAC)


def read_list(fmt: ImportFormat, path: Path) -> Dataset:
    if not path.exists():
        raise FormatError(path, None, "no such file or folder")
    if fmt is ImportFormat.UN_LIST:
        return read_un_list(path)
    if path.is_dir():
        return read_ofac_sdn_csv(path)
    if path.suffix.lower() == ".xml":
        return read_ofac_xml(path)
    if path.name.lower() == "sdn.csv":
        return read_ofac_sdn_csv(path.parent)
    raise FormatError(path, None, "expected an sdnList .xml file, or a folder with sdn/alt/add.csv")


def read_stream(fmt: ImportFormat, path: Path) -> Iterator[OwnedDraft]:
    if not path.is_file():
        raise FormatError(path, None, "no such file")
    if fmt is ImportFormat.FTM:
        return iter_ftm(path)
    return iter_records(path)
