"""Apply a parsed rule to one traveller's facts (a plain mapping of field path to value).

Text compares without regard to case; a comparison with a missing value (None) is false,
so a rule never fires on what the data does not say.
"""

from __future__ import annotations

from collections.abc import Mapping

from borderless.rules.language import BoolOp, Compare, Field, Literal, Node, Not

Value = str | float | bool | tuple[str, ...] | None
Facts = Mapping[str, Value]


def _value(side: Field | Literal | None, facts: Facts) -> object:
    if side is None:
        return None
    raw = facts.get(side.path) if isinstance(side, Field) else side.value
    if isinstance(raw, str):
        return raw.upper()
    if isinstance(raw, tuple):
        return tuple(v.upper() if isinstance(v, str) else v for v in raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    return raw


def _compare(node: Compare, facts: Facts) -> bool:
    left, right = _value(node.left, facts), _value(node.right, facts)
    if node.operator is None:
        return left is True
    if left is None or right is None:
        return False
    match node.operator:
        case "=":
            return left == right
        case "!=":
            return left != right
        case "in":
            return isinstance(right, tuple | str) and left in right
        case "contains":
            return isinstance(left, tuple | str) and right in left
    if isinstance(left, float) and isinstance(right, float):
        return {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[node.operator]
    return False


def matches(node: Node, facts: Facts) -> bool:
    match node:
        case BoolOp(operator="and"):
            return all(matches(operand, facts) for operand in node.operands)
        case BoolOp():
            return any(matches(operand, facts) for operand in node.operands)
        case Not():
            return not matches(node.operand, facts)
        case Compare():
            return _compare(node, facts)
    raise AssertionError(node)  # pragma: no cover - Node is a closed union
