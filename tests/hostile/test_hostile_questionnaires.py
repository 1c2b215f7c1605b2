"""A user's questionnaire folder is untrusted input: however it is built, reading and
validating it costs work polynomial in its size, for every command that takes
``--questionnaires`` and for the wizard.

Work is counted in steps, not seconds: every Python and built-in function call made
while the command runs (``sys.setprofile``), against a budget of the same command on
a small valid folder plus a number of steps per byte of the hostile files. The
semantic check of a question's rules used to try every answer, 2**n of them: 20
choices cost 22 s and 918 MB, an 89 KB condition 25 s.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import random
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from srm_tui import rules
from srm_tui.catalog import questionnaires
from srm_tui.model import Choice, Question, Responsibility, Risk, RiskRule

STEPS_PER_BYTE = 60  # tomllib alone takes a few per byte; the old check took thousands


class OverBudget(BaseException):
    """Raised inside the measured code once it has used its budget (BaseException, so
    that no ``except Exception`` in the code under test can swallow it)."""


@contextmanager
def budget(limit: int) -> Iterator[list[int]]:
    """Count function calls; stop the code with OverBudget past ``limit``."""
    used = [0]

    def count(frame: FrameType, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            used[0] += 1
            if used[0] > limit:
                sys.setprofile(None)
                raise OverBudget(f"more than {limit} steps")

    sys.setprofile(count)
    try:
        yield used
    finally:
        sys.setprofile(None)


def quiet(*args: str) -> int:
    """``srm-tui ARGS`` in-process, its output dropped; the exit code."""
    from srm_tui import cli

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return cli.main(list(args))
        except SystemExit as exc:
            return int(exc.code or 0)


def steps(action: Callable[[], object], limit: int = 10**9) -> int:
    with budget(limit) as used:
        action()
    return used[0]


# --- hostile questionnaires -------------------------------------------------------------


def question(qid: str, choices: int, conditions: list[str], multiple: bool = True) -> str:
    text = [
        f'[[questions]]\nid = "{qid}"\ntitle = "Question {qid}"\nresponsibility = "customer"\n'
        f"multiple = {str(multiple).lower()}\n"
    ]
    for i in range(choices - 1):
        text.append(
            f'[[questions.choices]]\nid = "{qid}_c{i}"\ntitle = "Practice {i}"\n'
            'improvement = "Do it."\n'
        )
    text.append(f'[[questions.choices]]\nid = "{qid}_no"\ntitle = "None of these"\n')
    risks = ["none", "medium"]
    for condition, risk in zip(conditions, risks, strict=False):
        text.append(f'[[questions.risk_rules]]\ncondition = "{condition}"\nrisk = "{risk}"\n')
    text.append('[[questions.risk_rules]]\ncondition = "default"\nrisk = "high"\n')
    return "".join(text)


def section(sid: str, *questions_text: str) -> str:
    return f'[section]\nid = "{sid}"\ntitle = "Hostile {sid}"\n\n' + "\n".join(questions_text)


def every(qid: str, practices: int, joiner: str) -> str:
    return f" {joiner} ".join(f"{qid}_c{i}" for i in range(practices))


def long_condition(qid: str, practices: int, length: int) -> str:
    """A condition no short-circuit makes cheap: every term holds, so each evaluation
    reads it all."""
    terms = itertools.cycle(f"({qid}_c{i} || !{qid}_c{i})" for i in range(practices))
    text = ""
    while len(text) < length:
        text += (" && " if text else "") + next(terms)
    return text


HOSTILE = {
    # 20 choices: over the limit, reported without the semantic pass.
    "twenty_choices": section("h_twenty", question("h20", 20, [every("h20", 19, "&&")])),
    # An 89 KB condition: refused before it is parsed.
    "long_condition": section(
        "h_long", question("hlong", 15, [long_condition("hlong", 14, 89_000)])
    ),
    # The largest legal question: 15 choices, two conditions of almost 4096 characters.
    "largest_legal": section(
        "h_large",
        question("hbig", 15, [long_condition("hbig", 14, 4000), long_condition("hbig", 13, 4000)]),
    ),
    # Nesting at the parser's limit, and past it.
    "deep": section(
        "h_deep",
        question("hdeep", 15, ["(" * 64 + "hdeep_c0" + ")" * 64]),
        question("hdeeper", 15, ["!" * 2000 + "hdeeper_c0"]),
    ),
    # Many questions at the limit: linear in their number.
    "many_questions": section(
        "h_many",
        *(
            question(f"hm{i}", 15, [every(f"hm{i}", 14, "&&"), every(f"hm{i}", 14, "||")])
            for i in range(20)
        ),
    ),
}

SMALL = section("h_small", question("hsmall", 3, ["hsmall_c0 && hsmall_c1"]))


def folder(tmp_path: Path, name: str, text: str) -> Path:
    where = tmp_path / name
    where.mkdir()
    (where / f"{name}.toml").write_text(text, "utf-8")
    return where


@pytest.fixture(scope="module")
def assessment_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from srm_tui import store
    from srm_tui.model import Assessment

    path = tmp_path_factory.mktemp("assessment") / "review.toml"
    store.save(Assessment(name="review"), path)
    return path


def commands(path: Path, review: Path) -> dict[str, list[str]]:
    """Every command that takes --questionnaires, on the folder ``path``."""
    q = ["--questionnaires", str(path)]
    return {
        "validate": ["validate", str(path)],
        "questions": ["questions", "--format", "json", *q],
        "lens": ["lens", *q],
        "report": ["report", str(review), *q],
        "diff": ["diff", str(review), str(review), *q],
        "answer": ["answer", str(review), *q],
    }


@pytest.fixture(scope="module")
def base_steps(tmp_path_factory: pytest.TempPathFactory, assessment_file: Path) -> dict[str, int]:
    """Each command's steps on a small valid folder (run twice: the first imports)."""
    small = folder(tmp_path_factory.mktemp("small"), "small", SMALL)
    found = {}
    for command, args in commands(small, assessment_file).items():
        quiet(*args)
        found[command] = steps(lambda a=args: quiet(*a))
    return found


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_command_reads_hostile_questionnaires_in_bounded_steps(
    name, tmp_path, assessment_file, base_steps
) -> None:
    hostile = folder(tmp_path, name, HOSTILE[name])
    size = len(HOSTILE[name].encode())
    for command, args in commands(hostile, assessment_file).items():
        limit = base_steps[command] + STEPS_PER_BYTE * size
        try:
            used = steps(lambda a=args: quiet(*a), limit)
        except OverBudget:
            pytest.fail(f"{command} on {name} ({size} bytes) used more than {limit} steps")
        assert used <= limit


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_wizard_loads_hostile_questionnaires_in_bounded_steps(name, tmp_path) -> None:
    from srm_tui.tui.app import load_sections

    hostile = folder(tmp_path, name, HOSTILE[name])
    small = folder(tmp_path, "small", SMALL)
    base = steps(lambda: load_sections([small]))
    limit = base + STEPS_PER_BYTE * len(HOSTILE[name].encode())
    try:
        steps(lambda: load_sections([hostile]), limit)
    except OverBudget:
        pytest.fail(f"the wizard's loading of {name} used more than {limit} steps")


