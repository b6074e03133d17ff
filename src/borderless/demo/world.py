"""A deterministic synthetic multi-country world with ground truth, for demos, tests and benchmarks.

The world has member countries with police, border, FIU and NCB agencies plus a hub agency;
persons named in many naming cultures and scripts (with the transliteration variants real
agencies produce), their documents, vehicles, firearms, biometric templates, organisations,
bank accounts, a year of transactions with planted laundering schemes, notices and cases.
Some real people appear as several records (duplicates across agencies, list entries, false
identities sharing one face template); ``truth.jsonl`` says which, so that entity resolution,
name search and flow analysis can be measured. ``passengers.jsonl`` holds passenger data:
manifests of flights the world's people take out of their countries (a few per cent of them in
the year, and every holder of a planted drained-before-travel account), each line naming the
border agency of the departure country (its passenger information unit) that receives it.

Generation streams in chunks of persons and writes plain dicts with orjson (no pydantic per
record), so a million persons take minutes and memory stays bounded: only small per-account
arrays (country, currency, owner) live across chunks, because transactions may pay any earlier
account. Every line is what ``RecordDraft.model_dump(mode="json", exclude_none=True)`` gives,
plus the owning agency's code, and refers only to records written before it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import numpy as np
import orjson
import pycountry

from borderless.demo.flows import CHANNEL_NAMES, Flows, Payers, background
from borderless.demo.names import (
    CULTURES,
    FAMILY,
    GIVEN,
    MIDDLE,
    Culture,
    Token,
    compose,
    feminine,
    latin_parts,
    name_dict,
    native_parts,
    other_spellings,
    pick_spellings,
    typo,
    with_surname_tail,
)
from borderless.demo.schemes import (
    OFFSHORE,
    SCHEMES,
    Planted,
)
from borderless.domain.codes import (
    AgencyKind,
    AliasKind,
    DocumentStatus,
    DocumentType,
    FirearmStatus,
    NoticeKind,
    NoticeStatus,
    OrganisationKind,
    Purpose,
    RecordKind,
    VehicleStatus,
)

Governance = dict[str, Any]  # a Governance model as a plain dict
T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn with fixed relative weights (cumulative table + bisect: cheap per draw)."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, table: Iterable[tuple[T, float]]) -> None:
        pairs = list(table)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rnd: random.Random) -> T:
        return self.items[bisect_right(self.cumulative, rnd.random() * self.total)]


def _table(table: Iterable[tuple[T, float]]) -> Weighted[T]:
    return Weighted(table)


CHUNK = 10_000  # persons per chunk: bounds memory, keeps progress responsive
TEMPLATE_DIM = 128
TEMPLATE_NOISE = 0.012  # two captures of one face: cosine ~0.98; two people: ~0 +- 0.09
ALGORITHM = "demo-face-v1"
HUB = "HUB"

A, B, F, N, P, X = (
    AgencyKind.POLICE,
    AgencyKind.BORDER,
    AgencyKind.FIU,
    AgencyKind.NCB,
    AgencyKind.PROSECUTOR,
    AgencyKind.HUB,
)


@dataclass(frozen=True)
class WorldSpec:
    persons: int = 2000
    seed: int = 7
    transactions_per_account: float = 10.0  # background transactions
    surname_tail: Path | None = None  # names/translit: most family names from Wikidata tokens


@dataclass(frozen=True)
class WorldFiles:
    agencies: Path  # agencies.json
    records: Path  # records.jsonl
    truth: Path  # truth.jsonl
    counts: dict[str, int]  # records per kind, plus schemes, identities, name variants, travellers
    passengers: Path | None = None  # passengers.jsonl: {"agency": ..., "manifest": {...}} lines


# --- the countries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member country: its agencies, population mix and national number formats.

    Patterns: ``A`` a letter, ``B`` a consonant, ``9`` a digit, ``X`` a letter or digit,
    ``{a|b}`` one of the listed literals; anything else is literal.
    """

    code: str
    weight: float  # share of persons recorded here
    agencies: tuple[tuple[AgencyKind, str], ...]
    cultures: tuple[tuple[str, float], ...]
    plate: str
    passport: str
    national_id: tuple[str, str]  # scheme, pattern
    registry: tuple[str, str]  # company register, pattern
    legal_forms: tuple[str, ...]
    firearms: float  # firearms per person
    native: tuple[str, float] | None = None  # script its agencies write names in, share


MEMBERS: tuple[Member, ...] = (
    Member(
        "NLD", 8,
        ((A, "Politie Landelijke Eenheid"), (B, "Koninklijke Marechaussee"),
         (F, "FIU-Nederland"), (N, "NCB Den Haag")),
        (("dutch", 70), ("turkish", 8), ("arabic", 7), ("somali", 2), ("anglo", 3),
         ("german", 3), ("slavic", 3), ("chinese", 2), ("persian", 2)),
        "99-AAA-9", "AAXXXXXX9", ("BSN", "999999999"), ("KvK", "99999999"),
        ("B.V.", "Holding B.V.", "V.O.F."), 0.03,
    ),
    Member(
        "DEU", 10,
        ((A, "Bundeskriminalamt"), (B, "Bundespolizei"), (F, "FIU Deutschland"),
         (N, "NCB Wiesbaden")),
        (("german", 70), ("turkish", 12), ("arabic", 5), ("slavic", 6), ("persian", 3),
         ("dutch", 1), ("french", 1), ("chinese", 2)),
        "{B|M|HH|K|F|S|D|L} AA 999", "{C|F|G|H|J|K}XXXXXXXX", ("Steuer-ID", "99999999999"),
        ("HRB", "{HRB} 999999"), ("GmbH", "GmbH & Co. KG", "AG"), 0.08,
    ),
    Member(
        "FRA", 10,
        ((A, "Police nationale"), (B, "Police aux frontières"), (F, "Tracfin"),
         (P, "Parquet national antiterroriste")),
        (("french", 72), ("arabic", 14), ("hispanic", 3), ("chinese", 3), ("turkish", 2),
         ("anglo", 2), ("slavic", 3), ("somali", 1)),
        "AA-999-AA", "99AA99999", ("NIR", "{1|2}99999999999999"), ("SIREN", "999 999 999"),
        ("SARL", "SAS", "SA"), 0.08,
    ),
    Member(
        "ESP", 8,
        ((A, "Policía Nacional"), (B, "Guardia Civil"), (F, "SEPBLAC")),
        (("hispanic", 82), ("arabic", 7), ("french", 3), ("chinese", 2), ("anglo", 3),
         ("slavic", 3)),
        "9999 BBB", "{PA|PB|AA}A999999", ("DNI", "99999999A"), ("CIF", "B99999999"),
        ("S.L.", "S.A."), 0.06,
    ),
    Member(
        "TUR", 9,
        ((A, "Emniyet Genel Müdürlüğü"), (B, "Gümrük Muhafaza"), (F, "MASAK"),
         (N, "NCB Ankara")),
        (("turkish", 85), ("arabic", 8), ("persian", 4), ("slavic", 3)),
        "{34|06|35|27|16|01} AA 999", "U99999999", ("TC Kimlik No", "99999999999"),
        ("MERSIS", "9999999999999999"), ("Ltd. Şti.", "A.Ş."), 0.10,
    ),
    Member(
        "JOR", 5,
        ((A, "Public Security Directorate"), (B, "Borders and Residence Department"),
         (F, "Anti-Money Laundering Unit")),
        (("arabic", 92), ("urdu", 4), ("anglo", 4)),
        "{10|12|13|15|20|22}-99999", "{N|P}999999", ("National Number", "9999999999"),
        ("CCD", "99999"), ("LLC", "Co."), 0.10, ("Arab", 0.55),
    ),
    Member(
        "PAK", 8,
        ((A, "Federal Investigation Agency"), (B, "Pakistan Customs"),
         (F, "Financial Monitoring Unit"), (N, "NCB Islamabad")),
        (("urdu", 90), ("persian", 4), ("arabic", 3), ("chinese", 3)),
        "{LEA|LEB|ICT|BKA|KHI}-9999", "{AB|AC|BM|CK}9999999", ("CNIC", "99999-9999999-9"),
        ("SECP", "9999999"), ("(Pvt.) Ltd.", "Traders"), 0.15, ("Arab", 0.25),
    ),
    Member(
        "IND", 10,
        ((A, "Central Bureau of Investigation"), (B, "Bureau of Immigration"),
         (F, "FIU-IND")),
        (("hindi", 88), ("urdu", 7), ("anglo", 3), ("chinese", 2)),
        "{MH|DL|KA|UP|TN|GJ} 99 AA 9999", "{J|K|L|M|N|P|R|S|T|U|V|Z}9999999",
        ("Aadhaar", "9999 9999 9999"), ("CIN", "U99999MH9999PTC999999"),
        ("Pvt. Ltd.", "Exports"), 0.03, ("Deva", 0.25),
    ),
    Member(
        "KEN", 6,
        ((A, "National Police Service"), (B, "Department of Immigration"),
         (F, "Financial Reporting Centre")),
        (("kenyan", 70), ("somali", 15), ("amharic", 10), ("hindi", 3), ("anglo", 2)),
        "K{C|D}{A|B|C|D|E|F|G} 999A", "{AK|BK|A}9999999", ("National ID", "99999999"),
        ("BRS", "PVT-XXXXXXX"), ("Ltd", "Enterprises"), 0.05,
    ),
    Member(
        "COL", 6,
        ((A, "Policía Nacional de Colombia"), (B, "Migración Colombia"), (F, "UIAF"),
         (P, "Fiscalía General de la Nación")),
        (("hispanic", 93), ("anglo", 4), ("arabic", 3)),
        "AAA999", "{PE|AO}999999", ("Cédula", "9999999999"), ("NIT", "999999999-9"),
        ("S.A.S.", "Ltda."), 0.08,
    ),
    Member(
        "USA", 10,
        ((A, "Federal Bureau of Investigation"), (B, "Customs and Border Protection"),
         (F, "FinCEN"), (N, "INTERPOL Washington")),
        (("anglo", 56), ("hispanic", 22), ("chinese", 5), ("hindi", 4), ("arabic", 3),
         ("slavic", 3), ("somali", 2), ("persian", 2), ("amharic", 2), ("german", 1)),
        "9AAA999", "{5|6}99999999", ("SSN", "999-99-9999"),
        ("EIN", "99-9999999"), ("LLC", "Inc.", "Corp."), 0.45,
    ),
    Member(
        "UKR", 6,
        ((A, "National Police of Ukraine"), (B, "State Border Guard Service"),
         (F, "State Financial Monitoring Service"), (N, "NCB Kyiv")),
        (("slavic", 93), ("turkish", 2), ("arabic", 2), ("chinese", 3)),
        "{AA|KA|AI|BC|AX|BH}9999AA", "{FA|FB|FE|FK}999999", ("RNOKPP", "9999999999"),
        ("EDRPOU", "99999999"), ("TOV", "PP"), 0.10, ("Cyrl", 0.6),
    ),
    Member(
        "CHN", 8,
        ((A, "Ministry of Public Security"), (B, "National Immigration Administration"),
         (F, "China Anti-Money Laundering Monitoring and Analysis Center")),
        (("chinese", 95), ("anglo", 2), ("slavic", 3)),
        "{京|沪|粤|浙|苏}A·XXXXX", "{E9|EA|EB|EC|ED}9999999",
        ("Resident ID", "999999999999999999"), ("USCC", "91XXXXXXXXXXXXXXXX"),
        ("Co., Ltd.", "Trading Co., Ltd."), 0.01, ("Hani", 0.7),
    ),
)  # fmt: skip

