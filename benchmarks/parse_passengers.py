"""Parsing throughput of PAXLST and PNRGOV messages (passengers/s).

    .venv/bin/python -m benchmarks.parse_passengers --passengers 20000

Builds one seeded synthetic PAXLST message and one PNRGOV message (two travellers per PNR,
each with SSR DOCS, contacts and a payment) of the given size, parses each a few times with
`read_passenger_data` (tokenising, envelope checks, typed model) and prints one JSON line per
format: passengers, documents, best seconds and passengers/s. Also times every real test
message in ../shared/data/passenger_messages once.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from collections.abc import Callable

from borderless.config import shared_data_dir
from borderless.services.travel_intake import read_passenger_data

SURNAMES = ("SMITH", "GARCIA", "MUELLER", "ROSSI", "NOWAK", "HASSAN", "KIM", "SATO", "SILVA")
GIVEN = ("ANNA", "JOHN", "MARIA", "AHMED", "WEI", "OLGA", "LUCAS", "FATIMA", "YUKI", "PETER")


def paxlst(passengers: int, rng: random.Random) -> bytes:
    body = [
        "BGM+745'",
        "NAD+MS+++BENCH AIR'",
        "TDT+20+XX123+++XX'",
        "LOC+125+FRA'",
        "DTM+189:2606011200:201'",
        "LOC+87+JFK'",
        "DTM+232:2606011500:201'",
    ]
    for i in range(passengers):
        body += [
            f"NAD+FL+++{rng.choice(SURNAMES)}:{rng.choice(GIVEN)}'",
            f"ATT+2++{rng.choice('MF')}'",
            f"DTM+329:{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}'",
            "LOC+178+FRA'",
            "LOC+179+JFK'",
            "NAT+2+DEU'",
            f"RFF+AVF:B{i // 2:07d}'",
            f"DOC+P:110:111+C{i:08d}'",
            "DTM+36:300101'",
            "LOC+91+DEU'",
        ]
    body.append(f"CNT+42:{passengers}'")
    return _interchange("PAXLST:D:02B:UN:IATA", body)


def pnrgov(passengers: int, rng: random.Random) -> bytes:
    body = ["MSG+:22'", "ORG+XX'", "TVL+010626:1200+FRA+JFK+XX+123'", f"EQN+{passengers // 2}'"]
    for pnr in range(passengers // 2):
        body += ["SRC'", f"RCI+XX:R{pnr:07d}'", "DAT+700:300526:1010'"]
        body += [f"IFT+4:28::XX+CTCM 49{rng.randint(10**8, 10**9)}'", "FOP+CC:::VI:XXXX1186:0227'"]
        for seat in (1, 2):
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
            body += [
                f"TIF+{surname}+{given}MR:A:{seat}'",
                f"SSR+DOCS:HK::XX:::::/P/DEU/C{pnr:07d}{seat}/DEU/01JAN80/M/01JAN30/"
                f"{surname}/{given}+::{seat}'",
            ]
        body += ["TVL+010626:1200::1500+FRA+JFK+XX+123:Y'", "RPI+2+HK'"]
    return _interchange("PNRGOV:13:1:IA", body)


def _interchange(kind: str, body: list[str]) -> bytes:
    segments = ["UNB+UNOA:4+BENCH+GOV+260601:1000+1'", f"UNH+1+{kind}'", *body]
    segments += [f"UNT+{len(body) + 2}+1'", "UNZ+1+1'"]
    return "".join(segments).encode()


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passengers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for name, build in (("paxlst", paxlst), ("pnrgov", pnrgov)):
        data = build(args.passengers, rng)
        [message] = read_passenger_data(data, name)
        seconds = _best(lambda data=data, name=name: read_passenger_data(data, name), args.repeat)
        row = {
            "format": name,
            "passengers": len(message.travellers),
            "documents": message.documents,
            "bytes": len(data),
            "seconds": round(seconds, 3),
            "passengers_per_s": round(len(message.travellers) / seconds),
            "machine": platform.machine(),
        }
        print(json.dumps(row))
    folder = shared_data_dir() / "passenger_messages"
    files = sorted(
        p for p in folder.rglob("*") if p.suffix in (".txt", ".edi") and p.parent != folder
    )
    travellers, started = 0, time.perf_counter()
    for path in files:
        try:
            travellers += sum(
                len(m.travellers) for m in read_passenger_data(path.read_bytes(), path.name)
            )
        except Exception:  # noqa: S112 - the one bad example is rejected on purpose
            continue
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "format": "gtas-files",
                "files": len(files),
                "passengers": travellers,
                "seconds": round(seconds, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