def test_hostile_questionnaires_are_reported_by_file_and_line(run_cli, tmp_path) -> None:
    for name, message in (
        ("twenty_choices", "question has 20 choices; at most 15"),
        ("long_condition", "condition longer than 4096 characters"),
        ("deep", "nested too deeply"),
    ):
        where = folder(tmp_path, name, HOSTILE[name])
        result = run_cli("validate", where)
        assert result.code == 2, result.out
        assert f"{where / (name + '.toml')}:" in result.out and message in result.out, result.out
        assert len(result.out) < 20_000  # a problem names a condition, never prints it whole
    where = folder(tmp_path, "largest_legal", HOSTILE["largest_legal"])
    assert "choices; at most" not in run_cli("validate", where).out


def test_lists_of_thousands_are_refused_whole(run_cli, tmp_path) -> None:
    # Each entry of a check list is looked up in the file (a line to report it by): a
    # list of 20,000 unknown checks would cost 20,000 searches of 20,000 lines.
    many = ",\n".join(f'"nope.check_{i}"' for i in range(20_000))
    text = section("h_lists", question("hlist", 3, ["hlist_c0"])).replace(
        'responsibility = "customer"\n', f'responsibility = "customer"\nchecks = [\n{many}\n]\n', 1
    )
    result = run_cli("validate", folder(tmp_path, "lists", text))
    assert result.code == 2
    assert "checks lists 20000 entries; at most 100" in result.out
    assert len(result.out.splitlines()) < 10, result.out[:2000]


def test_a_question_over_the_choice_limit_gets_no_semantic_pass(tmp_path, monkeypatch) -> None:
    called = []
    monkeypatch.setattr(questionnaires, "semantic_problems", lambda q: called.append(q.id) or [])
    questionnaires.load([folder(tmp_path, "t", HOSTILE["twenty_choices"])])
    assert called == []
    questionnaires.load([folder(tmp_path, "s", SMALL)])
    assert called == ["hsmall"]


