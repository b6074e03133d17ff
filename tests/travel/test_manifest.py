"""The CSV / JSON manifest: values normalised, bookings merged, errors located."""

from __future__ import annotations

import pytest

from borderless.domain.travel import ContactKind, MessageKind
from borderless.errors import FormatError
from borderless.formats.manifest import read_manifest

HEADER = "carrier,number,origin,destination,departure,surname,given_names,birth_date,nationality,"
HEADER += "booking,document_number,document_country,phone,payment_method\n"
FLIGHT = "XX,123,FRA,AMS,2026-06-01T12:00"


def test_csv_rows_become_travellers_and_merged_bookings() -> None:
    data = (
        HEADER
        + f"{FLIGHT},Jansen,Jan,1980-02-03,NL,AB1,NX123,NL,+31 20 123 4567,CA\n"
        + f"{FLIGHT},Jansen,Marie,1982,NLD,AB1,NX124,NLD,0031-20-123-4567,CA\n"
        + f"{FLIGHT},Smith,Anna,,GB,,,,,\n"
    ).encode()
    message = read_manifest(data, "m.csv")
    assert message.kind == MessageKind.MANIFEST
    assert message.flight.key == "XX123/2026-06-01/FRA"
    assert [t.nationality for t in message.travellers] == ["NLD", "NLD", "GBR"]
    assert message.travellers[1].birth_date == "1982"
    [booking] = message.bookings
    assert booking.travellers == ("1", "2")
    assert [(c.kind, c.value) for c in booking.contacts] == [(ContactKind.PHONE, "31201234567")]
    assert [p.method for p in booking.payments] == ["CA"]
    assert message.documents == 2


@pytest.mark.parametrize(
    ("data", "location", "problem"),
    [
        (HEADER.replace("booking", "bookng") + f"{FLIGHT},A,B,,,,,,,\n", "line 1", "bookng"),
        (HEADER + f"{FLIGHT},A,B,1980-13-01,,,,,,\n", "line 2", "birth_date"),
        (
            HEADER + f"{FLIGHT},A,B,,,,,,,\n" + "XX,124,FRA,AMS,2026-06-01T12:00,C,D,,,,,,,\n",
            "line 3",
            "same flight",
        ),
        (HEADER + "XX,123,FRA,AMS,tomorrow,A,B,,,,,,,\n", "line 2", "departure"),
    ],
)
def test_csv_errors_name_the_line(data: str, location: str, problem: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_manifest(data.encode(), "m.csv")
    assert caught.value.location == location
    assert problem in caught.value.problem


def test_json_errors_name_the_field() -> None:
    with pytest.raises(FormatError, match=r"travellers\.0\.surname"):
        read_manifest(
            b'{"flight": {"carrier": "XX", "number": "1", "origin": "FRA", "destination": "AMS",'
            b' "departure": "2026-06-01T12:00"}, "travellers": [{"given_names": "X"}]}',
            "m.json",
        )
    with pytest.raises(FormatError, match="invalid JSON"):
        read_manifest(b"{not json", "m.json")
