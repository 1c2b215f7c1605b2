"""Messages the wizard's widgets and workers post."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from srm_tui.model import Question


class AnswerEdited(Message):
    """The reviewer changed something in the answer to ``question``.

    ``changes`` are keyword arguments for ``review.set_answer``; ``typing`` is true for
    text being typed, whose save waits for a short pause.
    """

    def __init__(self, question: Question, changes: dict[str, Any], typing: bool = False) -> None:
        super().__init__()
        self.question = question
        self.changes = changes
        self.typing = typing


class ScanEnded(Message):
    """The scan worker stopped: finished, cancelled, or failed with ``error``."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self.error = error


class AssessmentChanged(Message):
    """Findings or scope changed (after a scan): views must rebuild."""


class JumpTo(Message):
    """Show this section or question in the review."""

    def __init__(self, section_id: str = "", question_id: str = "") -> None:
        super().__init__()
        self.section_id = section_id
        self.question_id = question_id


class ShowFindings(Message):
    """Show the findings of these checks (one matrix cell's failures) in Findings."""

    def __init__(self, checks: frozenset[str], title: str) -> None:
        super().__init__()
        self.checks = checks
        self.title = title
