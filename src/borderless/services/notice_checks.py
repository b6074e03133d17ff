"""Automated compliance checks a reviewer sees before a notice is published.

Three kinds: required fields (an error blocks publication), data quality (warnings), and
neutrality flags — a possible political, military, religious or racial character, each with
the words or facts that raised it (INTERPOL's Article 3 review works the same way). Flags do not
decide anything: a person reviews them. The word lists are deliberately short and explicit so a
reviewer can see exactly why a flag was raised; they cover English and a few common terms in
French, German and Spanish.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from borderless.domain.codes import NoticeKind
from borderless.domain.records import NoticeBody, PersonBody

Level = Literal["ok", "warning", "flag", "error"]

NEUTRALITY_TERMS: dict[str, tuple[str, ...]] = {
    "political": (
        "political",
        "politician",
        "opposition",
        "dissident",
        "protest",
        "demonstration",
        "election",
        "party member",
        "regime",
        "insulting the president",
        "lese majeste",
        "separatist",
        "journalist",
        "activist",
        "coup",
        "treason",
        "sedition",
        "politique",
        "politisch",
    ),
    "military": (
        "desertion",
        "deserter",
        "military service",
        "conscription",
        "draft evasion",
        "insubordination",
        "mutiny",
        "military court",
        "court martial",
        "fahnenflucht",
        "wehrdienst",
        "désertion",
        "deserción",
    ),
    "religious": (
        "blasphemy",
        "apostasy",
        "apostate",
        "heresy",
        "proselytism",
        "proselytising",
        "religious",
        "sacrilege",
        "insulting religion",
        "conversion",
        "blasphème",
        "gotteslästerung",
        "blasfemia",
    ),
    "racial": (
        "race",
        "racial",
        "ethnic",
        "ethnicity",
        "tribe",
        "tribal",
        "skin colour",
        "skin color",
        "raza",
        "rasse",
    ),
}

_PATTERNS = {
    category: re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)
    for category, terms in NEUTRALITY_TERMS.items()
}

# Kinds that name a person to act on; they need a subject and what the person is accused of.
_NEEDS_SUBJECT = {NoticeKind.RED, NoticeKind.YELLOW, NoticeKind.BLUE, NoticeKind.GREEN}
_NEEDS_OFFENCES = {NoticeKind.RED, NoticeKind.BLUE, NoticeKind.GREEN}
_NEEDS_LEGAL_BASIS = {NoticeKind.RED, NoticeKind.UNSC}


@dataclass(frozen=True)
class Check:
    name: str  # "required:<field>", "quality:<what>", "neutrality:<category>"
    level: Level
    detail: str
    evidence: list[str] = field(default_factory=list)  # the words or facts that raised it


def _texts(body: NoticeBody, subject: PersonBody | None) -> list[tuple[str, str]]:
    """(where, text) pairs a reviewer would read."""
    found = [("requested_action", body.requested_action)]
    found += [(f"offences[{i}]", o) for i, o in enumerate(body.offences)]
    if body.legal_basis:
        found.append(("legal_basis", body.legal_basis))
    if subject is not None and subject.remarks:
        found.append(("subject.remarks", subject.remarks))
    return found


def _required(body: NoticeBody) -> list[Check]:
    missing = []
    kind = body.notice_kind
    if kind in _NEEDS_SUBJECT and not (body.subject_id or body.subject_name):
        missing.append(("subject_id", f"a {kind.value} notice names its subject"))
    if kind in _NEEDS_OFFENCES and not body.offences:
        missing.append(("offences", f"a {kind.value} notice states the offences"))
    if kind in _NEEDS_LEGAL_BASIS and not body.legal_basis:
        missing.append(("legal_basis", f"a {kind.value} notice cites a warrant or resolution"))
    return [Check(f"required:{name}", "error", why) for name, why in missing]


def _quality(body: NoticeBody, subject: PersonBody | None) -> list[Check]:
    checks = []
    if body.subject_id and subject is None:
        checks.append(
            Check(
                "quality:subject",
                "warning",
                f"subject record {body.subject_id} could not be read as a person",
            )
        )
    if subject is not None:
        if body.notice_kind == NoticeKind.RED and not subject.birth_dates:
            checks.append(
                Check(
                    "quality:identifiers",
                    "warning",
                    "a red notice subject without a date of birth is hard to identify",
                    ["no birth date on the subject record"],
                )
            )
        if not subject.nationalities:
            checks.append(
                Check("quality:nationality", "warning", "the subject has no nationality recorded")
            )
    if len(body.requested_action.strip()) < 15:
        checks.append(
            Check(
                "quality:requested_action",
                "warning",
                "the requested action is too short to tell an officer what to do",
                [repr(body.requested_action)],
            )
        )
    vague = [o for o in body.offences if len(o.strip()) < 4]
    if vague:
        checks.append(
            Check("quality:offences", "warning", "offences should be named in words", vague)
        )
    return checks


def _neutrality(body: NoticeBody, subject: PersonBody | None) -> list[Check]:
    checks = []
    texts = _texts(body, subject)
    for category, pattern in _PATTERNS.items():
        evidence = [
            f'{where}: "{match.group(0)}"'
            for where, text in texts
            for match in pattern.finditer(text)
        ]
        if evidence:
            checks.append(
                Check(
                    f"neutrality:{category}",
                    "flag",
                    f"possible {category} character: a reviewer must decide",
                    evidence,
                )
            )
    return checks


def run_checks(body: NoticeBody, subject: PersonBody | None) -> list[Check]:
    """Every check on a notice, errors first; an empty error list means it may be published."""
    found = _required(body) + _quality(body, subject) + _neutrality(body, subject)
    if not found:
        found = [Check("all", "ok", "no missing fields, quality problems or neutrality flags")]
    order = {"error": 0, "flag": 1, "warning": 2, "ok": 3}
    return sorted(found, key=lambda c: (order[c.level], c.name))


def as_json(checks: list[Check]) -> list[dict[str, Any]]:
    return [asdict(c) for c in checks]


def blocking(checks: list[dict[str, Any]]) -> list[str]:
    return [c["detail"] for c in checks if c["level"] == "error"]
