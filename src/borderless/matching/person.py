"""Score a queried person against a stored one: one calibrated number, and the reasons.

The score is a logistic function of weighted evidence:

    logit = BIAS + W_NAME × name + W_DOB_SUPPORT × max(dob, 0) + W_DOB_CONTRADICT × min(dob, 0)
            + nationality and gender terms (same: +, different: −, unknown: 0)
    score = 1 / (1 + exp(−logit))

* ``name`` is the best `compare_names` score over the record's names (primary, aliases,
  names in the original script); a low-quality ("weak") alias counts ×0.9.
* ``dob`` is `compare_birth_dates` in [-1, 1].

**Calibration.** All weights come from one logistic regression
(`benchmarks/fit_name_weights.py`) on 27,316 labelled examples built from real data: 2,000
cross-script positives per script from the Wikidata transliteration pairs (Arabic, Russian,
Chinese, Hebrew, Korean; a Latin name token vs the same name in the native script) with as
many shuffled negatives; 3,038 same-person alias pairs from the UN Security Council list with
as many pairs of *different* listed people that share a retrieval key (hard negatives, as a
screening index returns them); and 620 UN individuals queried by one of their aliases with
their own date of birth, nationality and gender (each withheld at random, 5 % of dates
replaced to stand for clerical errors), against themselves and against a key-sharing other
individual. Gender mismatches were too rare to fit; that weight is hand-set (see below).

**What 0.8 means.** Among the 26,076 labelled name pairs (half same person, half not), 97.4 %
of those scoring 0.8 or more are the same person (recall 68 %; at 0.7: 95.9 %, at 0.9: 99.6 %).
With a name alone, 0.8 needs a name score of at least 0.54: every query token matched by a
spelling variant or better; "Mohammed Ali" vs "Mohammed Hassan" (0.43) stays below.
`DEFAULT_THRESHOLD` is 0.8, the lowest round value whose precision passes 0.95 with a margin.
A matching full date of birth adds 0.88 to the logit, a date years apart subtracts 3.0
(hand-set, see below), a different nationality 1.08. A query of two or more names with a name
left unexplained (no counterpart, only an initial, or only a weak fuzzy match across scripts)
scores at most 0.45 (`names.PARTIAL_CAP`, 0.72 on the name alone): such a hit needs a date
agreeing to the month or better (0.84 with the month, 0.86 with the full date; the year
alone gives 0.798); when the candidate's own names conflict with the query's, at most 0.3
(`names.CONFLICT_CAP`: 0.74 even with the full date). A shared nationality or gender counts
for a whole name only: nearly every candidate of a national list shares them, and with them
'Vijay Reddi' 1945-05-30 hit 'Pooja Reddi' 1948-05-30 (one year digit apart). Where they
differ they count against any name.

**Namesakes.** The labelled pairs hold names few people share. In a population, a match on a
name that `namesakes` records share is that many times likelier to be chance, so it subtracts
ln(namesakes) from the logit (`W_NAMESAKES`, as Splink's term-frequency adjustment), scaled by
how far the date falls short of singling the person out: in full for a date that differs or
is missing on record, by half for the same year, not at all for the same full date; not when
no date was asked. 'Tsehay Tesfaye' with a birth date one digit off a listed namesake's scores
0.97 when nobody else has the name and 0.43 when forty records do (nationality and gender
agreeing). On the screening benchmark (100,000 × 100,000, Wikidata surnames) this raised
precision from 0.55 to 0.74 for recall 0.982 → 0.973 (docs/benchmarks.md); a weight of 0.5
or 0.75 kept less of the gain (0.64, 0.71) for little recall (0.980, 0.974).

**In a population.** Against the 20,000-person demo world (`benchmarks.find_quality world
--limit 400`), identical and near-identical names of *different* people are common. With the
partial-name cap and the date weight above, a name with a full date of birth returns 1.74 person
hits per query at precision 0.53 (before: 5.6, 0.16) and finds the planted record as often as
before (recall 0.90); a name alone returns 6.0 hits at precision 0.14 (before: 12.8, 0.07) and
recall 0.81 (before: 0.85). Most wrong hits left on a name alone are people with the same
name or a spelling variant of it, which only a date or another feature can tell apart.

Per script at 0.8 (2,000 positives and 2,000 shuffled negatives each; precision / recall / F1):
Arabic 0.970 / 0.927 / 0.948, Hebrew 0.968 / 0.946 / 0.957, Russian 0.981 / 0.938 / 0.959,
Korean 0.977 / 0.633 / 0.768, Chinese 0.971 / 0.435 / 0.601; UN aliases (hard negatives)
0.979 / 0.348 (0.966 / 0.472 before the partial-name cap). Most translit pairs are *foreign*
names written in the native script ("Krause" → 克劳斯 "ke lao si"); Chinese and Korean
transcriptions of those are too lossy for spelling-based matching, and UN aliases are often
other names altogether ("Haji Mudir").

These numbers hold for the labelled set; real screening has a far lower base rate of true
matches, so a hit at 0.8 is a lead for a person to check, never a decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from borderless.domain.codes import AliasKind, Gender
from borderless.domain.records import PersonBody
from borderless.matching.dates import FAR, DateComparison, compare_birth_dates
from borderless.matching.names import (
    PARTIAL_CAP,
    NameComparison,
    Reason,
    compare_names,
    may_be_whole,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "PersonMatch",
    "PersonQuery",
    "far_dates_rule_out",
    "name_probability",
    "person_hit",
    "score_person",
]

# Fitted by `python -m benchmarks.fit_name_weights` (seed 7, 2,000 pairs per script; logistic
# regression, Newton's method, L2 = 1e-3); see the module docstring for the labelled set.
# Re-fitting after the partial-name cap gave nearly the same weights (BIAS -1.387, W_NAME
# 5.223, W_DOB_SUPPORT 0.926, W_DOB_CONTRADICT 1.498), so these were kept.
BIAS = -1.394
W_NAME = 5.171
W_DOB_SUPPORT = 0.878
# Hand-set (fitted: 1.496). The UN hard negatives seldom share a whole name, so the fit saw
# few cases where only the date tells two people apart; in a realistic population many people
# share a name. 3.0 puts an exact name with a date years apart (dob -1) below 0.8 even when
# nationality and gender agree (0.79; 0.68 without them): a compatriot namesake born decades
# apart is another person (2.5 let him through at 0.86 — every traveller states both). A one-
# digit typo in a full date (dob -0.3) still hits on an exact name (0.95).
W_DOB_CONTRADICT = 3.0
W_NATIONALITY_SAME = 0.407
W_NATIONALITY_DIFFERENT = -1.077
W_GENDER_SAME = 0.136
# Hand-set: the UN list gave almost no gender contradictions to fit on (fitted: -0.007). A
# stated gender that differs is real evidence against, but records get it wrong: -1.0 halves
# the odds roughly three times over, without vetoing a strong name and date match.
W_GENDER_DIFFERENT = -1.0
# Hand-set, the natural weight of a frequency: each record that shares the queried name divides
# the odds by one more, as in Splink's term-frequency adjustment (see `_namesakes`).
W_NAMESAKES = 1.0
WEAK_ALIAS_FACTOR = 0.9
DEFAULT_THRESHOLD = 0.8
# Scores are rounded to 4 places: a partial name this close to the threshold is still compared.
_ROUNDING = 1e-3


@dataclass(frozen=True)
class PersonQuery:
    """What an officer knows about a traveller or suspect."""

    name: str
    birth_date: str | None = None
    nationality: str | None = None  # ISO 3166 alpha-3
    gender: Gender | None = None
    # How many records the caller may find share this name (`index.keys.count_namesakes`):
    # a statistic the search adds to what the officer typed; 1 when unknown.
    namesakes: int = 1


@dataclass(frozen=True)
class PersonMatch:
    """A calibrated score in [0, 1], the name that matched best, and the reasons (on demand)."""

    score: float
    best_name: str
    name: NameComparison = field(repr=False, compare=False)
    name_score: float = field(repr=False, compare=False)
    dob: DateComparison = field(repr=False, compare=False)
    dob_weight: float = field(repr=False, compare=False)
    others: tuple[Reason, ...] = field(repr=False, compare=False)

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        summary = Reason(
            "name",
            f"best name '{self.name.candidate}' ({self.name.method}, {self.name_score:.2f})",
            round(W_NAME * self.name_score + BIAS, 3),
        )
        dob_reasons = tuple(
            Reason(r.feature, r.detail, round(self.dob_weight * r.weight, 3))
            for r in self.dob.reasons
        )
        return (summary, *self.name.reasons, *dob_reasons, *self.others)


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))


def _logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


def name_probability(name_score: float) -> float:
    """The calibrated score of a name comparison alone (no date, nationality or gender)."""
    return _sigmoid(BIAS + W_NAME * name_score)


def far_dates_rule_out(threshold: float) -> bool:
    """Whether two full dates of birth that no clerical error explains keep a pair below
    `threshold` even with identical names and agreeing nationality and gender — so that bulk
    screening need not load or score such pairs (true at the default threshold: 0.79)."""
    best = BIAS + W_DOB_CONTRADICT * FAR + W_NAME + W_NATIONALITY_SAME + W_GENDER_SAME
    return _sigmoid(best) < threshold


def _best_name(
    query: str, candidate: PersonBody, whole_only: bool = False
) -> tuple[NameComparison, float] | None:
    """The best-scoring name, weak aliases discounted. With `whole_only` (a partial name
    cannot make the hit), names that `may_be_whole` rules out are skipped: None if all are."""
    best: tuple[NameComparison, float] | None = None
    for name in candidate.names:
        if whole_only and not may_be_whole(query, name.full):
            continue
        comparison = compare_names(query, name.full)
        factor = WEAK_ALIAS_FACTOR if name.kind == AliasKind.WEAK else 1.0
        if best is None or comparison.score * factor > best[1]:
            best = (comparison, comparison.score * factor)
    return best


def _nationality(query: str | None, candidate: PersonBody) -> tuple[float, Reason | None]:
    if not query or not candidate.nationalities:
        return 0.0, None
    listed = ", ".join(candidate.nationalities)
    if query in candidate.nationalities:
        return W_NATIONALITY_SAME, Reason("nationality", f"{query} listed", W_NATIONALITY_SAME)
    detail = f"{query} not among {listed}"
    return W_NATIONALITY_DIFFERENT, Reason("nationality", detail, W_NATIONALITY_DIFFERENT)


def _gender(query: Gender | None, candidate: PersonBody) -> tuple[float, Reason | None]:
    known = {Gender.MALE, Gender.FEMALE}
    if query not in known or candidate.gender not in known:
        return 0.0, None
    if query == candidate.gender:
        return W_GENDER_SAME, Reason("gender", f"both {query.value}", W_GENDER_SAME)
    detail = f"queried {query.value}, stored {candidate.gender.value}"
    return W_GENDER_DIFFERENT, Reason("gender", detail, W_GENDER_DIFFERENT)


def person_features(query: PersonQuery, candidate: PersonBody) -> tuple[float, float]:
    """(best weighted name score, birth-date evidence) — the inputs the weights were fit on."""
    best = _best_name(query.name, candidate)
    assert best is not None  # a PersonBody has at least one name
    dob = compare_birth_dates(query.birth_date, candidate.birth_dates)
    return best[1], dob.score


@dataclass(frozen=True)
class _Evidence:
    """Everything but the name: cheap to weigh, so it is weighed first."""

    dob: DateComparison
    dob_weight: float
    logit: float  # BIAS, the date, and nationality and gender where they contradict
    support: float  # nationality and gender where they agree: they count for a whole name only
    others: tuple[Reason, ...]

    def others_for(self, partial: bool) -> tuple[Reason, ...]:
        if not partial or not self.support:
            return self.others
        return tuple(
            Reason(r.feature, f"{r.detail} (not counted: partial name)", 0.0) if r.weight > 0 else r
            for r in self.others
        )


def _namesakes(query: PersonQuery, dob: DateComparison) -> tuple[float, Reason | None]:
    """A common name says less about who is meant, unless the date of birth singles him out.

    The weights were fitted on names that few people share; with `namesakes` records sharing
    the queried name, a name match is that many times likelier to be chance. The term counts
    in full when the date was asked and does not agree (a one-digit typo, another day, no
    date on record), in part as it agrees, not at all for the same full date (one day in
    ~25,000: namesakes do not share it). With no date asked, every namesake stays a lead the
    officer can only tell apart by asking for one.
    """
    if query.namesakes <= 1 or query.birth_date is None:
        return 0.0, None
    weight = -W_NAMESAKES * math.log(query.namesakes) * (1.0 - max(dob.score, 0.0))
    if weight == 0.0:
        return 0.0, None
    detail = f"{query.namesakes} records share this name and the date does not single one out"
    return weight, Reason("namesakes", detail, round(weight, 3))


def _evidence(query: PersonQuery, candidate: PersonBody) -> _Evidence:
    dob = compare_birth_dates(query.birth_date, candidate.birth_dates)
    dob_weight = W_DOB_SUPPORT if dob.score > 0 else W_DOB_CONTRADICT
    found = [
        _nationality(query.nationality, candidate),
        _gender(query.gender, candidate),
        _namesakes(query, dob),
    ]
    return _Evidence(
        dob=dob,
        dob_weight=dob_weight,
        logit=BIAS + dob_weight * dob.score + sum(min(weight, 0.0) for weight, _ in found),
        support=sum(max(weight, 0.0) for weight, _ in found),
        others=tuple(reason for _, reason in found if reason is not None),
    )


def _match(evidence: _Evidence, comparison: NameComparison, name_score: float) -> PersonMatch:
    partial = comparison.partial
    logit = evidence.logit + (0.0 if partial else evidence.support) + W_NAME * name_score
    return PersonMatch(
        score=round(_sigmoid(logit), 4),
        best_name=comparison.candidate,
        name=comparison,
        name_score=name_score,
        dob=evidence.dob,
        dob_weight=evidence.dob_weight,
        others=evidence.others_for(partial),
    )


def score_person(query: PersonQuery, candidate: PersonBody) -> PersonMatch:
    """Calibrated same-person score of `candidate` for `query`, explained feature by feature."""
    evidence = _evidence(query, candidate)
    best = _best_name(query.name, candidate)
    assert best is not None  # a PersonBody has at least one name
    return _match(evidence, *best)


def person_hit(query: PersonQuery, candidate: PersonBody, threshold: float) -> PersonMatch | None:
    """`score_person` when it reaches `threshold`, else None — without comparing the names when
    not even an identical name could reach it (a date of birth years apart, say).

    A search scores hundreds of candidates and most share only a common name part with the
    query; the date, nationality and gender terms are cheap and often settle the question.
    When they leave the hit to a whole name (a partial one is capped below what is needed), a
    name that `may_be_whole` rules out is not compared either.
    """
    evidence = _evidence(query, candidate)
    if _sigmoid(evidence.logit + evidence.support + W_NAME) < threshold:
        return None
    # A partial name scores at most PARTIAL_CAP, and nationality and gender do not lift it.
    partial_logit = evidence.logit + W_NAME * (PARTIAL_CAP + _ROUNDING)
    whole_only = 0 < threshold < 1 and partial_logit < _logit(threshold)
    best = _best_name(query.name, candidate, whole_only)
    if best is None:
        return None
    match = _match(evidence, *best)
    return match if match.score >= threshold else None
