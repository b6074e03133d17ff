"""Country codes: accept ISO 3166 alpha-2 / alpha-3, ICAO 9303 codes and common names; keep alpha-3.

pycountry lacks the codes that only ICAO uses on travel documents (``D`` for Germany, ``XXA``
stateless, ``RKS`` Kosovo, the British ``GBD``/``GBN``/...); they are added here.
"""

from functools import lru_cache

import pycountry

ICAO_EXTRA: dict[str, str] = {
    "D": "DEU",
    "RKS": "RKS",
    "XKX": "RKS",
    "XK": "RKS",
    "GBD": "GBD",
    "GBN": "GBN",
    "GBO": "GBO",
    "GBP": "GBP",
    "GBS": "GBS",
    "UNO": "UNO",
    "UNA": "UNA",
    "UNK": "UNK",
    "XXA": "XXA",
    "XXB": "XXB",
    "XXC": "XXC",
    "XXX": "XXX",
    "EUE": "EUE",
    "XOM": "XOM",
    "XPO": "XPO",
    "XCC": "XCC",
    "XBA": "XBA",
    "XIM": "XIM",
    "XCE": "XCE",
    "XDC": "XDC",
    "XES": "XES",
    "XMP": "XMP",
    "ZZZ": "ZZZ",
    "UTO": "UTO",  # Utopia: the ICAO 9303 specimen state
}

# Names seen in the UN and OFAC lists that pycountry's fuzzy lookup gets wrong or misses.
NAME_EXTRA: dict[str, str] = {
    "KOSOVO": "RKS",
    "RUSSIA": "RUS",
    "IRAN": "IRN",
    "SYRIA": "SYR",
    "NORTH KOREA": "PRK",
    "SOUTH KOREA": "KOR",
    "KOREA, NORTH": "PRK",
    "KOREA, SOUTH": "KOR",
    "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": "PRK",
    "REPUBLIC OF KOREA": "KOR",
    "BURMA": "MMR",
    "LAOS": "LAO",
    "VIETNAM": "VNM",
    "VENEZUELA": "VEN",
    "BOLIVIA": "BOL",
    "TANZANIA": "TZA",
    "MOLDOVA": "MDA",
    "PALESTINE": "PSE",
    "PALESTINIAN": "PSE",
    "WEST BANK": "PSE",
    "GAZA": "PSE",
    "TURKEY": "TUR",
    "TURKIYE": "TUR",
    "TÜRKIYE": "TUR",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "COD",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "COD",
    "CONGO": "COG",
    "IVORY COAST": "CIV",
    "COTE D'IVOIRE": "CIV",
    "UNITED KINGDOM": "GBR",
    "UNITED STATES": "USA",
    "UNITED STATES OF AMERICA": "USA",
    "THE NETHERLANDS": "NLD",
    "NETHERLANDS": "NLD",
    "UNITED ARAB EMIRATES": "ARE",
    "BOSNIA AND HERZEGOVINA": "BIH",
    "BRUNEI": "BRN",
    "CAPE VERDE": "CPV",
    "MACEDONIA": "MKD",
    "SWAZILAND": "SWZ",
    "MICRONESIA": "FSM",
    "HOLY SEE": "VAT",
    "TAIWAN": "TWN",
    "IRAN (ISLAMIC REPUBLIC OF)": "IRN",
    "CHINA, HONG KONG SPECIAL ADMINISTRATIVE REGION": "HKG",
    "HONG KONG": "HKG",
    "BOSNIA-HERZEGOVINA": "BIH",
    "DPRK": "PRK",
    "REGION: GAZA": "PSE",
    "SYRIAN ARAB REPUBLIC": "SYR",
    "RUSSIAN FEDERATION": "RUS",
    "UNITED REPUBLIC OF TANZANIA": "TZA",
    "LAO PEOPLE'S DEMOCRATIC REPUBLIC": "LAO",
    "VIET NAM": "VNM",
}


class UnknownCountry(ValueError):
    """A value that names no country we know."""


@lru_cache(maxsize=4096)
def to_alpha3(value: str) -> str:
    """Return the alpha-3 code for an alpha-2/alpha-3/ICAO code or an English country name."""
    text = value.strip()
    if not text:
        raise UnknownCountry("empty country")
    upper = text.upper()
    if upper in ICAO_EXTRA:
        return ICAO_EXTRA[upper]
    if upper in NAME_EXTRA:
        return NAME_EXTRA[upper]
    if len(upper) in (2, 3) and upper.isalpha():
        found = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
        found = found or (pycountry.countries.get(alpha_3=upper) if len(upper) == 3 else None)
        if found is not None:
            return str(found.alpha_3)
    # Exact names only: pycountry's fuzzy search also matches cities and regions
    # ("Cali" -> USA), which would put people in the wrong country.
    found_code = _names().get(upper)
    if found_code is not None:
        return found_code
    raise UnknownCountry(f"unknown country {value!r}: expected ISO 3166 alpha-2/alpha-3 or a name")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(str(value).upper(), str(country.alpha_3))
    return names


def try_alpha3(value: str | None) -> str | None:
    """Like `to_alpha3`, but ``None`` when the value names no country."""
    if value is None:
        return None
    try:
        return to_alpha3(value)
    except UnknownCountry:
        return None
