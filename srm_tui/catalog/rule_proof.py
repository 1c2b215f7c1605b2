"""The semantic checks of a question's risk rules, in time polynomial in its size.

Three promises are checked: "None of these" gives the highest risk the question can
give, ticking one more practice never raises the risk, and every rule applies to some
answer. Trying every answer one by one costs 2**n evaluations of every condition for
n practices; here each condition is evaluated once for all answers at the same time.

An answer (a set of the question's practices) is a number whose bit ``i`` says whether
practice ``i`` is ticked, and what a condition says about every answer is one integer
of 2**n bits, its truth table: bit ``a`` is set when the condition holds for answer
``a``. A condition's table is built with one bitwise operation per node of its parsed
tree; "ticking practice ``i`` as well" is a shift of a table by 2**i bits. A question
has at most ``MAX_PRACTICES`` practices (the Well-Architected limit of 15 choices is
checked before, and a question over it is reported without this pass), so a table has
at most 32,768 bits and each operation takes a bounded time: the whole proof costs a
number of such operations linear in the length of the conditions plus the number of
practices squared.
"""

from __future__ import annotations

from collections.abc import Sequence

from srm_tui import rules
from srm_tui.model import Question, Risk

MAX_PRACTICES = 15
_RANKS = {0: Risk.NONE, 1: Risk.MEDIUM, 2: Risk.HIGH}


class _Tables:
    """Truth tables over the answers made of ``practices`` (at most 15 of them)."""

    def __init__(self, practices: Sequence[str]) -> None:
        self.practices = list(practices)
        self.size = 1 << len(self.practices)  # number of answers, bits per table
        self.full = (1 << self.size) - 1
        self.index = {name: bit for bit, name in enumerate(self.practices)}
        self._variables = [self._variable(bit) for bit in range(len(self.practices))]

    def _variable(self, bit: int) -> int:
        """The table of "practice ``bit`` is ticked": runs of 2**bit zeros then ones."""
        run = 1 << bit
        period = run << 1
        block = ((1 << run) - 1) << run
        return block * (self.full // ((1 << period) - 1))

    def variable(self, bit: int) -> int:
        return self._variables[bit]

    def of(self, node: rules.Node) -> int:
        """The truth table of a parsed condition (depth bounded by the parser)."""
        if isinstance(node, rules.Default):
            return self.full
        if isinstance(node, rules.Name):
            bit = self.index.get(node.name)
            return 0 if bit is None else self._variables[bit]  # "None of these": never
        if isinstance(node, rules.Not):
            return self.full ^ self.of(node.operand)
        tables = [self.of(operand) for operand in node.operands]
        result = tables[0]
        for table in tables[1:]:
            result = result & table if isinstance(node, rules.And) else result | table
        return result

    def singletons(self) -> int:
        """The answers that tick exactly one practice."""
        return sum(1 << (1 << bit) for bit in range(len(self.practices)))

    def layers(self) -> list[int]:
        """``layers[k]``: the answers that tick exactly ``k`` practices."""
        found = [1]  # over no practice: the empty answer only
        for bit in range(len(self.practices)):
            shift = 1 << bit
            grown = [found[0]]
            for k in range(1, bit + 2):
                lower = found[k] if k < len(found) else 0
                grown.append(lower | (found[k - 1] << shift))
            found = grown
        return found

    def answer(self, position: int) -> frozenset[str]:
        return frozenset(name for bit, name in enumerate(self.practices) if position >> bit & 1)


def semantic_problems(question: Question) -> list[str]:
    """What is wrong with a question's rules as a whole: "None of these" must give the
    highest risk, adding a practice must never raise the risk, every rule must apply to
    some answer. Answers are each non-empty set of practices (one practice at a time
    for a single-choice question) and "None of these" alone."""
    practices = [c.id for c in question.practices]
    if len(practices) > MAX_PRACTICES:
        return [f"{len(practices)} practices: too many to check the risk rules (at most 15)"]
    nodes = [rules.parse_cached(rule.condition) for rule in question.risk_rules]
    risks = [rule.risk for rule in question.risk_rules]
    tables = _Tables(practices)
    valid = (tables.full ^ 1) if question.multiple else tables.singletons()
    if not practices:
        valid = 0
    # by_rank[r]: the answers whose first holding rule gives risk rank r.
    by_rank = {0: 0, 1: 0, 2: 0}
    fired: set[int] = set()
    taken = 0  # answers an earlier rule already decided
    for index, node in enumerate(nodes):
        decided = tables.of(node) & valid & ~taken
        if decided:
            fired.add(index)
            by_rank[risks[index].rank] |= decided
        taken |= decided
    by_rank[2] |= valid & ~taken  # no rule holds: high risk
    problems: list[str] = []
    worst = max((rank for rank, answers in by_rank.items() if answers), default=0)
    none = question.none_choice
    if none is not None:
        index, none_risk = rules.decide(question.risk_rules, frozenset((none.id,)))
        fired.add(index)
        worst = max(worst, none_risk.rank)
        if none_risk.rank < worst:
            problems.append(
                f"'None of these' gives {none_risk.value} risk, lower than the highest "
                f"risk this question can give ({_RANKS[worst].value})"
            )
    if question.multiple:
        problems.extend(_rises(tables, by_rank, question))
    for index, rule in enumerate(question.risk_rules):
        if index not in fired:
            problems.append(f"risk rule {index + 1} ({rule.condition!r}) can never apply")
    return problems


def _rises(tables: _Tables, by_rank: dict[int, int], question: Question) -> list[str]:
    """Up to three answers, fewest practices first, to which ticking one more practice
    raises the risk."""
    at_least = {2: by_rank[2], 1: by_rank[1] | by_rank[2]}
    rising = []
    for bit in range(len(tables.practices)):
        shift = 1 << bit
        without = tables.full ^ tables.variable(bit)
        # An answer without the practice whose rank is below r, while the same answer
        # with it has rank r or more.
        found = 0
        for rank in (1, 2):
            below = by_rank[0] if rank == 1 else by_rank[0] | by_rank[1]
            found |= below & without & (at_least[rank] >> shift)
        rising.append(found)
    problems: list[str] = []
    for layer in tables.layers()[1:]:
        for bit, found in enumerate(rising):
            hit = found & layer
            if not hit:
                continue
            answer = tables.answer((hit & -hit).bit_length() - 1)
            extra = tables.practices[bit]
            _, before = rules.decide(question.risk_rules, answer)
            _, after = rules.decide(question.risk_rules, answer | {extra})
            problems.append(
                f"adding {extra!r} to {' + '.join(sorted(answer))} raises the risk from "
                f"{before.value} to {after.value}"
            )
            if len(problems) == 3:
                return problems
    return problems