MEMBER_BY_CODE = {m.code: m for m in MEMBERS}
# Where the world's people fly from and to (IATA codes), per country.
AIRPORTS = {
    "NLD": "AMS", "DEU": "FRA", "FRA": "CDG", "ESP": "MAD", "TUR": "IST", "JOR": "AMM",
    "PAK": "KHI", "IND": "DEL", "KEN": "NBO", "COL": "BOG", "USA": "JFK", "UKR": "KBP",
    "CHN": "PEK", "ARE": "DXB", "CYP": "LCA", "MLT": "MLA", "LVA": "RIX", "GBR": "LHR",
    "HKG": "HKG",
}  # fmt: skip
TRAVEL_SHARE = 0.04  # persons of the world who fly out once in the year
TRAVEL_DOCUMENTS = {DocumentType.PASSPORT: "P", DocumentType.ID_CARD: "I"}
SUFFIX = {A: "POL", B: "BORDER", F: "FIU", N: "NCB", P: "PROS"}

# Passport formats of countries that are not members (birth countries, dual nationals).
OTHER_PASSPORTS = {
    "IRN": "{A|K|P}99999999",
    "IRQ": "{A|B|G}9999999",
    "SYR": "N99999999",
    "SOM": "P00999999",
    "ETH": "EP9999999",
    "AFG": "P99999999",
    "EGY": "A99999999",
    "MAR": "{UZ|WA|ZA}9999999",
    "RUS": "{71|72|75|76}9999999",
    "GBR": "999999999",
    "MEX": "G99999999",
    "BEL": "AA999999",
}

CITIES: dict[str, tuple[str, ...]] = {
    "ARE": ("Dubai", "Sharjah"),
    "CYP": ("Limassol", "Nicosia"),
    "MLT": ("Valletta", "Sliema"),
    "LVA": ("Riga",),
    "HKG": ("Hong Kong",),
    "YEM": ("Sanaa", "Aden"),
}
for _culture in CULTURES.values():
    for _country, _cities in _culture.origins:
        CITIES[_country] = tuple(dict.fromkeys(CITIES.get(_country, ()) + _cities))


@dataclass(frozen=True)
class Banking:
    """How a country numbers accounts: IBAN (bank code + rest pattern) or a plain number."""

    currency: str
    per_eur: float  # units of the currency per euro
    banks: tuple[tuple[str, str, str], ...]  # name, BIC prefix, national bank code
    iban_rest: str | None = None
    number: str = "9999999999"


BANKING: dict[str, Banking] = {
    "NLD": Banking(
        "EUR",
        1.0,
        (("Noordzee Bank", "NZBK", "NZBK"), ("Polder Spaarbank", "PLSB", "PLSB")),
        "9999999999",
    ),
    "DEU": Banking(
        "EUR",
        1.0,
        (
            ("Rheinische Handelsbank", "RHHB", "37040044"),
            ("Sparkasse Nordheide", "SPNH", "24151005"),
        ),
        "9999999999",
    ),
    "FRA": Banking(
        "EUR",
        1.0,
        (("Banque du Rhône", "BDRH", "30004"), ("Crédit Maritime de Bretagne", "CMBR", "15589")),
        "999999999999999999",
    ),
    "ESP": Banking(
        "EUR",
        1.0,
        (("Banco del Tajo", "BDTJ", "2100"), ("Caja de Ahorros del Ebro", "CAEB", "2085")),
        "9999999999999999",
    ),
    "TUR": Banking(
        "TRY",
        37.0,
        (("Boğaziçi Bankası", "BGZB", "00061"), ("Ege Ticaret Bankası", "EGTB", "00111")),
        "09999999999999999",
    ),
    "JOR": Banking(
        "JOD",
        0.77,
        (("Bank of Petra", "BKPT", "BKPT"), ("Jordan Valley Bank", "JVBK", "JVBK")),
        "9999999999999999999999",
    ),
    "PAK": Banking(
        "PKR",
        300.0,
        (("Indus Commercial Bank", "INCB", "INCB"), ("Karakoram Bank", "KRKB", "KRKB")),
        "9999999999999999",
    ),
    "UKR": Banking(
        "UAH",
        45.0,
        (("Dnipro Bank", "DNPB", "305299"), ("Kyiv Commercial Bank", "KYCB", "322001")),
        "9999999999999999999",
    ),
    "IND": Banking(
        "INR",
        92.0,
        (("Ganga Bank", "GNGB", ""), ("Deccan Cooperative Bank", "DCCB", "")),
        number="99999999999999",
    ),
    "KEN": Banking(
        "KES",
        140.0,
        (("Rift Valley Bank", "RVBK", ""), ("Mombasa Commercial Bank", "MMCB", "")),
        number="9999999999999",
    ),
    "COL": Banking(
        "COP",
        4500.0,
        (("Banco Andino", "BAND", ""), ("Banco del Magdalena", "BMAG", "")),
        number="99999999999",
    ),
    "USA": Banking(
        "USD",
        1.08,
        (("First Lakes National Bank", "FLNB", ""), ("Pacific Coast Savings", "PCSV", "")),
        number="999999999999",
    ),
    "CHN": Banking(
        "CNY",
        7.8,
        (("Yangtze Commercial Bank", "YZCB", ""), ("Pearl River Bank", "PRRB", "")),
        number="6222999999999999999",
    ),
    "ARE": Banking("AED", 3.97, (("Gulf Crescent Bank", "GCBK", "033"),), "9999999999999999"),
    "CYP": Banking("EUR", 1.0, (("Limassol Trust Bank", "LMTB", "002"),), "999999999999999999999"),
    "MLT": Banking(
        "EUR", 1.0, (("Valletta Merchant Bank", "VLMB", "VLMB"),), "99999999999999999999999"
    ),
    "LVA": Banking("EUR", 1.0, (("Baltic Amber Bank", "BLAB", "BLAB"),), "9999999999999"),
    "GBR": Banking("GBP", 0.84, (("Thames Merchant Bank", "THMB", "THMB"),), "99999999999999"),
    "HKG": Banking("HKD", 8.4, (("Victoria Harbour Bank", "VHBK", ""),), number="999999999999"),
    "IRQ": Banking("IQD", 1410.0, (("Tigris Commercial Bank", "TGCB", "TGCB"),), "999999999999999"),
    "SYR": Banking("USD", 1.08, (("Levant Exchange Bank", "LVEB", ""),), number="9999999999999"),
    "SOM": Banking("USD", 1.08, (("Horn of Africa Bank", "HOAB", ""),), number="9999999999"),
    "AFG": Banking("USD", 1.08, (("Hindu Kush Bank", "HKBK", ""),), number="9999999999999"),
    "YEM": Banking("USD", 1.08, (("Aden Commercial Bank", "ADCB", ""),), number="99999999999"),
}

ACCOUNT_COUNTRIES = tuple(BANKING)
COUNTRY_INDEX = {c: i for i, c in enumerate(ACCOUNT_COUNTRIES)}
CURRENCIES = tuple(dict.fromkeys(b.currency for b in BANKING.values()))
PER_EUR = np.array(
    [next(b.per_eur for b in BANKING.values() if b.currency == c) for c in CURRENCIES]
)