# --- the polynomial proof finds what trying every answer finds ----------------------------


def brute_force(question: Question) -> tuple[str | None, set[int], bool]:
    """Trying every answer: ("None of these" risk when lower than the worst, the rules
    that apply to some answer, whether some practice raises the risk)."""
    outcomes = {s: questionnaires.decide(question, s) for s in questionnaires.selections(question)}
    worst = max(risk.rank for _, risk in outcomes.values())
    none = question.none_choice
    low_none = None
    if none is not None and outcomes[frozenset((none.id,))][1].rank < worst:
        low_none = outcomes[frozenset((none.id,))][1].value
    rises = question.multiple and any(
        outcomes[s | {p.id}][1].rank > risk.rank
        for s, (_, risk) in outcomes.items()
        if none is None or none.id not in s
        for p in question.practices
        if p.id not in s
    )
    return low_none, {i for i, _ in outcomes.values()}, rises


def random_condition(rng: random.Random, names: list[str], depth: int = 0) -> str:
    roll = rng.random()
    if depth > 2 or roll < 0.35:
        return rng.choice(names)
    if roll < 0.5:
        return "!" + random_condition(rng, names, depth + 1)
    joiner = " && " if roll < 0.75 else " || "
    parts = [random_condition(rng, names, depth + 1) for _ in range(rng.randint(2, 3))]
    return "(" + joiner.join(parts) + ")"


def random_question(rng: random.Random) -> Question:
    practices = [f"q_p{i}" for i in range(rng.randint(1, 6))]
    has_none = rng.random() < 0.8
    ids = practices + (["q_no"] if has_none else [])
    choices = tuple(Choice(cid, cid, "Do it.") for cid in ids)
    count = rng.randint(0, 2)
    rule_list = [
        RiskRule(random_condition(rng, ids), rng.choice([Risk.NONE, Risk.MEDIUM, Risk.HIGH]))
        for _ in range(count)
    ]
    rule_list.append(RiskRule("default", rng.choice([Risk.HIGH, Risk.MEDIUM])))
    return Question(
        id="q", section="s", title="t", help="", responsibility=Responsibility.CUSTOMER,
        frameworks={}, choices=choices, risk_rules=tuple(rule_list),
        multiple=rng.random() < 0.7,
    )  # fmt: skip


def test_the_proof_agrees_with_trying_every_answer() -> None:
    rng = random.Random(20261201)
    seen = {"none": 0, "rises": 0, "never": 0}
    for _ in range(400):
        q = random_question(rng)
        low_none, fired, rises = brute_force(q)
        found = questionnaires.semantic_problems(q)
        none_lines = [m for m in found if m.startswith("'None of these' gives")]
        assert bool(none_lines) == (low_none is not None), (q, found)
        if low_none:
            assert none_lines[0].startswith(f"'None of these' gives {low_none} risk")
            seen["none"] += 1
        never = {i for i, r in enumerate(q.risk_rules) if f"risk rule {i + 1} (" in " ".join(found)}
        assert never == set(range(len(q.risk_rules))) - fired, (q, found)
        seen["never"] += bool(never)
        rise_lines = [m for m in found if "raises the risk" in m]
        assert bool(rise_lines) == rises, (q, found)
        seen["rises"] += rises
        for line in rise_lines:  # each one names a real counterexample
            extra, rest = line.removeprefix("adding '").split("' to ", 1)
            chosen = frozenset(rest.split(" raises the risk")[0].split(" + "))
            before = questionnaires.decide(q, chosen)[1]
            after = questionnaires.decide(q, chosen | {extra})[1]
            assert after.rank > before.rank and f"from {before.value} to {after.value}" in line
    assert min(seen.values()) > 10, seen  # every kind of mistake was met


def test_the_proof_of_the_largest_question_is_cheap() -> None:
    practices = [f"big_p{i}" for i in range(14)]
    condition = long_condition("big", 14, 4000).replace("big_c", "big_p")
    q = Question(
        id="big", section="s", title="t", help="", responsibility=Responsibility.CUSTOMER,
        frameworks={}, choices=tuple(Choice(p, p, "Do.") for p in [*practices, "big_no"]),
        risk_rules=(RiskRule(condition, Risk.NONE), RiskRule("default", Risk.HIGH)),
    )  # fmt: skip
    rules.parse_cached(condition)
    # Trying every answer would evaluate the 4000-character condition 16,384 times.
    assert steps(lambda: questionnaires.semantic_problems(q)) < 20_000
