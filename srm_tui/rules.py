"""Risk-rule conditions in the Well-Architected grammar, parsed without ``eval``.

Grammar (``!`` binds tightest, then ``&&``, then ``||``)::

    expr   := and ("||" and)*
    and    := unary ("&&" unary)*
    unary  := "!" unary | atom
    atom   := NAME | "(" expr ")"

A whole condition may also be the single word ``default``, which is always true.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import lru_cache

from srm_tui.model import Risk, RiskRule

_TOKEN = re.compile(r"\s*(?:(&&)|(\|\|)|(!)|(\()|(\))|([A-Za-z0-9_]+))")
MAX_DEPTH = 64
#: Characters in one condition: every one of 15 choices with a 128-character id fits
#: twice over; a longer condition is refused before it is read.
MAX_LENGTH = 4096


class RuleError(ValueError):
    """A condition that does not parse; ``column`` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.column = column


@dataclass(frozen=True, slots=True)
class Name:
    name: str

    def evaluate(self, selected: Set[str]) -> bool:
        return self.name in selected


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node

    def evaluate(self, selected: Set[str]) -> bool:
        return not self.operand.evaluate(selected)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]

    def evaluate(self, selected: Set[str]) -> bool:
        return all(o.evaluate(selected) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]

    def evaluate(self, selected: Set[str]) -> bool:
        return any(o.evaluate(selected) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Default:
    def evaluate(self, selected: Set[str]) -> bool:
        return True


Node = Name | Not | And | Or | Default


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            column = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise RuleError(f"unexpected character {text[column - 1]!r}", column)
        kind = ("and", "or", "not", "(", ")", "name")[match.lastindex - 1]
        tokens.append((kind, match.group(match.lastindex), match.start(match.lastindex) + 1))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def end_column(self) -> int:
        return len(self.text.rstrip()) + 1

    def take(self, kind: str, what: str) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise RuleError(f"expected {what} but the condition ended", self.end_column())
        if token[0] != kind:
            raise RuleError(f"expected {what}, found {token[1]!r}", token[2])
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleError("empty condition", 1)
        node = self.expr(0)
        token = self.peek()
        if token is not None:
            raise RuleError(f"unexpected {token[1]!r}", token[2])
        return node

    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            token = self.peek()
            raise RuleError("condition nested too deeply", token[2] if token else 1)
        parts = [self.conjunction(depth)]
        while (token := self.peek()) is not None and token[0] == "or":
            self.pos += 1
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def conjunction(self, depth: int) -> Node:
        parts = [self.unary(depth)]
        while (token := self.peek()) is not None and token[0] == "and":
            self.pos += 1
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int) -> Node:
        token = self.peek()
        if token is not None and token[0] == "not":
            if depth > MAX_DEPTH:
                raise RuleError("condition nested too deeply", token[2])
            self.pos += 1
            return Not(self.unary(depth + 1))
        return self.atom(depth)

    def atom(self, depth: int) -> Node:
        token = self.peek()
        if token is None:
            raise RuleError("expected a choice id but the condition ended", self.end_column())
        if token[0] == "(":
            self.pos += 1
            node = self.expr(depth + 1)
            self.take(")", "')'")
            return node
        if token[0] == "name":
            if token[1] == "default":
                raise RuleError("'default' must stand alone", token[2])
            self.pos += 1
            return Name(token[1])
        raise RuleError(f"expected a choice id, found {token[1]!r}", token[2])


def parse(condition: str) -> Node:
    """Parse a condition; raises RuleError with the column of the problem."""
    if len(condition) > MAX_LENGTH:
        raise RuleError(f"condition longer than {MAX_LENGTH} characters", MAX_LENGTH + 1)
    if condition.strip() == "default":
        return Default()
    return _Parser(condition).parse()


@lru_cache(maxsize=4096)
def parse_cached(condition: str) -> Node:
    """``parse`` for conditions already known to be valid, parsed once."""
    return parse(condition)


def names(node: Node) -> set[str]:
    """Every choice id a parsed condition mentions."""
    if isinstance(node, Name):
        return {node.name}
    if isinstance(node, Not):
        return names(node.operand)
    if isinstance(node, And | Or):
        return set().union(*(names(o) for o in node.operands))
    return set()


def decide(risk_rules: Sequence[RiskRule], selected: Set[str]) -> tuple[int, Risk]:
    """The index and risk of the first rule that holds for ``selected``: the one rule
    loop behind scoring and the questionnaire validator. No rule holding (a question
    without ``default``) is high risk, at index ``len(risk_rules)``."""
    for index, rule in enumerate(risk_rules):
        if parse_cached(rule.condition).evaluate(selected):
            return index, rule.risk
    return len(risk_rules), Risk.HIGH