VEHICLES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Volkswagen", "WVW", "car", ("Golf", "Passat", "Polo", "Tiguan")),
    ("BMW", "WBA", "car", ("320d", "520d", "X5")),
    ("Mercedes-Benz", "WDD", "car", ("C 200", "E 220", "GLC 300")),
    ("Mercedes-Benz", "WDB", "van", ("Sprinter", "Vito")),
    ("Renault", "VF1", "car", ("Clio", "Mégane", "Kangoo")),
    ("Peugeot", "VF3", "car", ("208", "308", "3008")),
    ("SEAT", "VSS", "car", ("Ibiza", "León")),
    ("Fiat", "NM4", "car", ("Doblò", "Egea")),
    ("Toyota", "JTD", "car", ("Corolla", "Yaris", "RAV4")),
    ("Toyota", "JTE", "car", ("Land Cruiser", "Hilux")),
    ("Hyundai", "KMH", "car", ("Tucson", "Elantra", "i30")),
    ("Kia", "KNA", "car", ("Sportage", "Rio", "Ceed")),
    ("Ford", "1FT", "truck", ("F-150", "F-250")),
    ("Ford", "WF0", "van", ("Transit",)),
    ("Honda", "JHM", "car", ("Civic", "Accord", "CR-V")),
    ("Suzuki", "MA3", "car", ("Swift", "Alto", "Baleno")),
    ("Chevrolet", "1G1", "car", ("Malibu", "Spark")),
    ("BYD", "LGX", "car", ("Han", "Atto 3", "Tang")),
    ("Lada", "XTA", "car", ("Granta", "Vesta", "Niva")),
    ("Yamaha", "JYA", "motorcycle", ("MT-07", "YZF-R1", "Ténéré 700")),
    ("Honda", "JH2", "motorcycle", ("CB500F", "CBR600RR", "Africa Twin")),
    ("Scania", "YS2", "truck", ("R 450", "S 500")),
    ("Volvo", "YV2", "truck", ("FH16", "FM 460")),
)
COLOURS = ("black", "white", "silver", "grey", "blue", "red", "green", "beige", "brown")

FIREARMS: tuple[tuple[str, tuple[str, ...], str, str, str], ...] = (
    ("Glock", ("17", "19", "26"), "9×19mm", "pistol", "AAA999"),
    ("Beretta", ("92FS", "APX"), "9×19mm", "pistol", "{BER|PX}99999Z"),
    ("SIG Sauer", ("P226", "P320"), "9×19mm", "pistol", "{U|EAA|58A}999999"),
    ("Heckler & Koch", ("MP5",), "9×19mm", "submachine gun", "99-999999"),
    ("Smith & Wesson", ("Model 686",), ".357 Magnum", "revolver", "AAA9999"),
    ("Colt", ("M1911A1",), ".45 ACP", "pistol", "9999999"),
    ("Kalashnikov", ("AKM", "AK-74"), "7.62×39mm", "rifle", "AA 9999"),
    ("Zastava", ("M70",), "7.62×39mm", "rifle", "999999"),
    ("CZ", ("75 B", "P-10 C"), "9×19mm", "pistol", "A999999"),
    ("Walther", ("P99", "PPK"), "9×19mm", "pistol", "AA999999"),
    ("Makarov", ("PM",), "9×18mm", "pistol", "AA 999"),
    ("Remington", ("870",), "12 gauge", "shotgun", "AB999999M"),
    ("Norinco", ("Type 54",), "7.62×25mm", "pistol", "99999999"),
)

NOTICE_ACTIONS: dict[NoticeKind, str] = {
    NoticeKind.RED: "Locate and provisionally arrest with a view to extradition; inform the NCB.",
    NoticeKind.YELLOW: "Locate the missing person; inform the requesting NCB.",
    NoticeKind.BLUE: "Obtain information on identity, location and activities; inform the NCB.",
    NoticeKind.GREEN: "Warning: possible threat to public safety; report any contacts.",
    NoticeKind.ORANGE: "Imminent threat: report any sighting immediately.",
    NoticeKind.UNSC: "Apply UN Security Council sanctions: asset freeze, travel ban, arms embargo.",
}
NOTICE_KINDS = _table(
    (
        (NoticeKind.RED, 40),
        (NoticeKind.BLUE, 25),
        (NoticeKind.GREEN, 15),
        (NoticeKind.YELLOW, 15),
        (NoticeKind.ORANGE, 3),
    )
)
NOTICE_STATUS = _table(
    (
        (NoticeStatus.PUBLISHED, 80),
        (NoticeStatus.IN_REVIEW, 8),
        (NoticeStatus.SUBMITTED, 5),
        (NoticeStatus.DRAFT, 5),
        (NoticeStatus.CANCELLED, 2),
    )
)
OFFENCES = (
    "drug trafficking",
    "money laundering",
    "terrorist financing",
    "murder",
    "armed robbery",
    "trafficking in human beings",
    "migrant smuggling",
    "fraud",
    "cybercrime",
    "illicit trafficking in firearms",
    "participation in a terrorist group",
)

BUSINESS = (
    "Trading",
    "Logistics",
    "Import Export",
    "Holdings",
    "Consulting",
    "Construction",
    "Textiles",
    "Auto Parts",
    "Electronics",
    "Foods",
    "Real Estate",
    "Shipping",
    "Travel",
)
BRANDS = (
    "Atlas",
    "Orion",
    "Golden Crescent",
    "Silk Road",
    "Blue Nile",
    "Meridian",
    "Horizon",
    "Phoenix",
    "Delta",
    "Nova",
    "Zenith",
    "Cedar",
    "Evergreen",
    "Baltic Star",
)
CHARITY = (
    (
        "Al-Rahma",
        "Al-Noor",
        "Hope",
        "Mercy",
        "Bright Future",
        "Helping Hands",
        "Green Crescent",
        "Light of Life",
        "Bridge of Peace",
        "Sunrise",
    ),
    (
        "Relief Foundation",
        "Humanitarian Aid",
        "Charitable Trust",
        "Orphan Support",
        "Development Association",
        "Welfare Society",
    ),
)
OFFSHORE_FORMS = {
    "ARE": "FZE",
    "CYP": "Ltd",
    "MLT": "Ltd",
    "LVA": "SIA",
    "HKG": "Limited",
    "GBR": "Ltd",
}

H3_NOTES = (
    "Do not contact the subject.",
    "Source protection: do not disclose the origin of this information.",
    "Use only for the named investigation; consult the owner before any action.",
    "Not to be passed to immigration authorities without the owner's consent.",
)
PURPOSES_BY_KIND: dict[str, tuple[Purpose, ...]] = {
    "person": (
        Purpose.LOCATE_WANTED_PERSON,
        Purpose.IDENTIFY,
        Purpose.CRIMINAL_INVESTIGATION,
        Purpose.COUNTER_TERRORISM,
        Purpose.BORDER_CONTROL,
    ),
    "money": (
        Purpose.FINANCIAL_INVESTIGATION,
        Purpose.CRIMINAL_INVESTIGATION,
        Purpose.COUNTER_TERRORISM,
    ),
    "object": (Purpose.IDENTIFY, Purpose.CRIMINAL_INVESTIGATION, Purpose.BORDER_CONTROL),
}
# kind -> (purpose family, share 'listed', share 'hit_only')
GOVERNANCE_PROFILE: dict[RecordKind, tuple[str, float, float]] = {
    RecordKind.PERSON: ("person", 0.12, 0.08),
    RecordKind.DOCUMENT: ("object", 0.08, 0.04),
    RecordKind.VEHICLE: ("object", 0.06, 0.04),
    RecordKind.FIREARM: ("object", 0.08, 0.06),
    RecordKind.BIOMETRIC: ("person", 0.12, 0.25),
    RecordKind.ORGANISATION: ("money", 0.12, 0.15),
    RecordKind.ACCOUNT: ("money", 0.15, 0.30),
    RecordKind.TRANSACTION: ("money", 0.15, 0.30),
    RecordKind.NOTICE: ("person", 0.10, 0.0),
    RecordKind.CASE: ("money", 0.30, 0.20),
}
# record kind -> agency kinds of the recording country that own it, with weights
OWNERS: dict[RecordKind, tuple[tuple[AgencyKind, float], ...]] = {
    RecordKind.PERSON: ((A, 0.6), (B, 0.3), (N, 0.1)),
    RecordKind.DOCUMENT: ((B, 0.7), (A, 0.3)),
    RecordKind.BIOMETRIC: ((B, 0.5), (A, 0.5)),
    RecordKind.VEHICLE: ((A, 1.0),),
    RecordKind.FIREARM: ((A, 1.0),),
    RecordKind.ORGANISATION: ((F, 0.6), (A, 0.4)),
    RecordKind.ACCOUNT: ((F, 1.0),),
    RecordKind.TRANSACTION: ((F, 1.0),),
    RecordKind.NOTICE: ((N, 1.0),),
    RecordKind.CASE: ((F, 0.5), (A, 0.3), (P, 0.2)),
}
PREFIX = {
    RecordKind.PERSON: "P",
    RecordKind.DOCUMENT: "D",
    RecordKind.VEHICLE: "V",
    RecordKind.FIREARM: "F",
    RecordKind.BIOMETRIC: "B",
    RecordKind.ORGANISATION: "O",
    RecordKind.ACCOUNT: "A",
    RecordKind.TRANSACTION: "T",
    RecordKind.NOTICE: "N",
    RecordKind.CASE: "C",
}

