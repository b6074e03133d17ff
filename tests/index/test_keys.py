"""Blocking keys: name keys by part, and name keys dated with a stated year of birth."""

from __future__ import annotations

from borderless.domain.records import BirthDate, Name, PersonBody
from borderless.index.keys import (
    PAIR_PART,
    WHOLE_NAME_PART,
    body_keys,
    count_namesakes,
    name_key_parts,
    names_keys,
    pair_keys,
    person_key_parts,
    year_keys,
)


def test_each_name_key_says_which_part_of_the_name_it_comes_from() -> None:
    parts = dict(name_key_parts("Karim al-Haddad"))
    by_part = {p: {k for k, q in parts.items() if q == p} for p in set(parts.values())}
    assert set(by_part) == {0, 2, WHOLE_NAME_PART, PAIR_PART}  # "al" is a particle: no keys
    assert by_part[0] == names_keys(["Karim"])
    assert by_part[2] == names_keys(["Haddad"])
    assert by_part[PAIR_PART] == pair_keys(["Haddad Karim"])  # either order
    assert set(parts) == body_keys(PersonBody(names=[Name(full="Karim al-Haddad")]))


def test_a_stated_year_of_birth_dates_the_name_keys_but_a_vague_one_does_not() -> None:
    name = [Name(full="Anna Bosch")]
    exact = body_keys(PersonBody(names=name, birth_dates=[BirthDate(date="1966-05-17")]))
    circa = body_keys(PersonBody(names=name, birth_dates=[BirthDate(date="1966", circa=True)]))
    ranged = body_keys(PersonBody(names=name, birth_dates=[BirthDate(earliest="1960")]))
    dated = {k for k in exact if k.startswith("ny:")}
    assert dated == year_keys(exact, "1966")
    assert "ny:1966:t:anna" in dated  # a short name, keyed by its token
    assert not any(k.startswith("ny:") for k in circa | ranged)


def test_pair_keys_meet_across_scripts_and_stay_apart_for_other_given_names() -> None:
    assert pair_keys(["Mohammed Abdullah"]) & pair_keys(["محمد عبد الله"])
    assert not pair_keys(["Karim Haddad"]) & pair_keys(["Samir Haddad"])
    assert pair_keys(["Haddad"]) == set()  # one token: no pair


def test_namesakes_are_the_fewest_records_sharing_two_tokens() -> None:
    keys = dict(person_key_parts("Karim Ali Haddad", None))
    pairs = sorted(k for k, part in keys.items() if part == PAIR_PART)
    assert len(pairs) == 3
    assert count_namesakes([40, 7, 300]) == 7
    assert count_namesakes([0, 0, 0]) == 1  # nobody shares the name
    mononym = dict(person_key_parts("Madonna", None))
    assert PAIR_PART not in mononym.values()
    assert count_namesakes([]) == 1  # no pair
