"""Plain-prompt answering with canned answers in place of questionary."""

import io
from collections import deque
from pathlib import Path

import pytest

from srm_tui import plain, store
from srm_tui.catalog import questionnaires
from srm_tui.model import Reason, Risk
from srm_tui.plain import NOT_APPLICABLE, SKIP
from srm_tui.review import in_scope


class Canned:
    """Answers prompts from a script; an entry of KeyboardInterrupt presses Ctrl-C."""

    def __init__(self, *answers):
        self.answers = deque(answers)
        self.asked = []

    def _next(self, kind, message, options=None):
        self.asked.append((kind, message, options))
        answer = self.answers.popleft()
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def checkbox(self, message, options, validate):
        answer = self._next("checkbox", message, options)
        ok = validate(answer)
        assert ok is True, ok
        return answer

    def select(self, message, options, default):
        return self._next("select", message, options)

    def text(self, message, default):
        answer = self._next("text", message, default)
        return default if answer is None else answer


@pytest.fixture
def sections():
    return questionnaires.load().sections


def first_questions(sections, n):
    return [q for s in sections for q in s.questions][:n]


def run(path: Path, sections, prompter, **kwargs):
    out = io.StringIO()
    code = plain.run(path, sections, prompter, out=out, **kwargs)
    return code, out.getvalue()


def test_answers_are_saved_and_ctrl_c_keeps_them(tmp_path, sections):
    path = tmp_path / "a.toml"
    q1, q2, q3, q4 = first_questions(sections, 4)
    prompter = Canned(
        [q1.practices[0].id], "first notes",
        [q2.none_choice.id], "",
        [c.id for c in q3.practices], "",
        KeyboardInterrupt,
    )  # fmt: skip
    code, out = run(path, sections, prompter)
    assert code == 130
    assert "Every answer given so far is saved (3 in" in out
    assert f"srm-tui answer {path}" in out
    saved = store.load(path)
    assert set(saved.answers) == {q1.id, q2.id, q3.id}
    assert saved.answers[q1.id].notes == "first notes"
    assert saved.answers[q2.id].risk is Risk.HIGH
    assert saved.answers[q3.id].risk is Risk.NONE

    # Resuming starts at the fourth question.
    prompter = Canned(KeyboardInterrupt)
    code, out = run(path, sections, prompter)
    assert code == 130
    assert "Resuming" in out
    assert q4.title in out
    assert q1.title not in out


def test_nothing_ticked_then_not_applicable_with_reason(tmp_path, sections):
    path = tmp_path / "a.toml"
    (q1,) = first_questions(sections, 1)
    prompter = Canned(
        [], NOT_APPLICABLE, Reason.BUSINESS_PRIORITIES.value, "we have none", KeyboardInterrupt
    )
    run(path, sections, prompter)
    answer = store.load(path).answers[q1.id]
    assert not answer.applicable
    assert answer.reason is Reason.BUSINESS_PRIORITIES
    assert answer.risk is Risk.NOT_APPLICABLE
    assert answer.notes == "we have none"


def test_skipping_leaves_the_question_unanswered(tmp_path, sections):
    path = tmp_path / "a.toml"
    q1, q2 = first_questions(sections, 2)
    prompter = Canned([], SKIP, [q2.practices[0].id], "", KeyboardInterrupt)
    run(path, sections, prompter)
    saved = store.load(path)
    assert q1.id not in saved.answers
    assert q2.id in saved.answers


def test_none_of_these_is_exclusive(sections):
    q = first_questions(sections, 1)[0]
    validate = plain._exclusive(q)
    assert validate([q.none_choice.id]) is True
    assert isinstance(validate([q.none_choice.id, q.practices[0].id]), str)


def test_section_option_and_revisit_preselects_current_answer(tmp_path, sections):
    path = tmp_path / "a.toml"
    target = sections[-1]
    q = target.questions[0]
    prompter = Canned([q.practices[0].id], "", KeyboardInterrupt)
    _, out = run(path, sections, prompter, section_id=target.id)
    # Numbered as in the wizard: the place among all questions in scope.
    everything = in_scope(store.load(path), sections)
    first = everything.index(q) + 1
    assert f"[Question {first} of {len(everything)}] {q.title}" in out
    assert f"[Question {first + 1} of {len(everything)}]" in out
    assert set(store.load(path).answers) == {q.id}
    # --all revisits it with the current answer ticked
    prompter = Canned(KeyboardInterrupt)
    run(path, sections, prompter, section_id=target.id, revisit=True)
    kind, _, options = prompter.asked[0]
    assert kind == "checkbox"
    ticked = [o.value for o in options if o.checked]
    assert ticked == [q.practices[0].id]


def test_everything_answered_says_so(tmp_path, sections):
    path = tmp_path / "a.toml"
    questions = [q for s in sections for q in s.questions]
    script = []
    for q in questions:
        script += [[q.practices[0].id], ""]
    code, out = run(path, sections, Canned(*script))
    assert code == 0
    assert f"Done: {len(questions)} answers saved" in out
    code, out = run(path, sections, Canned())
    assert "Every question in scope is answered" in out


def test_answer_without_a_terminal_exits_2(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    result = run_cli("answer", tmp_path / "a.toml")
    assert result.code == 2
    assert "needs an interactive terminal" in result.err
    assert not (tmp_path / "a.toml").exists()


def test_answer_in_missing_folder_exits_1(tmp_path, sections):
    from srm_tui.errors import SrmError

    with pytest.raises(SrmError, match="does not exist") as info:
        run(tmp_path / "nowhere" / "a.toml", sections, Canned())
    assert info.value.exit_code == 1


def test_unknown_section_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("answer", tmp_path / "a.toml", "--section", "nope")
    assert result.code == 2
    assert "no section 'nope'" in result.err