# alias operation -> weight; how a second name of the same person is typically written
ALIAS_OPS: tuple[tuple[str, float], ...] = (
    ("translit", 3.0),
    ("native", 2.0),
    ("reorder", 1.5),
    ("drop_middle", 1.0),
    ("initial", 1.0),
    ("typo", 1.0),
    ("maiden", 0.7),
)
ALIAS_COUNTS = _table(enumerate((0.45, 0.30, 0.17, 0.08)))
NATIVE_AKA = 0.15  # share of Latin-primary records that also keep the original-script name
SCHEME_EVERY = 250  # persons per planted scheme
# How a real person is recorded: once, or also as false identities, by another agency, on a list.
RECORDINGS = _table(
    (
        (("main",), 94.7),
        (("main", "false"), 1.5),
        (("main", "false", "false"), 0.5),
        (("main", "duplicate"), 3.0),
        (("main", "list"), 0.3),
    )
)
ALIAS_OPS_FEMALE = _table(ALIAS_OPS)
ALIAS_OPS_MALE = _table((op, w) for op, w in ALIAS_OPS if op != "maiden")
HANDLING = _table((("H0", 60), ("H1", 22), ("H2", 15), ("H3", 3)))
RELIABILITY = _table((("A", 25), ("B", 45), ("C", 10), ("X", 20)))
ACCURACY = _table((("1", 20), ("2", 40), ("3", 25), ("4", 15)))
DOCUMENT_TYPES = _table(
    (
        (DocumentType.PASSPORT, 60),
        (DocumentType.ID_CARD, 30),
        (DocumentType.RESIDENCE_PERMIT, 5),
        (DocumentType.DRIVING_LICENCE, 5),
    )
)
DOCUMENTS_PER_PERSON = _table(((0, 7), (1, 85), (2, 8)))
DOCUMENT_STATUS = _table(
    (
        (DocumentStatus.VALID, 96.5),
        (DocumentStatus.STOLEN, 1.5),
        (DocumentStatus.LOST, 1.3),
        (DocumentStatus.REVOKED, 0.7),
    )
)
VEHICLE_STATUS = _table(
    (
        (VehicleStatus.REGISTERED, 97),
        (VehicleStatus.STOLEN, 2),
        (VehicleStatus.WANTED, 0.5),
        (VehicleStatus.RECOVERED, 0.5),
    )
)
FIREARM_STATUS = _table(
    (
        (FirearmStatus.REGISTERED, 90),
        (FirearmStatus.LOST, 3),
        (FirearmStatus.STOLEN, 3),
        (FirearmStatus.TRAFFICKED, 2),
        (FirearmStatus.SEIZED, 2),
    )
)
HOLDER_KINDS = {  # how schemes ask for account holders
    OrganisationKind.COMPANY: "company",
    OrganisationKind.CHARITY: "charity",
    OrganisationKind.FRONT_COMPANY: "front",
}
ORGANISATION_KINDS = _table(
    (
        (OrganisationKind.COMPANY, 70),
        (OrganisationKind.CHARITY, 12),
        (OrganisationKind.FRONT_COMPANY, 18),
    )
)


# --- small generators ------------------------------------------------------------------------

_CLASSES = {
    "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "B": "BCDFGHJKLMNPRSTVWXYZ",
    "9": "0123456789",
    "X": "ABCDEFGHJKLMNPRSTUVWXYZ0123456789",
}


