"""Compare two names or person descriptions with exactly the scoring frontline search uses.

Analysts ask "why did (or didn't) this match?"; deployments tune their threshold on their own
labelled pairs (`borderless match --pairs FILE`, which reports precision, recall and F1 when
the pairs carry a label).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from borderless.domain.codes import Gender
from borderless.domain.records import BirthDate, Country, Name, PartialDate, PersonBody
from borderless.errors import FormatError
from borderless.formats.validation import describe_validation_error
from borderless.matching.person import DEFAULT_THRESHOLD, PersonQuery, score_person


class PersonSide(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=500)
    birth_date: PartialDate | None = None
    nationality: Country | None = None
    gender: Gender | None = None


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    a: PersonSide
    b: PersonSide
    threshold: float | None = Field(default=None, ge=0, le=1)
    # Records sharing side a's name, as a search counts them in its index (`namesakes` in a
    # hit's reasons): 1, a name nobody else has, unless told.
    namesakes: int = Field(default=1, ge=1)


class MatchResponse(BaseModel):
    score: float
    match: bool
    threshold: float
    best_name: str
    reasons: list[str]


def compare(request: MatchRequest) -> MatchResponse:
    """Side `a` is the query, side `b` the record — as in a search."""
    threshold = request.threshold if request.threshold is not None else DEFAULT_THRESHOLD
    query = PersonQuery(
        name=request.a.name,
        birth_date=request.a.birth_date,
        nationality=request.a.nationality,
        gender=request.a.gender,
        namesakes=request.namesakes,
    )
    record = PersonBody(
        names=[Name(full=request.b.name)],
        birth_dates=[BirthDate(date=request.b.birth_date)] if request.b.birth_date else [],
        nationalities=[request.b.nationality] if request.b.nationality else [],
        gender=request.b.gender or Gender.UNKNOWN,
    )
    result = score_person(query, record)
    return MatchResponse(
        score=round(result.score, 4),
        match=result.score >= threshold,
        threshold=threshold,
        best_name=result.best_name,
        reasons=[r.detail for r in result.reasons],
    )


@dataclass(frozen=True)
class LabelledScore:
    line: int
    request: MatchRequest
    response: MatchResponse
    label: bool | None


_TRUE = {"1", "true", "yes", "match", "same"}
_FALSE = {"0", "false", "no", "nomatch", "different"}


def _label(value: object, path: Path, line: int) -> bool | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FormatError(path, f"line {line}", f"label {value!r}: expected 1/0, true/false")


def _rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """CSV with a header (name_a, name_b, dob_a, dob_b, label, namesakes, ...) or JSON Lines
    objects."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for number, raw in enumerate(text.splitlines(), 1):
            if raw.strip():
                try:
                    data = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    raise FormatError(path, f"line {number}", f"invalid JSON: {exc}") from None
                if not isinstance(data, dict):
                    raise FormatError(path, f"line {number}", "expected a JSON object")
                yield number, data
        return
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, 2):
        yield number, dict(row)


_SIDES = {"name": "name", "dob": "birth_date", "nationality": "nationality", "gender": "gender"}


def score_pairs(path: Path) -> Iterator[LabelledScore]:
    for number, row in _rows(path):
        sides: dict[str, object] = {
            side: {
                field: row[f"{key}_{side}"]
                for key, field in _SIDES.items()
                if row.get(f"{key}_{side}") not in (None, "")
            }
            for side in ("a", "b")
        }
        if row.get("namesakes") not in (None, ""):
            sides["namesakes"] = row["namesakes"]
        try:
            request = MatchRequest.model_validate(sides)
        except ValidationError as exc:
            raise FormatError(path, f"line {number}", describe_validation_error(exc)) from None
        yield LabelledScore(
            number, request, compare(request), _label(row.get("label"), path, number)
        )


@dataclass(frozen=True)
class PairQuality:
    pairs: int
    labelled: int
    precision: float
    recall: float
    f1: float


def quality(scores: list[LabelledScore]) -> PairQuality:
    labelled = [s for s in scores if s.label is not None]
    tp = sum(1 for s in labelled if s.label and s.response.match)
    fp = sum(1 for s in labelled if not s.label and s.response.match)
    fn = sum(1 for s in labelled if s.label and not s.response.match)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairQuality(len(scores), len(labelled), precision, recall, f1)
