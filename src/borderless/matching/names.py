"""Compare two person names across scripts and spellings, and say which tokens matched how.

`compare_names` aligns the tokens of the query with those of the candidate (see
`borderless.normalize.names` for how a name becomes tokens). Each query token is paired with at
most one candidate token, in any order, choosing the most similar pairs first. A pair may
also join two or three neighbouring tokens on one side, so "Xi Jinping" meets "Xijinping" and
"Kim Jong Un" meets "Kim Jongun". Each pair is scored in this order:

===========  ========  ===================================================================
how          score     when
===========  ========  ===================================================================
exact        1.00      same Latin token (after transliteration)
variant      0.95      same canonical spelling (Mohammed / Muhammad, Yusuf / Youssef)
phonetic     0.90      same metaphone code, or same consonant skeleton when one side comes
                       from a script that writes no vowels (Arabic, Hebrew) or unreliable
                       ones (Chinese, Korean, katakana, Cyrillic: then with spellings at
                       least 0.3 alike)
initial      0.80      "J" and "John"
fuzzy        < 0.90    the mean of edit-distance (a swap of neighbours is one edit) and
                       Jaro-Winkler similarity of the two spellings (typos), rescaled from
                       0.55..1 to 0..0.9; below 0.55 the tokens do not match at all; across
                       a script without reliable vowels, 0.85 × the edit similarity of the
                       consonant skeletons when that is higher (a quarter of it the
                       spelling's where vowels are written)
===========  ========  ===================================================================

The name score is the weighted share of the query explained by the candidate:

    score = Σ pair score × query weight / (query weight + 0.3 × unmatched candidate weight)

A query token that finds no partner costs its full weight (a wrong surname hurts); an
unmatched middle token of the query costs 0.6 of it and an unmatched candidate token 0.3
(records often carry more names than a traveller's document shows). Particles (al, bin, van)
are left out, and an initial weighs half. Pairs out of order cost a factor 0.97 (family-name
-first orders are common and legitimate). So "Mohammed Ali" vs "Mohammed Hassan" scores 0.43,
while "Mohammed Abdullah" vs "Mohammed Ahmed Abdullah" scores 0.87.

A query of two or more names with a (non-initial) name unexplained (with no
counterpart, only an initial, or, across a vowel-less script, only a fuzzy match below 0.7)
is a partial match and scores at most 0.45: "Jon Richard Wilson" vs "Richard Wilson",
"Sebastian Schmid" vs "S. Schmidt" and "Li Junjie" vs «张丽» stay below the hit threshold on
the name alone (against a large population almost every such hit is another person), while a
date of birth agreeing to the month or better can still lift them over it (the same year
alone, a circa date or a range of years cannot: in the demo world such hits were others).
When the candidate also has a name of its own left unexplained, spelled nothing like the
query's, the names conflict ("Majid Baluda" vs "Majed al-Khatib": two surnames) and the cap is
0.3: not even a full date of birth lifts that over the threshold, since a shared given name
and birth date are common among millions of people. Names spelled somewhat alike ("Maier" /
"Meyer") may be a variant no rule knows, and stay a partial match; where the two share one
name only, the rest must be spelled closer ("Fang Ma" / "Zhiming Ma" conflict).

Joining runs tokens together; a run of two names shares a consonant skeleton with many a single
word, so a joined run of Latin letters or of an abjad reading must also be spelled alike (edit
similarity at least 0.6 and 0.5): «عبد الله» 'bd allh' meets 'Abdullah', but «لیلا موسوی»
'lyla mwswy' does not meet 'Williams', nor 'Sergey Pepin' the patronymic «Сергеевна». Joined
syllables of Chinese or Korean, transcribing a foreign name ('ke lao si' for 'Krause'), are not
held to that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz.distance import OSA
from rigour.text.distance import jaro_winkler
from rigour.text.phonetics import metaphone

from borderless.normalize.names import (
    NameForm,
    Vowels,
    canonical_token,
    name_readings,
    skeleton,
)

__all__ = [
    "METHODS",
    "PARTIAL_CAP",
    "NameComparison",
    "Reason",
    "compare_names",
    "may_be_whole",
    "token_similarity",
]

METHODS = ("exact", "transliterated", "variant", "phonetic", "fuzzy", "reordered", "partial")
MIN_TOKEN_SIMILARITY = 0.55
MIN_JOINED_SIMILARITY = 0.85
# The edit similarity a joined run needs besides a shared skeleton, by how its vowels are written.
JOINED_SPELLING_MIN = {Vowels.RELIABLE: 0.6, Vowels.UNWRITTEN: 0.5, Vowels.LOOSE: 0.0}
FUZZY_CEILING = 0.9
LOOSE_SKELETON_FACTOR = 0.85
MIN_FUZZY_SCORE = 0.2
UNMATCHED_CANDIDATE_WEIGHT = 0.3
UNMATCHED_MIDDLE_WEIGHT = 0.6
INITIAL_WEIGHT = 0.5
REORDER_FACTOR = 0.97
# A query of two or more names with a name unexplained (no counterpart, only an initial, or
# a weak cross-script spelling match) is partial: its score is capped so the name alone stays
# below the hit threshold; a matching date of birth can still lift it.
PARTIAL_CAP = 0.45
# A partial name whose candidate also has a name of its own left unexplained ('Majid Baluda'
# vs 'Majed al-Khatib') conflicts: two different surnames (or given names) say another person.
# Capped so that not even a full date of birth lifts it over 0.8 (0.74 with one): otherwise
# any shared given name with a shared birth date is a hit, and in a population of millions
# such pairs are many (screening 10,000 x 10,000: about half the wrong hits were of this kind).
CONFLICT_CAP = 0.3
# ... unless the unexplained names are spelled this alike (raw `_fuzzy`, below the pair floor):
# 'Wolfgang Maier' vs 'Wolfgang Meyer' (0.68) and 'Woo' vs 'Wu' (0.47) stay partial names,
# 'Baluda' vs 'Khatib' (0.0) or 'Tan' vs 'Chen' (0.12) conflict. With 0.6, the cap cost 4
# points of recall of planted variants queried with their date (demo world of 100,000).
MAY_BE_SPELLED = 0.45
# Where the two share one name only, their own names must be spelled more alike: one shared
# name, often a common surname, says little. 'Maier' / 'Meyer' (0.68) and 'Olena' / 'Yelena'
# (0.70) stay partial; 'Fang Ma' / 'Zhiming Ma' (0.58), 'Mariam' / 'Bahram' (0.64) and 'Joshua
# Brown' / 'John Joshua Dausmann' (0.52) conflict. On the screening benchmark (100,000 x
# 100,000) partial names sharing one name and the birth day were 216 wrong hits for 1 planted.
MAY_BE_SPELLED_ONE_SHARED = 0.65
WEAK_PAIR = 0.7
# Where vowels are written but not reliably (pinyin, Hangul, Cyrillic), a shared consonant
# skeleton is 'phonetic' only with a spelling at least this alike, and the fuzzy score weighs
# the spelling by this share. Cross-script pairs (`find_quality translit`, P / R at 0.8, before
# → after): Russian 0.980 / 0.946 → 0.998 / 0.928, Chinese 0.981 / 0.432 → 0.988 / 0.406,
# Korean 0.977 / 0.626 → 0.986 / 0.588; 'Juma Leoncio' no longer meets «赵美玲» 'zhao mei ling'.
LOOSE_SPELLING_MIN = 0.3
LOOSE_SPELLING_SHARE = 0.25

_SCORES = {"exact": 1.0, "variant": 0.95, "phonetic": 0.9, "initial": 0.8}
_HOW_TEXT = {
    "exact": "same",
    "variant": "spelling variant",
    "phonetic": "sounds alike",
    "initial": "initial",
    "fuzzy": "similar spelling",
}
# Token methods from strongest to weakest; a name is as strong as its weakest pair.
_STRENGTH = ("exact", "variant", "phonetic", "fuzzy", "initial")


@dataclass(frozen=True)
class Reason:
    """One piece of an explanation: which feature, what was seen, how much it weighed."""

    feature: str
    detail: str
    weight: float


@dataclass(frozen=True)
class NameComparison:
    """The similarity of two names (0..1), how it was reached, and why.

    The reasons are written out only when asked for: a search scores hundreds of candidates
    and explains the few that become hits.
    """

    score: float
    method: str
    query: str
    candidate: str
    alignment: _Alignment | None = field(default=None, repr=False, compare=False)

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        return self.alignment.reasons() if self.alignment is not None else ()

    @property
    def partial(self) -> bool:
        """A query name is unexplained: the score is at most `PARTIAL_CAP` (`CONFLICT_CAP`
        when a name of the candidate is unexplained too)."""
        return self.alignment is not None and self.alignment.tally.partial


@dataclass(frozen=True)
class _Unit:
    """One token, or two neighbouring tokens read as one ("jin" + "ping")."""

    indices: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class _Pair:
    query: _Unit
    candidate: _Unit
    similarity: float
    how: str


@lru_cache(maxsize=262144)
def token_similarity(
    query: str, candidate: str, vowels: Vowels = Vowels.RELIABLE
) -> tuple[float, str]:
    """How alike two Latin tokens are (0..1) and how (`exact`, `variant`, ... or `none`).

    Below `Vowels.RELIABLE` (either token comes from a script whose romanisation drops or
    invents vowels: ``mhmd`` for «محمد») consonant skeletons are compared too. Where vowels
    are written at all (`Vowels.LOOSE`: pinyin, Hangul, Cyrillic), they still count: two
    consonants say little, so 'juma' is not 'zhaomei' nor 'leoncio' 'ling' (both pairs share
    a skeleton).
    """
    if query == candidate:
        return 1.0, "exact"
    if len(query) == 1 or len(candidate) == 1:
        short, long = sorted((query, candidate), key=len)
        matched = len(short) == 1 and long.startswith(short)
        return (_SCORES["initial"], "initial") if matched else (0.0, "none")
    q_canon, c_canon = canonical_token(query), canonical_token(candidate)
    if q_canon == c_canon:
        return _SCORES["variant"], "variant"
    if _sounds_alike(q_canon, c_canon, vowels):
        return _SCORES["phonetic"], "phonetic"
    raw = _fuzzy(q_canon, c_canon)
    # Rescale so that a barely similar pair ("omar"/"amir") adds almost nothing.
    share = max(0.0, raw - MIN_TOKEN_SIMILARITY) / (1 - MIN_TOKEN_SIMILARITY)
    fuzzy = FUZZY_CEILING * math.sqrt(share)
    if vowels != Vowels.RELIABLE:
        # Romanised abjads and syllabaries differ from Latin spellings in every vowel: judge
        # the consonants, which such a romanisation does carry (and, by a quarter, the
        # spelling where it carries vowels at all).
        skeletons = _edit_similarity(skeleton(q_canon), skeleton(c_canon))
        if vowels == Vowels.LOOSE:
            spelling = _edit_similarity(q_canon, c_canon)
            skeletons += LOOSE_SPELLING_SHARE * (spelling - skeletons)
        fuzzy = max(fuzzy, LOOSE_SKELETON_FACTOR * skeletons)
    if fuzzy < MIN_FUZZY_SCORE:
        return 0.0, "none"
    return round(fuzzy, 4), "fuzzy"


def _sounds_alike(query: str, candidate: str, vowels: Vowels) -> bool:
    if min(len(query), len(candidate)) < 3:
        return False
    # Skeletons and metaphone drop vowels, so "John" and "Jane" share JN: where vowels are
    # written, demand similar spellings too.
    if vowels != Vowels.RELIABLE:
        q_skel = skeleton(query)
        if (
            len(q_skel) >= 2
            and q_skel == skeleton(candidate)
            and (
                vowels == Vowels.UNWRITTEN
                or _edit_similarity(query, candidate) >= LOOSE_SPELLING_MIN
            )
        ):
            return True
    code = metaphone(query)
    if len(code) < 2 or code != metaphone(candidate):
        return False
    return _edit_similarity(query, candidate) >= 0.5


def _edit_similarity(query: str, candidate: str) -> float:
    """1 - edits / the longer length, a swap of two neighbouring letters one edit (optimal
    string alignment): 'Noai' is one slip from 'Noia', not two."""
    if not (query or candidate):
        return 0.0
    return float(OSA.normalized_similarity(query, candidate))


def _fuzzy(query: str, candidate: str) -> float:
    """Typos: the mean of edit similarity and Jaro-Winkler (which favours shared prefixes)."""
    return 0.5 * (_edit_similarity(query, candidate) + jaro_winkler(query, candidate))


# --- alignment -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _units(tokens: tuple[str, ...]) -> tuple[_Unit, ...]:
    """Each token, and each run of two or three neighbours joined ("xi jin ping")."""
    return tuple(
        _Unit(tuple(range(i, i + size)), "".join(tokens[i : i + size]))
        for size in (1, 2, 3)
        for i in range(len(tokens) - size + 1)
    )


def _candidate_pairs(query: NameForm, candidate: NameForm) -> list[_Pair]:
    vowels = _vowels(query, candidate)
    pairs: list[_Pair] = []
    c_units = _units(candidate.core_tokens)
    for q in _units(query.core_tokens):
        q_joined = len(q.indices) > 1
        for c in c_units:
            c_joined = len(c.indices) > 1
            if q_joined and c_joined:
                continue
            similarity, how = token_similarity(q.text, c.text, vowels)
            if not (q_joined or c_joined):
                if similarity >= MIN_TOKEN_SIMILARITY:
                    pairs.append(_Pair(q, c, similarity, how))
                continue
            # Two names run together share a consonant skeleton with many a single word
            # ('lylamwswy' / 'williams'; 'sergeypepin' / 'sergeevna', p and v both 'b'): their
            # spelling must be close too ('bdallh' / 'abdullah'), unless the joined side is
            # syllables, which a transcription spells unlike the word ('kelaosi' / 'krause').
            joined_form = query if q_joined else candidate
            spelled = how in {"exact", "variant"} or (
                _edit_similarity(q.text, c.text) >= JOINED_SPELLING_MIN[joined_form.vowels]
            )
            if similarity >= MIN_JOINED_SIMILARITY and spelled:
                pairs.append(_Pair(q, c, similarity, how))
    # Best pairs first; on a tie prefer single tokens over joined ones.
    pairs.sort(key=lambda p: (-p.similarity, len(p.query.indices) + len(p.candidate.indices)))
    return pairs


def _align(query: NameForm, candidate: NameForm) -> list[_Pair]:
    """Greedy best-first assignment: each token is used at most once."""
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[_Pair] = []
    for pair in _candidate_pairs(query, candidate):
        if used_q.intersection(pair.query.indices) or used_c.intersection(pair.candidate.indices):
            continue
        chosen.append(pair)
        used_q.update(pair.query.indices)
        used_c.update(pair.candidate.indices)
    chosen.sort(key=lambda p: p.query.indices[0])
    return chosen


def _query_weight(token: str) -> float:
    return INITIAL_WEIGHT if len(token) == 1 else 1.0


def _reordered(pairs: list[_Pair]) -> bool:
    positions = [p.candidate.indices[0] for p in pairs]
    return positions != sorted(positions)


def _vowels(query: NameForm, candidate: NameForm) -> Vowels:
    """How far the two names' vowels can be trusted: as far as the looser one's."""
    return max(query.vowels, candidate.vowels)


def _may_be_spelled(token: str, others: list[str], alike: float) -> bool:
    """Whether `token` may be one of `others` spelled in a way no rule knows ('maier' /
    'meyer', 'olena' / 'yelena', 'bhatt' / 'butt'), or `others` is empty: not a conflict."""
    canon = canonical_token(token)
    return not others or any(_fuzzy(canon, canonical_token(other)) >= alike for other in others)


def _conflicts(
    q_tokens: tuple[str, ...], matched: set[int], unexplained: list[int], own: list[str]
) -> bool:
    """Whether a partial name's unexplained query names contradict the candidate's `own`
    unexplained names: spelled too unlike them, and more so when only one name is shared."""
    explained = {i for i in matched if len(q_tokens[i]) > 1} - set(unexplained)
    alike = MAY_BE_SPELLED if len(explained) > 1 else MAY_BE_SPELLED_ONE_SHARED
    return any(not _may_be_spelled(q_tokens[i], own, alike) for i in unexplained)


def _explains(similarity: float, how: str, vowels: Vowels) -> bool:
    """Whether a pair explains its query name: not an initial for a full name, and not only a
    weak fuzzy spelling across a script without reliable vowels."""
    loose = vowels != Vowels.RELIABLE
    return how != "initial" and not (loose and how == "fuzzy" and similarity < WEAK_PAIR)


@dataclass(frozen=True)
class _Tally:
    score: float
    unmatched_query: int
    reordered: bool
    partial: bool  # a query name unexplained (no counterpart, an initial, a weak pair)
    cap: float  # PARTIAL_CAP, or CONFLICT_CAP when a candidate name is unexplained too
    capped: bool  # partial, and the score was cut to `cap`
    gains: tuple[float, ...]
    total: float
    missing_cost: dict[int, float]
    extra_cost: dict[int, float]
    unexplained: tuple[int, ...]
    uncapped: float


def _tally(query: NameForm, candidate: NameForm, pairs: list[_Pair]) -> _Tally:
    q_tokens, c_tokens = query.core_tokens, candidate.core_tokens
    matched_q = {i for p in pairs for i in p.query.indices}
    matched_c = {i for p in pairs for i in p.candidate.indices}
    missing = [i for i in range(len(q_tokens)) if i not in matched_q]
    extra = [i for i in range(len(c_tokens)) if i not in matched_c]
    last = len(q_tokens) - 1
    missing_cost = {
        i: _query_weight(q_tokens[i]) * (UNMATCHED_MIDDLE_WEIGHT if 0 < i < last else 1.0)
        for i in missing
    }
    extra_cost = {i: UNMATCHED_CANDIDATE_WEIGHT * _query_weight(c_tokens[i]) for i in extra}
    gains = tuple(
        p.similarity * sum(_query_weight(q_tokens[i]) for i in p.query.indices) for p in pairs
    )
    matched_weight = sum(_query_weight(q_tokens[i]) for i in matched_q)
    total = matched_weight + sum(missing_cost.values()) + sum(extra_cost.values())
    reordered = _reordered(pairs)
    score = (sum(gains) / total if total else 0.0) * (REORDER_FACTOR if reordered else 1.0)
    vowels = _vowels(query, candidate)
    weak = [p for p in pairs if not _explains(p.similarity, p.how, vowels)]
    unexplained = [i for i in missing if len(q_tokens[i]) > 1]
    unexplained += [i for p in weak for i in p.query.indices if len(q_tokens[i]) > 1]
    partial = len(q_tokens) > 1 and bool(unexplained)
    own = [c_tokens[i] for i in extra if len(c_tokens[i]) > 1]
    conflict = partial and _conflicts(q_tokens, matched_q, unexplained, own)
    cap = CONFLICT_CAP if conflict else PARTIAL_CAP
    capped = partial and score > cap
    return _Tally(
        score=min(1.0, cap if capped else score),
        unmatched_query=len(missing),
        reordered=reordered,
        partial=partial,
        cap=cap,
        capped=capped,
        gains=gains,
        total=total,
        missing_cost=missing_cost,
        extra_cost=extra_cost,
        unexplained=tuple(sorted(set(unexplained))),
        uncapped=score,
    )


@dataclass(frozen=True)
class _Alignment:
    """What a comparison found, kept so that it can explain itself on demand."""

    query: NameForm
    candidate: NameForm
    pairs: list[_Pair]
    tally: _Tally

    def reasons(self) -> tuple[Reason, ...]:
        q_tokens, c_tokens = self.query.core_tokens, self.candidate.core_tokens
        tally, total = self.tally, self.tally.total
        reasons = [*_reading(self.query), *_reading(self.candidate)]
        reasons += [
            Reason("name", _pair_text(p), round(gain / total, 3))
            for p, gain in zip(self.pairs, tally.gains, strict=True)
        ]
        reasons += [
            Reason(
                "name", f"'{q_tokens[i]}' has no counterpart in the candidate", -round(c / total, 3)
            )
            for i, c in tally.missing_cost.items()
        ]
        reasons += [
            Reason(
                "name", f"'{c_tokens[i]}' only in the candidate (extra name)", -round(c / total, 3)
            )
            for i, c in tally.extra_cost.items()
        ]
        if tally.reordered:
            reasons.append(
                Reason("name", "tokens in a different order", -round(1 - REORDER_FACTOR, 3))
            )
        if tally.capped:
            names = ", ".join(f"'{q_tokens[i]}'" for i in tally.unexplained)
            cut = -round(tally.uncapped - tally.cap, 3)
            what = "partial name" if tally.cap == PARTIAL_CAP else "conflicting names"
            reasons.append(Reason("name", f"{names} not matched well: {what}", cut))
        return tuple(reasons)


def _pair_text(pair: _Pair) -> str:
    q, c = pair.query, pair.candidate
    sign = "=" if pair.how == "exact" else "≈"
    joined = " (joined)" if len(q.indices) + len(c.indices) > 2 else ""
    return f"'{q.text}' {sign} '{c.text}' ({_HOW_TEXT[pair.how]}{joined}, {pair.similarity:.2f})"


def _method(query: NameForm, candidate: NameForm, pairs: list[_Pair], tally: _Tally) -> str:
    if not pairs:
        return "none"
    weakest = max((p.how for p in pairs), key=_STRENGTH.index)
    if tally.unmatched_query or tally.capped or weakest == "initial":
        return "partial"
    if weakest == "exact":
        if tally.reordered:
            return "reordered"
        return "transliterated" if query.script != candidate.script else "exact"
    return weakest


def _reading(form: NameForm) -> list[Reason]:
    """Say how a name in another script was read, so the officer can check it."""
    if form.script in {"Latn", "Zyyy"} or not form.latin:
        return []
    return [Reason("name", f"«{form.original}» ({form.script}) read as '{form.latin}'", 0.0)]


@lru_cache(maxsize=8192)  # a few searches' worth: enough for the namesakes within each
def compare_names(query: str, candidate: str) -> NameComparison:
    """Compare two names in any scripts; the score is in [0, 1] and every pair is explained.

    A name the script leaves open (Han characters: Chinese or Japanese) is compared in each of
    its readings, and the best reading counts. Cached: the candidates of one search repeat
    names (namesakes, shared aliases), and a comparison is immutable.
    """
    best: NameComparison | None = None
    for q_form in name_readings(query):
        for c_form in name_readings(candidate):
            result = _compare_forms(query, candidate, q_form, c_form)
            if best is None or result.score > best.score:
                best = result
    assert best is not None  # every name has at least one reading
    return best


@lru_cache(maxsize=65536)
def may_be_whole(query: str, candidate: str) -> bool:
    """False when `compare_names(query, candidate)` is certainly partial, so scores at most
    `PARTIAL_CAP`: in every reading, some name of the query has no token or joined run in the
    candidate that could explain it.

    Far cheaper than the comparison (no alignment, single tokens first). Most candidates of a
    search share one name part with the query and lack another; when only a whole name can
    make the hit (no date to lift a partial one), the search skips them with this.
    """
    return any(
        _may_be_whole(q_form, c_form)
        for q_form in name_readings(query)
        for c_form in name_readings(candidate)
    )


def _may_be_whole(query: NameForm, candidate: NameForm) -> bool:
    if not query.tokens or not candidate.tokens:
        return False  # compares as 0
    q_tokens = query.core_tokens
    if len(q_tokens) < 2:
        return True  # the partial cap applies to queries of two or more names
    vowels = _vowels(query, candidate)
    c_units = _units(candidate.core_tokens)
    q_units = _units(q_tokens)

    def explained(q: _Unit, c: _Unit, floor: float) -> bool:
        similarity, how = token_similarity(q.text, c.text, vowels)
        return similarity >= floor and _explains(similarity, how, vowels)

    c_single = [c for c in c_units if len(c.indices) == 1]
    c_joined = [c for c in c_units if len(c.indices) > 1]
    for i, token in enumerate(q_tokens):
        if len(token) == 1:
            continue  # an initial is never unexplained
        single = q_units[i]
        if any(explained(single, c, MIN_TOKEN_SIMILARITY) for c in c_single):
            continue
        # A joined run on one side needs MIN_JOINED_SIMILARITY (its spelling check is left
        # out: that only removes pairs, so leaving it out keeps this a bound).
        runs = [(q, c) for q in q_units if len(q.indices) > 1 and i in q.indices for c in c_single]
        runs += [(single, c) for c in c_joined]
        if not any(explained(q, c, MIN_JOINED_SIMILARITY) for q, c in runs):
            return False
    return True


def _compare_forms(
    query: str, candidate: str, q_form: NameForm, c_form: NameForm
) -> NameComparison:
    if not q_form.tokens or not c_form.tokens:
        return NameComparison(0.0, "none", query, candidate)
    pairs = _align(q_form, c_form)
    tally = _tally(q_form, c_form, pairs)
    method = _method(q_form, c_form, pairs, tally)
    alignment = _Alignment(q_form, c_form, pairs, tally)
    return NameComparison(round(tally.score, 4), method, query, candidate, alignment)