@lru_cache(maxsize=512)
def _compile(pattern: str) -> tuple[tuple[str, ...] | str, ...]:
    """A pattern as one option set (or literal) per position; see `Member`."""
    out: list[tuple[str, ...] | str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "{":
            end = pattern.index("}", i)
            choices = pattern[i + 1 : end].split("|")
            out.append(tuple(choices))
            i = end + 1
            continue
        cls = _CLASSES.get(char)
        out.append(tuple(cls) if cls else char)
        i += 1
    return tuple(out)


def fill(pattern: str, rnd: random.Random) -> str:
    """A random string in the shape of `pattern`."""
    parts: list[str] = []
    for slot in _compile(pattern):
        if isinstance(slot, str):
            parts.append(slot)
        else:
            parts.append(slot[int(rnd.random() * len(slot))])
    return "".join(parts)


def iban(country_alpha2: str, bban: str) -> str:
    """An IBAN with ISO 13616 mod-97 check digits."""
    digits = "".join(str(int(c, 36)) for c in bban + country_alpha2 + "00")
    return f"{country_alpha2}{98 - int(digits) % 97:02d}{bban}"


def iban_valid(value: str) -> bool:
    moved = value[4:] + value[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


_VIN_VALUES = {c: (i % 9) + 1 for i, c in enumerate("ABCDEFGH")} | {
    **{c: i + 1 for i, c in enumerate("JKLMN")},
    "P": 7,
    "R": 9,
    **{c: i + 2 for i, c in enumerate("STUVWXYZ")},
    **{str(d): d for d in range(10)},
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY"  # 2010 ...


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 / North-American check digit (position 9) of a 17-character VIN."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def make_vin(wmi: str, year: int, rnd: random.Random) -> str:
    year_code = _VIN_YEARS[(year - 2010) % len(_VIN_YEARS)] if year >= 2010 else str(year % 10)
    body = wmi + fill("XXXXX", rnd) + "0" + year_code + fill("X999999", rnd)
    return body[:8] + vin_check_digit(body) + body[9:]


@lru_cache(maxsize=64)
def alpha2(alpha3: str) -> str:
    found = pycountry.countries.get(alpha_3=alpha3)
    return str(found.alpha_2) if found is not None else alpha3[:2]


def _rid(kind: RecordKind, n: int) -> str:
    return f"{PREFIX[kind]}{n:07d}"


# --- the world being written ---------------------------------------------------------------------


@dataclass(slots=True)
class _Subject:
    """One real person, who may be recorded several times."""

    culture: Culture
    female: bool
    tokens: list[Token]
    birth: dt.date
    birthplace: tuple[str, str]
    nationalities: list[str]
    home: Member
    template: np.ndarray[Any, np.dtype[np.float64]] | None = None


@dataclass(slots=True)
class _Person:
    """One person record as it will be written."""

    subject: _Subject
    role: str  # main, duplicate, false, list
    country: Member | None  # recording country (None for the hub)
    owner: str
    body: dict[str, Any]
    primary: str  # Latin full name, as printed on documents
    biometric: bool
    id: str = ""


@dataclass(slots=True)
class _Account:
    country: str
    holders: list[str]
    owner: str


class _World:
    """Global state across chunks: id counters, agencies, governance pools, account arrays."""

    def __init__(
        self, spec: WorldSpec, records: IO[bytes], truth: IO[bytes], passengers: IO[bytes]
    ) -> None:
        self.spec = spec
        self.records = records
        self.truth = truth
        self.passengers = passengers
        self.flight_numbers: dict[tuple[str, str], str] = {}
        self.counts: Counter[str] = Counter()
        self.next_id: Counter[str] = Counter()
        self.agencies = self._agencies()
        self.agency_codes = {a["code"]: i for i, a in enumerate(self.agencies)}
        rnd = random.Random(spec.seed)
        self.governance = {kind: self._governance_pool(kind, rnd) for kind in RecordKind}
        self.hub_governance: dict[str, Any] = {
            "handling": "H0",
            "reliability": "A",
            "accuracy": "2",
            "dissemination": "all",
            "share_countries": [],
            "share_agencies": [],
            "purposes": [],
        }
        self.acc_country = array("h")
        self.acc_currency = array("h")
        self.acc_owner = array("h")
        self.by_country: list[np.ndarray[Any, np.dtype[np.int64]]] = [
            np.empty(0, np.int64) for _ in ACCOUNT_COUNTRIES
        ]
        self.total_schemes = max(len(SCHEMES), round(spec.persons / SCHEME_EVERY))
        self.member_weights = Weighted((m, m.weight) for m in MEMBERS)
        cultures = CULTURES
        if spec.surname_tail is not None:
            cultures = with_surname_tail(CULTURES, spec.surname_tail)
        self.culture_tables = {
            m.code: Weighted((cultures[c], w) for c, w in m.cultures) for m in MEMBERS
        }
        self.owners: dict[tuple[RecordKind, str], Weighted[str]] = {}

    # -- set-up --

    @staticmethod
    def _agencies() -> list[dict[str, str]]:
        found = [{"code": HUB, "name": "Cooperation hub (Lyon)", "country": "FRA", "kind": X.value}]
        for member in MEMBERS:
            for kind, name in member.agencies:
                code = f"{member.code}-{SUFFIX[kind]}"
                found.append({"code": code, "name": name, "country": member.code, "kind": kind})
        return found

    def owner(self, kind: RecordKind, country: Member, rnd: random.Random) -> str:
        """The code of the agency of `country` that holds a record of `kind`."""
        table = self.owners.get((kind, country.code))
        if table is None:
            present = {k for k, _ in country.agencies}
            found = [(k, w) for k, w in OWNERS[kind] if k in present] or [(A, 1.0)]
            table = Weighted((f"{country.code}-{SUFFIX[k]}", w) for k, w in found)
            self.owners[kind, country.code] = table
        return table.pick(rnd)

    def _governance_pool(self, kind: RecordKind, rnd: random.Random) -> list[dict[str, Any]]:
        """A few hundred governance settings to draw from: varied, and cheap to serialise."""
        family, listed, hit_only = GOVERNANCE_PROFILE[kind]
        members = [m.code for m in MEMBERS]
        pool: list[dict[str, Any]] = []
        for _ in range(256):
            handling = HANDLING.pick(rnd)
            r = rnd.random()
            dissemination = (
                "listed" if r < listed else "hit_only" if r < listed + hit_only else "all"
            )
            gov: dict[str, Any] = {"handling": handling}
            if handling == "H3":
                gov["handling_note"] = rnd.choice(H3_NOTES)
            gov["reliability"] = RELIABILITY.pick(rnd)
            gov["accuracy"] = ACCURACY.pick(rnd)
            gov["dissemination"] = dissemination
            gov["share_countries"] = (
                sorted(rnd.sample(members, rnd.randint(1, 4))) if dissemination == "listed" else []
            )
            gov["share_agencies"] = []
            purposes = PURPOSES_BY_KIND[family]
            gov["purposes"] = (
                [p.value for p in rnd.sample(purposes, rnd.randint(1, 2))]
                if rnd.random() < 0.15
                else []
            )
            pool.append(gov)
        return pool

    # -- writing --

    def new_id(self, kind: RecordKind) -> str:
        self.next_id[kind] += 1
        return _rid(kind, self.next_id[kind])

    def gov(self, kind: RecordKind, rnd: random.Random) -> dict[str, Any]:
        pool = self.governance[kind]
        return pool[int(rnd.random() * len(pool))]

    def put(
        self, owner: str, rid: str, kind: RecordKind, gov: Governance, body: dict[str, Any]
    ) -> None:
        """Write one record line at once (lines are never collected: orjson's bytes are big)."""
        record = {"owner": owner, "id": rid, "kind": kind.value, "governance": gov, "body": body}
        self.records.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self.counts[kind.value] += 1

    def fact(self, fact: dict[str, Any]) -> None:
        self.truth.write(orjson.dumps(fact, option=orjson.OPT_APPEND_NEWLINE))
        self.counts["truth_" + str(fact["type"])] += 1

    # -- accounts shared across chunks --

    def add_accounts(self, accounts: Sequence[_Account]) -> int:
        """Register the chunk's accounts; returns the global index of the first."""
        first = len(self.acc_country)
        for acc in accounts:
            self.acc_country.append(COUNTRY_INDEX[acc.country])
            self.acc_currency.append(CURRENCIES.index(BANKING[acc.country].currency))
            self.acc_owner.append(self.agency_codes[acc.owner])
        countries = np.asarray(self.acc_country[first:], dtype=np.int64)
        for c in np.unique(countries).tolist():
            fresh = np.flatnonzero(countries == c) + first
            self.by_country[c] = np.concatenate([self.by_country[c], fresh])
        return first


def generate_world(
    spec: WorldSpec, out_dir: Path, progress: Callable[[int], None] | None = None
) -> WorldFiles:
    """Write agencies.json, records.jsonl, truth.jsonl and passengers.jsonl for `spec` into
    `out_dir`.

    The same spec gives byte-identical files. `progress` is called with the number of person
    records written so far after every chunk.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = (
        out_dir / "agencies.json",
        out_dir / "records.jsonl",
        out_dir / "truth.jsonl",
        out_dir / "passengers.jsonl",
    )
    with (
        paths[1].open("wb", buffering=1 << 20) as records,
        paths[2].open("wb") as truth,
        paths[3].open("wb") as passengers,
    ):
        world = _World(spec, records, truth, passengers)
        done = 0
        for number, start in enumerate(range(0, spec.persons, CHUNK)):
            size = min(CHUNK, spec.persons - start)
            _Chunk(world, number, start, size).run()
            done += size
            if progress is not None:
                progress(done)
    paths[0].write_text(json.dumps(world.agencies, ensure_ascii=False, indent=1) + "\n", "utf-8")
    counts = dict(sorted(world.counts.items()))
    counts["records"] = sum(world.counts[k.value] for k in RecordKind)
    counts["agencies"] = len(world.agencies)
    return WorldFiles(paths[0], paths[1], paths[2], counts, paths[3])


class _Chunk:
    """One chunk of persons with everything that hangs off them."""

    def __init__(self, world: _World, number: int, start: int, size: int) -> None:
        self.world = world
        self.start = start
        self.size = size
        seed = world.spec.seed
        self.rnd = random.Random(seed * 1_000_003 + number)
        self.np = np.random.default_rng([seed, number])
        self.people: list[_Person] = []
        self.orgs: list[tuple[str, str, Member, str]] = []  # id, kind, country, owner
        self.accounts: list[_Account] = []
        self.holder_kinds: list[str] = []
        self.first_account = len(world.acc_country)
        self.home = MEMBERS[0].code  # centre of the scheme being planted (Ledger protocol)
        self._holders: list[_Holder] = []
        self._pools: dict[str, list[int]] = {}
        self._cases: list[tuple[str, dict[str, Any]]] = []  # written after the notices
        self._travel_documents: dict[str, list[dict[str, str]]] = {}  # person id -> documents
        self._trips: list[tuple[_Person, str, int]] = []  # who flies out of where, when

    def run(self) -> None:
        self._persons()
        self._biometrics()
        self._documents()
        self._objects()
        self._organisations()
        planted = self._accounts_and_schemes()
        self._transactions(planted)
        self._notices()
        self._passengers(planted)

    # -- persons --

    def _subject(self, home: Member) -> _Subject:
        rnd = self.rnd
        culture: Culture = self.world.culture_tables[home.code].pick(rnd)
        female = rnd.random() < 0.45
        age_days = int((18 + rnd.betavariate(2.0, 3.5) * 60) * 365.25)
        birth = dt.date(2025, 6, 30) - dt.timedelta(days=age_days + rnd.randrange(365))
        origins = culture.origins
        local = [o for o in origins if o[0] == home.code]
        if local and rnd.random() < 0.9:
            country, cities = local[0]
        elif not local and rnd.random() < 0.35 and home.code in CITIES:
            country, cities = home.code, CITIES[home.code]  # born abroad to immigrant parents
        else:
            country, cities = rnd.choice(origins)
        nationalities = [country]
        if country != home.code and rnd.random() < 0.4:
            nationalities.append(home.code)
        return _Subject(
            culture,
            female,
            compose(culture, female, rnd),
            birth,
            (rnd.choice(cities), country),
            nationalities,
            home,
        )

    def _persons(self) -> None:
        rnd, world = self.rnd, self.world
        identities: list[list[_Person]] = []
        remaining = self.size
        while remaining > 0:
            home: Member = world.member_weights.pick(rnd)
            subject = self._subject(home)
            roles = RECORDINGS.pick(rnd)[:remaining]
            remaining -= len(roles)
            if "false" in roles or rnd.random() < (0.09 if len(roles) == 1 else 0.3):
                subject.template = self._unit(self.np.standard_normal(TEMPLATE_DIM))
            group = [self._person(subject, role) for role in roles]
            if "false" in roles:  # the face is what gives a false identity away
                for person in group:
                    person.biometric = True
            identities.append(group)
            self.people.extend(group)
        rnd.shuffle(self.people)
        for person in self.people:
            person.id = world.new_id(RecordKind.PERSON)
            gov = world.hub_governance if person.owner == HUB else world.gov(RecordKind.PERSON, rnd)
            world.put(person.owner, person.id, RecordKind.PERSON, gov, person.body)
        for group in identities:
            if len(group) > 1:
                world.next_id["I"] += 1
                reason = {"false": "false_identity", "list": "list_entry"}.get(
                    group[1].role, "duplicate"
                )
                world.fact(
                    {
                        "type": "same_person",
                        "identity": f"I{world.next_id['I']:07d}",
                        "reason": reason,
                        "records": [p.id for p in group],
                    }
                )
        for person in self.people:
            if person.role == "main" and rnd.random() < 0.06:
                self._name_variant(person)

    @staticmethod
    def _unit(
        vector: np.ndarray[Any, np.dtype[np.float64]],
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        return vector / np.linalg.norm(vector)

    def _person(self, subject: _Subject, role: str) -> _Person:
        rnd, world = self.rnd, self.world
        country: Member | None = subject.home
        tokens, culture, birth = subject.tokens, subject.culture, subject.birth
        nationalities = subject.nationalities
        aliases = ALIAS_COUNTS.pick(rnd)
        if role == "duplicate":
            country = world.member_weights.pick(rnd) if rnd.random() < 0.6 else country
            if rnd.random() < 0.3:
                tokens = [t for t in tokens if t.role != MIDDLE]
        elif role == "false":
            elsewhere: Member = world.member_weights.pick(rnd)
            country = elsewhere if rnd.random() < 0.7 else subject.home
            if rnd.random() > 0.6:
                culture = world.culture_tables[country.code].pick(rnd)
            tokens = compose(culture, subject.female, rnd)
            birth = birth + dt.timedelta(days=rnd.choice((0, 1, -1)) * rnd.randrange(200, 1200))
            if rnd.random() < 0.5:
                nationalities = [rnd.choice([c for c, _ in culture.origins])]
        elif role == "list":
            country, aliases = None, rnd.randint(2, 3)
        names, primary = self._names(tokens, culture, country, subject.female, aliases)
        owner = HUB if country is None else world.owner(RecordKind.PERSON, country, rnd)
        body: dict[str, Any] = {
            "names": names,
            "birth_dates": self._birth_dates(birth, list_entry=country is None),
            "birth_places": [{"place": subject.birthplace[0], "country": subject.birthplace[1]}]
            if role != "false" and rnd.random() < 0.75
            else [],
            "nationalities": nationalities,
            "gender": ("female" if subject.female else "male")
            if rnd.random() < 0.98
            else "unknown",
            "identifiers": [],
            "addresses": [],
            "phones": [],
            "emails": [],
        }
        nat = MEMBER_BY_CODE.get(nationalities[0])
        if nat is not None and rnd.random() < 0.25:
            scheme, pattern = nat.national_id
            body["identifiers"] = [
                {"scheme": scheme, "value": fill(pattern, rnd), "country": nat.code}
            ]
        if country is None:
            body["remarks"] = "UN Security Council sanctions list entry (synthetic)."
        captured = subject.template is not None and rnd.random() < 0.8
        return _Person(subject, role, country, owner, body, primary, captured)

    def _names(
        self,
        tokens: list[Token],
        culture: Culture,
        country: Member | None,
        female: bool,
        aliases: int,
    ) -> tuple[list[dict[str, Any]], str]:
        """Primary name (native script where the agency writes it) and realistic aliases."""
        rnd = self.rnd
        spellings = pick_spellings(tokens, rnd)
        latin = latin_parts(tokens, spellings)
        native = native_parts(tokens)
        lang, order = culture.lang, culture.family_first
        latin_name = name_dict(latin, kind="primary", script="Latn", lang=lang, family_first=order)
        names = [latin_name]
        native_share = 0.0
        if (
            country is not None
            and country.native is not None
            and country.native[0] == culture.script
        ):
            native_share = country.native[1]
        if native is not None and rnd.random() < native_share:
            native_name = name_dict(
                native,
                kind="primary",
                script=culture.script,
                lang=lang,
                family_first=order,
                joiner=culture.native_joiner,
            )
            names = [native_name, {**latin_name, "kind": AliasKind.AKA.value}]
        elif native is not None and rnd.random() < NATIVE_AKA:
            names.append(_alias_native(tokens, spellings, culture, rnd) or latin_name)
        seen = {n["full"].casefold() for n in names}
        ops = ALIAS_OPS_FEMALE if female else ALIAS_OPS_MALE
        target = len(names) + aliases
        for _ in range(aliases * 3):
            if len(names) >= target:
                break
            alias = _ALIAS_BUILDERS[ops.pick(rnd)](tokens, spellings, culture, rnd)
            if alias is not None and alias["full"].casefold() not in seen:
                seen.add(alias["full"].casefold())
                names.append(alias)
        return names, str(latin_name["full"])

    def _birth_dates(self, birth: dt.date, list_entry: bool) -> list[dict[str, Any]]:
        rnd = self.rnd
        r = rnd.random() * (0.6 if list_entry else 1.0) + (0.4 if list_entry else 0.0)
        year = str(birth.year)
        if r < 0.80:
            dates = [{"date": birth.isoformat(), "circa": False}]
        elif r < 0.88:
            dates = [{"date": year, "circa": False}]
        elif r < 0.93:
            dates = [{"date": birth.isoformat()[:7], "circa": False}]
        elif r < 0.97:
            dates = [
                {
                    "earliest": str(birth.year - rnd.randint(0, 2)),
                    "latest": str(birth.year + rnd.randint(1, 3)),
                    "circa": False,
                }
            ]
        else:
            dates = [{"date": year, "circa": True}]
        if rnd.random() < 0.03:
            other = birth + dt.timedelta(days=rnd.randint(-800, 800))
            dates.append({"date": other.isoformat(), "circa": False})
        return dates

    def _name_variant(self, person: _Person) -> None:
        """A spelling of the person's name that the record does not store (for recall tests)."""
        subject, rnd = person.subject, self.rnd
        stored = {n["full"].casefold() for n in person.body["names"]}
        culture = subject.culture
        spelled = pick_spellings(subject.tokens, rnd)
        for op in ("translit", "native"):
            alias = _ALIAS_BUILDERS[op](subject.tokens, spelled, culture, rnd)
            if alias is not None and alias["full"].casefold() not in stored:
                fact = {"type": "name_variant", "record": person.id, "query": alias["full"]}
                self.world.fact({**fact, "script": alias["script"], "culture": culture.code})
                return

    # -- things attached to persons --

    def _biometrics(self) -> None:
        world = self.world
        holders = [p for p in self.people if p.biometric]
        if not holders:
            return
        base = np.stack([p.subject.template for p in holders if p.subject.template is not None])
        noisy = base + self.np.standard_normal(base.shape) * TEMPLATE_NOISE
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        vectors = np.round(noisy, 4).tolist()
        for person, vector in zip(holders, vectors, strict=True):
            body = {
                "modality": "face",
                "algorithm": ALGORITHM,
                "vector": vector,
                "person_id": person.id,
            }
            owner = (
                person.owner
                if person.country is None
                else world.owner(RecordKind.BIOMETRIC, person.country, self.rnd)
            )
            self._record(RecordKind.BIOMETRIC, owner, body)

    def _document_number(self, issuer: str) -> str:
        member = MEMBER_BY_CODE.get(issuer)
        return fill(
            member.passport if member else OTHER_PASSPORTS.get(issuer, "A9999999"), self.rnd
        )

    def _document(
        self, owner: str, issuer: str, status: DocumentStatus, person: _Person | None
    ) -> None:
        rnd = self.rnd
        doc_type = DocumentType.PASSPORT if person is None else DOCUMENT_TYPES.pick(rnd)
        issued = dt.date(2014, 1, 1) + dt.timedelta(days=rnd.randrange(4200))
        years = 10 if doc_type == DocumentType.PASSPORT else 5
        body: dict[str, Any] = {
            "document_type": doc_type.value,
            "number": self._document_number(issuer),
            "issuing_country": issuer,
        }
        if person is not None:
            body["issued"] = issued.isoformat()
            body["expires"] = issued.replace(
                year=issued.year + years, day=min(issued.day, 28)
            ).isoformat()
        body["status"] = status.value
        if person is not None:
            body["holder_name"] = person.primary
            body["person_id"] = person.id
            if doc_type in TRAVEL_DOCUMENTS and status == DocumentStatus.VALID:
                self._travel_documents.setdefault(person.id, []).append(
                    {
                        "type": TRAVEL_DOCUMENTS[doc_type],
                        "number": body["number"],
                        "country": issuer,
                        "expires": body["expires"],
                    }
                )
        self._record(RecordKind.DOCUMENT, owner, body)

    def _documents(self) -> None:
        rnd, world = self.rnd, self.world
        for person in self.people:
            if person.country is None:
                continue
            count = 1 if person.role == "false" else DOCUMENTS_PER_PERSON.pick(rnd)
            for _ in range(count):
                status = (
                    DocumentStatus.STOLEN
                    if person.role == "false" and rnd.random() < 0.2
                    else DOCUMENT_STATUS.pick(rnd)
                )
                issuer = (
                    person.body["nationalities"][0] if rnd.random() < 0.85 else person.country.code
                )
                owner = world.owner(RecordKind.DOCUMENT, person.country, rnd)
                self._document(owner, issuer, status, person)
        for _ in range(max(1, self.size // 500)):  # stolen blank passports: no holder
            member = world.member_weights.pick(rnd)
            owner = f"{member.code}-BORDER"
            self._document(owner, member.code, DocumentStatus.STOLEN_BLANK, None)

    def _objects(self) -> None:
        """Vehicles and firearms of recorded persons."""
        rnd = self.rnd
        recorded = [(p, p.country) for p in self.people if p.country is not None]
        for person, country in recorded:
            r = rnd.random()
            for _ in range(2 if r < 0.025 else 1 if r < 0.28 else 0):
                self._vehicle(person, country)
        for person, country in recorded:
            if rnd.random() < country.firearms:
                self._firearm(person, country)

    def _vehicle(self, person: _Person, country: Member) -> None:
        rnd, world = self.rnd, self.world
        make, wmi, vtype, models = rnd.choice(VEHICLES)
        year = rnd.randint(2005, 2025)
        status = VEHICLE_STATUS.pick(rnd)
        body: dict[str, Any] = {"vehicle_type": vtype, "identifiers": []}
        if rnd.random() < 0.95:
            body["vin"] = make_vin(wmi, year, rnd)
        body["plate"] = fill(country.plate, rnd)
        body["plate_country"] = country.code
        body.update(
            make=make,
            model=rnd.choice(models),
            colour=rnd.choice(COLOURS),
            year=year,
            status=status.value,
            owner_id=person.id,
        )
        self._record(RecordKind.VEHICLE, world.owner(RecordKind.VEHICLE, country, rnd), body)

    def _firearm(self, person: _Person, country: Member) -> None:
        rnd, world = self.rnd, self.world
        make, models, calibre, ftype, serial = rnd.choice(FIREARMS)
        status = FIREARM_STATUS.pick(rnd)
        body = {
            "make": make,
            "model": rnd.choice(models),
            "serial_number": fill(serial, rnd),
            "calibre": calibre,
            "firearm_type": ftype,
            "status": status.value,
            "holder_id": person.id,
        }
        self._record(RecordKind.FIREARM, world.owner(RecordKind.FIREARM, country, rnd), body)

    # -- organisations and money --

    def _organisations(self) -> None:
        rnd, world = self.rnd, self.world
        by_country: dict[str, list[str]] = {}
        for p in self.people:
            if p.country is not None and p.role != "list":
                by_country.setdefault(p.country.code, []).append(p.id)
        count = max(12, self.size // 40)
        for i in range(count):
            kind = (
                (OrganisationKind.CHARITY, OrganisationKind.FRONT_COMPANY)[i]
                if i < 2
                else ORGANISATION_KINDS.pick(rnd)
            )
            member: Member = world.member_weights.pick(rnd)
            where = member.code
            if kind == OrganisationKind.FRONT_COMPANY and rnd.random() < 0.5:
                where = rnd.choice(OFFSHORE)
            local = by_country.get(member.code) or [
                p.id for p in self.people if p.country is not None
            ]
            directors = rnd.sample(local, min(len(local), rnd.randint(1, 3)))
            oid = world.new_id(RecordKind.ORGANISATION)
            body = {
                "names": [
                    {
                        "full": self._org_name(kind, member, where),
                        "kind": "primary",
                        "script": "Latn",
                    }
                ],
                "organisation_kind": kind.value,
                "countries": [where],
                "registration_numbers": []
                if where != member.code
                else [
                    {
                        "scheme": member.registry[0],
                        "value": fill(member.registry[1], rnd),
                        "country": where,
                    }
                ],
                "addresses": [
                    {
                        "full": f"{rnd.randint(1, 250)} {rnd.choice(BRANDS)} Street, {city}",
                        "city": city,
                        "country": where,
                    }
                    for city in [rnd.choice(CITIES.get(where, ("Capital",)))]
                ],
                "director_ids": directors,
            }
            owner = world.owner(RecordKind.ORGANISATION, member, rnd)
            gov = world.gov(RecordKind.ORGANISATION, rnd)
            world.put(owner, oid, RecordKind.ORGANISATION, gov, body)
            self.orgs.append((oid, HOLDER_KINDS[kind], member, f"{member.code}-FIU"))

    def _org_name(self, kind: OrganisationKind, member: Member, where: str) -> str:
        rnd = self.rnd
        if kind == OrganisationKind.CHARITY:
            return f"{rnd.choice(CHARITY[0])} {rnd.choice(CHARITY[1])}"
        culture: Culture = self.world.culture_tables[member.code].pick(rnd)
        stem = rnd.choice(culture.family).latin[0] if rnd.random() < 0.5 else rnd.choice(BRANDS)
        form = OFFSHORE_FORMS.get(where) or rnd.choice(member.legal_forms)
        return f"{stem} {rnd.choice(BUSINESS)} {form}"

    def _open(self, country: str, holders: list[str], owner: str, kind: str) -> int:
        self.accounts.append(_Account(country, holders, owner))
        self.holder_kinds.append(kind)
        return self.first_account + len(self.accounts) - 1

    # Ledger protocol (used by the schemes)

    def existing(self, holder_kind: str, count: int) -> list[int]:
        """Distinct accounts, from the scheme's home country first (mules are mostly local)."""
        pool = self._pools.get(holder_kind, [])
        local = [a for a in pool if self.country_of(a) == self.home]
        picked = self.rnd.sample(local, min(count, len(local)))
        if len(picked) < count:
            others = [a for a in pool if self.country_of(a) != self.home]
            picked += self.rnd.sample(others, min(count - len(picked), len(others)))
        taken = set(picked)  # schemes do not share accounts
        self._pools[holder_kind] = [a for a in pool if a not in taken]
        return picked

    def open_account(self, country: str, holder_kind: str) -> int:
        rnd = self.rnd
        if holder_kind in ("person", "traveller"):
            holders = self._holders
            if holder_kind == "traveller":
                holders = [h for h in holders if self._traveller(h.person) is not None]
            person = rnd.choice(holders)
            return self._open(country, [person.id], person.owner_fiu, "scheme")
        orgs = [o for o in self.orgs if o[1] == holder_kind] or self.orgs
        oid, _, _, owner = rnd.choice(orgs)
        return self._open(country, [oid], owner, "scheme")

    def country_of(self, account: int) -> str:
        local = account - self.first_account
        if local >= 0:
            return self.accounts[local].country
        return ACCOUNT_COUNTRIES[self.world.acc_country[account]]

    def _accounts_and_schemes(self) -> list[tuple[Planted, str]]:
        rnd, world = self.rnd, self.world
        self._holders = [
            _Holder(p.id, p.country.code, f"{p.country.code}-FIU", p)
            for p in self.people
            if p.country is not None
        ]
        for holder in self._holders:
            r = rnd.random()
            for _ in range(2 if r < 0.03 else 1 if r < 0.38 else 0):
                where = holder.country if rnd.random() < 0.92 else rnd.choice(OFFSHORE)
                holders = [holder.id]
                if rnd.random() < 0.05:
                    holders.append(rnd.choice(self._holders).id)
                self._open(where, list(dict.fromkeys(holders)), holder.owner_fiu, "person")
        for oid, label, member, owner in self.orgs:
            for _ in range(1 + (rnd.random() < 0.4)):
                where = (
                    member.code if label != "front" or rnd.random() < 0.5 else rnd.choice(OFFSHORE)
                )
                self._open(where, [oid], owner, label)
        for i, kind in enumerate(self.holder_kinds):
            self._pools.setdefault(kind, []).append(self.first_account + i)
        # schemes due in this chunk, so that the whole world plants about one per SCHEME_EVERY
        total, persons = world.total_schemes, world.spec.persons
        due = range(total * self.start // persons, total * (self.start + self.size) // persons)
        names = list(SCHEMES)
        planted: list[tuple[Planted, str]] = []
        for index in due:
            self.home = world.member_weights.pick(rnd).code
            planted.append((SCHEMES[names[index % len(names)]](self), f"S{index + 1:04d}"))
        world.add_accounts(self.accounts)
        for i, acc in enumerate(self.accounts):
            self._account(i, acc)
        return planted

    def _account(self, index: int, acc: _Account) -> None:
        rnd, world = self.rnd, self.world
        banking = BANKING[acc.country]
        name, bic4, code = rnd.choice(banking.banks)
        body: dict[str, Any] = {}
        if banking.iban_rest is not None:
            body["iban"] = iban(alpha2(acc.country), code + fill(banking.iban_rest, rnd))
        body["bic"] = f"{bic4}{alpha2(acc.country)}2X"
        if banking.iban_rest is None:
            body["number"] = fill(banking.number, rnd)
        body.update(
            institution=name, country=acc.country, currency=banking.currency, holder_ids=acc.holders
        )
        rid = _rid(RecordKind.ACCOUNT, self.first_account + index + 1)
        world.next_id[RecordKind.ACCOUNT] = self.first_account + index + 1
        world.put(acc.owner, rid, RecordKind.ACCOUNT, world.gov(RecordKind.ACCOUNT, rnd), body)

    def _transactions(self, planted: list[tuple[Planted, str]]) -> None:
        """Background traffic (vectorised) plus the planted schemes, in time order."""
        world = self.world
        first, end = self.first_account, len(world.acc_country)
        countries = np.asarray(world.acc_country, dtype=np.int64)
        payers = Payers(first, end, countries, world.by_country)
        # planted scheme transactions are appended, then everything is sorted by time
        rows = [t for plan, _ in planted for t in plan.transactions]
        flows = background(self.np, payers, world.spec.transactions_per_account).then(
            Flows.of(rows)
        )
        src, dst, seconds, channel = flows.src, flows.dst, flows.seconds, flows.channel
        order = np.argsort(seconds, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        base = world.next_id[RecordKind.TRANSACTION]
        currency = np.asarray(world.acc_currency, dtype=np.int64)[src]
        local = np.maximum(
            np.round(flows.amount * PER_EUR[currency], 2), 0.01
        )  # EUR -> account currency
        owners = np.asarray(world.acc_owner, dtype=np.int64)[src]
        times = np.datetime_as_string(
            np.datetime64("2025-01-01T00:00:00") + seconds.astype("timedelta64[s]")
        )
        gov_pick = self.np.integers(0, len(world.governance[RecordKind.TRANSACTION]), src.size)
        columns = zip(
            src[order].tolist(),
            dst[order].tolist(),
            local[order].tolist(),
            currency[order].tolist(),
            times[order].tolist(),
            channel[order].tolist(),
            countries[src][order].tolist(),
            countries[dst][order].tolist(),
            owners[order].tolist(),
            gov_pick.tolist(),
            strict=True,
        )
        pool, agencies, dumps = (
            world.governance[RecordKind.TRANSACTION],
            world.agencies,
            orjson.dumps,
        )
        write, newline = world.records.write, orjson.OPT_APPEND_NEWLINE
        for n, (s, d, amt, cur, tm, ch, fc, tc, own, g) in enumerate(columns, start=base + 1):
            body = {
                "from_account_id": f"A{s + 1:07d}",
                "to_account_id": f"A{d + 1:07d}",
                "amount": amt,
                "currency": CURRENCIES[cur],
                "time": tm + "Z",
                "channel": CHANNEL_NAMES[ch],
                "from_country": ACCOUNT_COUNTRIES[fc],
                "to_country": ACCOUNT_COUNTRIES[tc],
            }
            record = {
                "owner": agencies[own]["code"],
                "id": f"T{n:07d}",
                "kind": "transaction",
                "governance": pool[g],
                "body": body,
            }
            write(dumps(record, option=newline))
        world.counts[RecordKind.TRANSACTION.value] += src.size
        world.next_id[RecordKind.TRANSACTION] = base + src.size
        offset = src.size - len(rows)
        for plan, sid in planted:
            ids = [
                f"T{base + 1 + int(rank[offset + k]):07d}" for k in range(len(plan.transactions))
            ]
            offset += len(plan.transactions)
            accounts = [f"A{a + 1:07d}" for a in plan.accounts]
            world.fact(
                {
                    "type": "scheme",
                    "scheme": plan.scheme,
                    "id": sid,
                    "transactions": ids,
                    "accounts": accounts,
                }
            )
            self._case(plan, sid, accounts)
        world.counts["schemes"] += len(planted)
        world.counts["scheme_transactions"] += len(rows)

    # -- passenger data --

    def _traveller(self, person: _Person) -> dict[str, Any] | None:
        """The person as a manifest names them, when it names them by something that links
        (a valid travel document, or a full birth date); else None."""
        born = person.body["birth_dates"][0].get("date", "")
        documents = self._travel_documents.get(person.id, [])
        if not documents and len(born) != 10:
            return None
        words = person.primary.split()
        found: dict[str, Any] = {"surname": words[-1], "given_names": " ".join(words[:-1])}
        if len(born) == 10:
            found["birth_date"] = born
        found["nationality"] = person.body["nationalities"][0]
        found["documents"] = documents
        return found

    def _passengers(self, planted: list[tuple[Planted, str]]) -> None:
        """Manifests of this chunk's departures: some of its people fly out in the year, and so
        does the holder of every planted drained account, from the account's country."""
        rnd, world = self.rnd, self.world
        for person in self.people:
            if person.country is not None and rnd.random() < TRAVEL_SHARE:
                self._trips.append((person, person.country.code, rnd.randrange(365 * 86_400)))
        holders = {h.id: h.person for h in self._holders}
        for plan, _ in planted:
            for account, when in plan.departures:
                [holder] = self.accounts[account - self.first_account].holders
                self._trips.append((holders[holder], self.country_of(account), when))
        flights: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
        for person, country, when in self._trips:
            traveller = self._traveller(person)
            if traveller is None or country not in AIRPORTS:
                continue
            destination = rnd.choice([c for c in AIRPORTS if c != country])
            flights.setdefault((country, destination, when // 3600), []).append(traveller)
        for n, ((origin, destination, hour), travellers) in enumerate(sorted(flights.items())):
            number = world.flight_numbers.setdefault(
                (origin, destination), str(100 + len(world.flight_numbers))
            )
            departure = dt.datetime(2025, 1, 1) + dt.timedelta(hours=hour)
            manifest = {
                "reference": f"WORLD-{self.start}-{n}",
                "sender": "BORDERLESS WORLD AIR",
                "flight": {
                    "carrier": "BW",
                    "number": number,
                    "origin": AIRPORTS[origin],
                    "destination": AIRPORTS[destination],
                    "departure": departure.isoformat(timespec="minutes"),
                },
                "travellers": travellers,
            }
            line = {"agency": f"{origin}-{SUFFIX[B]}", "manifest": manifest}
            world.passengers.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
            world.counts["flights"] += 1
            world.counts["travellers"] += len(travellers)

    def _case(self, plan: Planted, sid: str, accounts: list[str]) -> None:
        world, rnd = self.world, self.rnd
        countries = list(dict.fromkeys(self.country_of(a) for a in plan.accounts))
        home = next((MEMBER_BY_CODE[c] for c in countries if c in MEMBER_BY_CODE), MEMBERS[0])
        participants = [f"{c}-FIU" for c in countries if c in MEMBER_BY_CODE and c != home.code]
        body = {
            "title": f"{plan.scheme.replace('_', ' ').capitalize()} pattern ({sid}), {home.code}",
            "participants": participants,
            "linked_ids": accounts[:25],
            "status": "open" if rnd.random() < 0.8 else "closed",
            "summary": f"{len(plan.transactions)} transactions over {len(accounts)} accounts "
            f"in {', '.join(countries)} flagged for analysis.",
        }
        self._cases.append((world.owner(RecordKind.CASE, home, rnd), body))

    def _record(
        self, kind: RecordKind, owner: str, body: dict[str, Any], gov: Governance | None = None
    ) -> None:
        """Write a new record of `kind`, with governance drawn from the kind's pool."""
        world = self.world
        world.put(owner, world.new_id(kind), kind, gov or world.gov(kind, self.rnd), body)

    def _notices(self) -> None:
        rnd, world = self.rnd, self.world
        for person in self.people:
            rate = {"false": 0.15, "list": 1.0}.get(person.role, 0.012)
            if rnd.random() >= rate:
                continue
            gov: dict[str, Any] | None = None
            if person.country is None:
                kind, owner, gov = NoticeKind.UNSC, HUB, world.hub_governance
            else:
                kind = NOTICE_KINDS.pick(rnd)
                owner = world.owner(RecordKind.NOTICE, person.country, rnd)
            body: dict[str, Any] = {
                "notice_kind": kind.value,
                "subject_id": person.id,
                "subject_name": person.primary,
                "requested_action": NOTICE_ACTIONS[kind],
                "status": (
                    NoticeStatus.PUBLISHED if kind == NoticeKind.UNSC else NOTICE_STATUS.pick(rnd)
                ).value,
                "offences": []
                if kind == NoticeKind.YELLOW
                else rnd.sample(OFFENCES, rnd.randint(1, 2)),
            }
            if kind == NoticeKind.RED:
                body["legal_basis"] = (
                    f"Arrest warrant {fill('99999/99', rnd)} of {2018 + rnd.randrange(8)}"
                )
            if body["status"] != NoticeStatus.PUBLISHED.value:  # only reviewers see it yet
                gov = {
                    **(gov or world.gov(RecordKind.NOTICE, rnd)),
                    "dissemination": "listed",
                    "share_countries": [],
                    "share_agencies": [HUB],
                }
            self._record(RecordKind.NOTICE, owner, body, gov)
        for owner, body in self._cases:
            self._record(RecordKind.CASE, owner, body)


@dataclass(slots=True)
class _Holder:
    id: str
    country: str
    owner_fiu: str
    person: _Person


# --- aliases ---------------------------------------------------------------------------------


def _alias_translit(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    other = other_spellings(tokens, sp, rnd)
    if other is None:
        return None
    return name_dict(
        latin_parts(tokens, other),
        kind="aka",
        script="Latn",
        lang=c.lang,
        family_first=c.family_first,
    )


def _alias_native(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    parts = native_parts(tokens)
    if parts is None:
        return None
    return name_dict(
        parts,
        kind="aka",
        script=c.script,
        lang=c.lang,
        family_first=c.family_first,
        joiner=c.native_joiner,
    )


def _alias_reorder(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    return name_dict(
        latin_parts(tokens, sp),
        kind="aka",
        script="Latn",
        lang=c.lang,
        family_first=not c.family_first,
    )


def _alias_drop_middle(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    parts = [p for p in latin_parts(tokens, sp) if p[0] != MIDDLE]
    if len(parts) == len(tokens):
        return None
    return name_dict(parts, kind="aka", script="Latn", lang=c.lang, family_first=c.family_first)


def _alias_initial(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    parts = latin_parts(tokens, sp)
    given = next(text for role, text in parts if role == GIVEN)
    kept = [(GIVEN, given[0] + ".")] + [p for p in parts if p[0] == FAMILY]
    return name_dict(kept, kind="weak", script="Latn", lang=c.lang, family_first=c.family_first)


def _alias_typo(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    parts = latin_parts(tokens, sp)
    i = rnd.randrange(len(parts))
    parts[i] = (parts[i][0], typo(parts[i][1], rnd))
    return name_dict(parts, kind="weak", script="Latn", lang=c.lang, family_first=c.family_first)


def _alias_maiden(
    tokens: list[Token], sp: tuple[int, ...], c: Culture, rnd: random.Random
) -> dict[str, Any] | None:
    parts = latin_parts(tokens, sp)
    entry = rnd.choice(c.family)
    maiden = (feminine(entry) if c.gendered_family else entry).latin[0]
    kept = [p for p in parts if p[0] != FAMILY] + [(FAMILY, maiden)]
    return name_dict(kept, kind="fka", script="Latn", lang=c.lang, family_first=c.family_first)


_AliasBuilder = Callable[
    [list[Token], tuple[int, ...], Culture, random.Random], dict[str, Any] | None
]
_ALIAS_BUILDERS: dict[str, _AliasBuilder] = {
    "translit": _alias_translit,
    "native": _alias_native,
    "reorder": _alias_reorder,
    "drop_middle": _alias_drop_middle,
    "initial": _alias_initial,
    "typo": _alias_typo,
    "maiden": _alias_maiden,
}


def iter_records(path: Path) -> Iterable[dict[str, Any]]:
    """The lines of a records.jsonl file as dicts (for loaders and tests)."""
    with path.open("rb") as handle:
        for line in handle:
            yield orjson.loads(line)
