"""Ctrl-D in plain mode, with the real prompts: at any prompt it stops the way Ctrl-C
does (every answer given so far is saved, and how to resume is said), never a
traceback; questionary's lists would otherwise ignore it."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from srm_tui import plain, store
from tests.tui import apps

DOWN = "\x1b[B"
CTRL_D = "\x04"


def _run(path: Path, keys: str) -> tuple[int, str]:
    """Run the plain mode on the test questionnaire, typing ``keys``."""
    out = io.StringIO()
    result: list[object] = []
    with create_pipe_input() as keyboard:

        def answer() -> None:
            # The prompts read this keyboard as they would the terminal.
            with create_app_session(input=keyboard, output=DummyOutput()):
                try:
                    prompter = plain.QuestionaryPrompter()
                    result.append(plain.run(path, apps.sections(), prompter, out=out))
                except BaseException as exc:  # reported below, with the output so far
                    result.append(exc)

        worker = threading.Thread(target=answer, daemon=True)
        worker.start()
        keyboard.send_text(keys)
        worker.join(20)
    assert not worker.is_alive(), "the prompt is still waiting: Ctrl-D was ignored"
    assert isinstance(result[0], int), f"{result[0]!r}\n{out.getvalue()}"
    return result[0], out.getvalue()


@pytest.mark.parametrize(
    ("where", "keys", "saved"),
    [
        ("the first list of choices", CTRL_D, set()),
        ("the notes of an answer", " \r" + CTRL_D, set()),
        ("a question with one choice", " \r\r" + CTRL_D, {"t_plan"}),
        ("the reason a question does not apply", "\r" + DOWN + "\r" + CTRL_D, set()),
    ],
)
def test_ctrl_d_at_any_prompt_stops_like_ctrl_c(tmp_path: Path, where, keys, saved) -> None:
    path = tmp_path / "a.toml"
    code, out = _run(path, keys)
    assert code == 130, where
    assert "Stopped. Every answer given so far is saved" in out
    assert f"Run 'srm-tui answer {path}' to continue where you left off." in out
    assert set(store.load(path).answers) == saved
    assert "Traceback" not in out


def test_the_answers_before_ctrl_d_are_all_kept(tmp_path: Path) -> None:
    # Two questions answered, then Ctrl-D at the third; resuming asks the third.
    path = tmp_path / "a.toml"
    code, _ = _run(path, " \rfirst notes\r" + "\rsecond notes\r" + CTRL_D)
    assert code == 130
    saved = store.load(path)
    assert set(saved.answers) == {"t_plan", "t_tested"}
    assert saved.answers["t_plan"].notes == "first notes"
    assert saved.answers["t_tested"].notes == "second notes"
    code, out = _run(path, CTRL_D)
    assert code == 130 and "Resuming" in out and "[Question 3 of 4]" in out
