"""What a rule may refer to, and the validator that refuses discriminatory rules.

Every field has a type. Nationality (and fields that stand for it: residence, the countries
of a traveller's documents) is *protected*: a rule may use it only together with a condition
on behaviour (route, booking, payment, links). The validator turns the rule into a
disjunction of conjunctions (pushing ``not`` inward) and refuses it when any conjunction
could fire on protected fields alone — so ``traveller.nationality = "SYR" or
booking.paid_cash`` is refused as well as ``traveller.nationality = "SYR"``. Ethnicity and
religion are not passenger data at all; naming them is refused outright.
"""

from __future__ import annotations

from enum import StrEnum

from borderless.errors import InputError
from borderless.rules.language import BoolOp, Compare, Field, Literal, Node, Not, parse_rule


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    FLAG = "flag"
    LIST = "list"


FIELDS: dict[str, Kind] = {
    "traveller.surname": Kind.TEXT,
    "traveller.given_names": Kind.TEXT,
    "traveller.gender": Kind.TEXT,
    "traveller.age": Kind.NUMBER,
    "traveller.infant": Kind.FLAG,
    "traveller.role": Kind.TEXT,
    "traveller.nationality": Kind.TEXT,
    "traveller.residence": Kind.TEXT,
    "traveller.document_countries": Kind.LIST,
    "traveller.document_types": Kind.LIST,
    "traveller.embarkation": Kind.TEXT,
    "traveller.debarkation": Kind.TEXT,
    "traveller.travels_with_flagged": Kind.FLAG,
    "booking.hours_before_departure": Kind.NUMBER,
    "booking.paid_cash": Kind.FLAG,
    "booking.payment_methods": Kind.LIST,
    "booking.one_way": Kind.FLAG,
    "booking.route": Kind.LIST,
    "booking.travellers": Kind.NUMBER,
    "booking.bags": Kind.NUMBER,
    "booking.shares_contact_with_flagged": Kind.FLAG,
    "booking.shares_contact_with_watchlisted": Kind.FLAG,
    "flight.carrier": Kind.TEXT,
    "flight.number": Kind.TEXT,
    "flight.origin": Kind.TEXT,
    "flight.destination": Kind.TEXT,
}
PROTECTED = frozenset(
    {"traveller.nationality", "traveller.residence", "traveller.document_countries"}
)
FORBIDDEN_WORDS = ("ethnic", "religio", "race", "faith")
MAX_CLAUSES = 256


def _fields(node: Compare) -> set[str]:
    return {side.path for side in (node.left, node.right) if isinstance(side, Field)}


def _check_types(node: Node) -> None:
    match node:
        case BoolOp():
            for operand in node.operands:
                _check_types(operand)
        case Not():
            _check_types(node.operand)
        case Compare():
            for path in _fields(node):
                if any(word in path for word in FORBIDDEN_WORDS):
                    raise InputError(f"refused: {path}: rules may not target ethnicity or religion")
                if path not in FIELDS:
                    raise InputError(f"unknown field {path!r}; known: {', '.join(sorted(FIELDS))}")
            if node.operator is None:
                left = node.left
                if isinstance(left, Field) and FIELDS[left.path] != Kind.FLAG:
                    raise InputError(f"{left.path} is not true or false: compare it with a value")
                if isinstance(left, Literal) and not isinstance(left.value, bool):
                    raise InputError("a value alone is not a condition")


Clause = frozenset[Compare]


def _dnf(node: Node, negated: bool = False) -> list[Clause]:
    """The rule as OR of AND-clauses of (possibly negated) comparisons."""
    match node:
        case Not():
            return _dnf(node.operand, not negated)
        case BoolOp():
            conjunctive = (node.operator == "and") != negated
            parts = [_dnf(operand, negated) for operand in node.operands]
            if not conjunctive:
                return [clause for part in parts for clause in part]
            clauses: list[Clause] = [frozenset()]
            for part in parts:
                clauses = [a | b for a in clauses for b in part]
                if len(clauses) > MAX_CLAUSES:
                    raise InputError("the rule is too complex: simplify its and/or nesting")
            return clauses
        case Compare():
            return [frozenset({node})]
    raise AssertionError(node)  # pragma: no cover - Node is a closed union


def check_rule(text: str) -> Node:
    """Parse and validate a rule: known fields, sensible conditions, no protected targeting."""
    node = parse_rule(text)
    _check_types(node)
    for clause in _dnf(node):
        used = set().union(*(_fields(c) for c in clause)) if clause else set()
        if used and used <= PROTECTED:
            names = ", ".join(sorted(used))
            raise InputError(
                f"refused: the rule can fire on {names} alone: a rule may not target nationality "
                "(or residence, document country), ethnicity or religion on its own; "
                "combine it with a condition on travel behaviour"
            )
    return node
