"""The rule language: text to an abstract syntax tree, with errors that say where.

    rule       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | comparison
    comparison := value [operator value]          (a value alone must be true/false)
    operator   := = | != | < | <= | > | >= | in | contains
    value      := field | "text" | number | true | false | "[" value ("," value)* "]"
    field      := name ("." name)*                (e.g. booking.hours_before_departure)

Examples::

    booking.paid_cash and booking.hours_before_departure < 24
    "IST" in booking.route and booking.one_way
    traveller.travels_with_flagged or booking.shares_contact_with_flagged

The parser is a hand-written recursive descent over a regular-expression tokeniser: nothing in
a rule is ever executed as Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderless.errors import InputError

Scalar = str | float | bool


@dataclass(frozen=True)
class Field:
    path: str


@dataclass(frozen=True)
class Literal:
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Compare:
    left: Field | Literal
    operator: str | None  # None: the left value is itself true or false
    right: Field | Literal | None


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    operator: str  # "and" / "or"
    operands: tuple[Node, ...]


Node = Compare | Not | BoolOp

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "contains")
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op><=|>=|!=|=|<|>)
      | (?P<punct>[()\[\],])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)
MAX_LENGTH = 2000


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise InputError(
                f"rule syntax, at character {position + 1}: unexpected {text[position]!r}"
            )
        kind = found.lastgroup or ""
        tokens.append(_Token(kind, found.group(kind), found.start(kind) + 1))
        position = found.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise InputError("rule syntax: the rule ends too early")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise InputError(f"rule syntax, at character {token.position}: expected {text!r}")

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.lower() == word:
            self.index += 1
            return True
        return False

    def parse(self) -> Node:
        node = self.or_()
        token = self.peek()
        if token is not None:
            raise InputError(
                f"rule syntax, at character {token.position}: unexpected {token.text!r}"
            )
        return node

    def or_(self) -> Node:
        operands = [self.and_()]
        while self.keyword("or"):
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def and_(self) -> Node:
        operands = [self.not_()]
        while self.keyword("and"):
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def not_(self) -> Node:
        if self.keyword("not"):
            return Not(self.not_())
        token = self.peek()
        if token is not None and token.text == "(":
            self.take()
            node = self.or_()
            self.expect(")")
            return node
        return self.comparison()

    def comparison(self) -> Compare:
        left = self.value()
        token = self.peek()
        if token is None or token.text in (")", "and", "or") or token.kind == "punct":
            return Compare(left, None, None)
        operator = token.text.lower()
        if operator not in OPERATORS:
            raise InputError(
                f"at character {token.position}: expected an operator "
                f"({', '.join(OPERATORS)}), 'and', 'or' or the end"
            )
        self.take()
        return Compare(left, operator, self.value())

    def value(self) -> Field | Literal:
        token = self.take()
        if token.kind == "string":
            return Literal(re.sub(r"\\(.)", r"\1", token.text[1:-1]))
        if token.kind == "number":
            return Literal(float(token.text))
        if token.text == "[":
            items: list[Scalar] = []
            while True:
                item = self.value()
                if not isinstance(item, Literal) or isinstance(item.value, tuple):
                    raise InputError(
                        f"rule syntax, at character {token.position}: lists hold values"
                    )
                items.append(item.value)
                following = self.peek()
                if following is not None and following.text == ",":
                    self.take()
                    continue
                self.expect("]")
                return Literal(tuple(items))
        if token.kind == "word":
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                return Literal(lowered == "true")
            if lowered in ("and", "or", "not", "in", "contains"):
                raise InputError(f"rule syntax, at character {token.position}: expected a value")
            return Field(lowered)
        raise InputError(f"at character {token.position}: expected a value, not {token.text!r}")


def parse_rule(text: str) -> Node:
    """The AST of a rule; an `InputError` (400) says where the text goes wrong."""
    if not text.strip():
        raise InputError("rule syntax: the rule is empty")
    if len(text) > MAX_LENGTH:
        raise InputError(f"rule syntax, a rule is at most {MAX_LENGTH} characters")
    return _Parser(text).parse()
