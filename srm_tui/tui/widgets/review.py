"""The review: sections and questions on the left, the current question on the right."""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static, Tree
from textual.widgets.tree import TreeNode

from srm_tui.attestation import default_attester, review_every
from srm_tui.contradictions import (
    failing_by_account,
    failing_for,
    imported_by_account,
    imported_for,
)
from srm_tui.model import Finding, Question, Risk, Section
from srm_tui.review import in_scope
from srm_tui.scoring import RiskCounts, risk_of
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import AnswerEdited
from srm_tui.tui.text import clean
from srm_tui.tui.widgets.choices import ChoiceList
from srm_tui.tui.widgets.question import QuestionView, Standing

RISK_MARK = {
    Risk.HIGH: ("▲", "bold red"),
    # Filled for high, hollow for medium: told apart without colour too.
    Risk.MEDIUM: ("△", "yellow"),
    Risk.NONE: ("✓", "green"),
    Risk.UNANSWERED: ("·", "dim"),
    Risk.NOT_APPLICABLE: ("–", "dim"),
}
WORST_LABEL = {Risk.HIGH: "high", Risk.MEDIUM: "medium", Risk.NONE: "ok"}


class ReviewPane(Horizontal):
    """Walks through the in-scope questions; every change is saved at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # n and p are written on the Previous/Next buttons below the question: the
        # footer keeps its room for the keys shown nowhere else (help among them).
        Binding("n", "next", "Next question", show=False, id="next"),
        Binding("p", "previous", "Previous", show=False, id="previous"),
        Binding("u", "next_unanswered", "Next unanswered", id="next_unanswered"),
    ]
    HELP_TITLE = "Review tab"
    HELP = (
        "Choices: space ticks a practice (several may be true), enter goes on to "
        "the next question; *None of these* clears the others. *Does not apply* takes a "
        "reason. Notes, evidence links, owner and due date are saved as you type. Enter "
        "on a section or question in the left list opens it. Marks in that list: ▲ high "
        "risk (red), △ medium risk (yellow), ✓ no risk, · unanswered, – does not apply; a "
        "section shows its worst risk and how many of its questions are answered. In an "
        "organization review, 'o' gives the question on screen its own answer for one "
        "account or OU."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="review")
        self.questions: list[Question] = []
        self.current = 0
        self._question_nodes: dict[str, TreeNode[tuple[str, str]]] = {}
        self._section_nodes: dict[str, TreeNode[tuple[str, str]]] = {}
        self._findings: dict[str, list[Finding]] = {}
        self._version = -1
        self._scope_ids: set[str] = set()

    def compose(self) -> ComposeResult:
        tree: Tree[tuple[str, str]] = Tree("Sections", id="sections")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        with Vertical(id="question-side"):
            yield VerticalScroll(id="question-scroll", can_focus=False)
            with Horizontal(id="question-nav"):
                yield Button("◀ Previous (p)", id="prev-q", compact=True)
                yield Static("", id="question-progress")
                yield Button("Next (n) ▶", id="next-q", compact=True)

    async def on_mount(self) -> None:
        await self.rebuild()

    async def rebuild(self) -> None:
        """Rebuild from the assessment (after opening or a scan changed the scope)."""
        session = self.srm.session
        if session is None:
            return
        assessment = session.assessment
        # After a scan, the question on screen; on opening, where the user last was.
        keep = self.questions[self.current].id if self.questions else session.question
        self.questions = in_scope(assessment, self.srm.sections)
        self._findings = defaultdict(list)
        for finding in assessment.findings:
            self._findings[finding.check].append(finding)
        tree = self.query_one("#sections", Tree)
        tree.clear()
        self._question_nodes.clear()
        self._section_nodes.clear()
        ids = self._scope_ids = {q.id for q in self.questions}
        for section in self.srm.sections:
            questions = [q for q in section.questions if q.id in ids]
            if not questions:
                continue
            node = tree.root.add(self._section_label(section), data=("section", section.id))
            self._section_nodes[section.id] = node
            for q in questions:
                leaf = node.add_leaf(self._question_label(q), data=("question", q.id))
                self._question_nodes[q.id] = leaf
        if not self.questions:
            await self.query_one("#question-scroll").remove_children()
            await self.query_one("#question-scroll").mount(
                Static("No question applies to this scope.", id="no-questions")
            )
            return
        first = next(
            (i for i, q in enumerate(self.questions) if q.id == keep),
            self._first_unanswered(),
        )
        await self.show(first)
        # Not while another tab is shown (an organization scan ending on the
        # Organization tab): focus here would switch the workspace to the review.
        if all(node.display for node in self.ancestors_with_self):
            self.focus_choices()

    def _first_unanswered(self) -> int:
        answers = self.srm.session.assessment.answers  # type: ignore[union-attr]
        for i, q in enumerate(self.questions):
            answer = answers.get(q.id)
            if answer is None or not answer.is_answered:
                return i
        return 0

    def _section_label(self, section: Section) -> Text:
        counts = RiskCounts()
        answers = self.srm.session.assessment.answers  # type: ignore[union-attr]
        for q in section.questions:
            if q.id in self._scope_ids:
                counts.add(risk_of(q, answers.get(q.id)))
        # Progress and worst risk first, so they stay visible when the title is cut.
        worst = counts.worst
        mark, style = RISK_MARK[worst] if worst in WORST_LABEL else ("·", "dim")
        text = Text(f"{mark} ", style=style)
        text.append(f"{counts.answered}/{counts.total} ", style="dim")
        text.append(clean(section.title), style="bold")
        return text

    def _question_label(self, question: Question) -> Text:
        answer = self.srm.session.assessment.answers.get(question.id)  # type: ignore[union-attr]
        mark, style = RISK_MARK[risk_of(question, answer)]
        text = Text(f"{mark} ", style=style)
        text.append(clean(question.title))
        return text

    async def show(self, index: int) -> None:
        """Show question ``index`` of the in-scope list."""
        if not self.questions:
            return
        self.srm.flush_save()
        index = max(0, min(index, len(self.questions) - 1))
        self.current = index
        question = self.questions[index]
        session = self.srm.session
        assert session is not None
        session.visit(question.id)
        assessment = session.assessment
        section = next((s for s in self.srm.sections if s.id == question.section), None)
        evidence = [
            (assessment.checks.get(cid), cid, self._findings.get(cid, []))
            for cid in question.checks
        ]
        standing = Standing(
            # An account or OU with its own answer is judged by it, not by this one.
            failing=frozenset(failing_for(assessment, question, failing_by_account(assessment))),
            imported=tuple(imported_for(assessment, question, imported_by_account(assessment))),
            review_every=review_every(question, self.srm.sections),
            folder=session.path.parent,
            attester=default_attester(assessment),
        )
        view = QuestionView(
            question,
            assessment.answer_for(question),
            f"question {index + 1} of {len(self.questions)}",
            section.title if section else question.section,
            evidence,
            compact=self.app.size.height < 40,
            read_only=session.read_only,
            standing=standing,
        )
        scroll = self.query_one("#question-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(view)
        scroll.scroll_home(animate=False)
        self.query_one("#question-progress", Static).update(f"{index + 1}/{len(self.questions)}")
        node = self._question_nodes.get(question.id)
        if node is not None:
            if node.parent is not None and not node.parent.is_expanded:
                node.parent.expand()
            tree = self.query_one("#sections", Tree)
            tree.move_cursor(node)
        self._version = session.version

    def focus_choices(self) -> None:
        """Put the keyboard on the current question's choices, title still in view; on
        "Does not apply" when the question does not apply (its choices are off)."""
        # Focus given to choices that were off went nowhere, and n, p and u (keys of
        # this pane) did nothing until the user pressed Tab.
        for selector in ("#q-choices", "#q-na", "#sections"):
            found = self.query(selector)
            if found and found.first().focusable:
                found.first().focus(scroll_visible=False)
                return

    @on(AnswerEdited)
    def _answer_edited(self, event: AnswerEdited) -> None:
        event.stop()
        made = self.srm.edit_answer(event.question, event.changes, event.typing)
        session = self.srm.session
        assert session is not None
        views = self.query(QuestionView)
        if not made:
            # Refused (read-only, and the user was told): show the answer as it is.
            if views:
                views.first().query_one(ChoiceList).set_selected(views.first().answer.selected)
            return
        if views:
            view = views.first()
            view.answer = session.assessment.answers[event.question.id]
            view.refresh_meta()
        self._relabel(event.question)

    def _relabel(self, question: Question) -> None:
        node = self._question_nodes.get(question.id)
        if node is not None:
            node.set_label(self._question_label(question))
        section = next((s for s in self.srm.sections if s.id == question.section), None)
        if section is not None and section.id in self._section_nodes:
            self._section_nodes[section.id].set_label(self._section_label(section))

    @on(Tree.NodeSelected, "#sections")
    async def _node_selected(self, event: Tree.NodeSelected[tuple[str, str]]) -> None:
        event.stop()
        if event.node.data is None:
            return
        kind, ident = event.node.data
        if kind == "question":
            index = next((i for i, q in enumerate(self.questions) if q.id == ident), None)
            if index is not None and index != self.current:
                await self.show(index)
            self.focus_choices()
        elif kind == "section":
            index = next((i for i, q in enumerate(self.questions) if q.section == ident), None)
            if index is not None and self.questions[self.current].section != ident:
                await self.show(index)

    async def jump(self, section_id: str = "", question_id: str = "") -> None:
        """Show a question, or the first question of a section."""
        for i, q in enumerate(self.questions):
            if (question_id and q.id == question_id) or (
                not question_id and q.section == section_id
            ):
                await self.show(i)
                self.focus_choices()
                return

    @on(Button.Pressed, "#next-q")
    @on(ChoiceList.Done)
    async def action_next(self) -> None:
        await self.show(self.current + 1)
        self.focus_choices()

    @on(Button.Pressed, "#prev-q")
    async def action_previous(self) -> None:
        await self.show(self.current - 1)
        self.focus_choices()

    async def action_next_unanswered(self) -> None:
        answers = self.srm.session.assessment.answers  # type: ignore[union-attr]
        n = len(self.questions)
        for step in range(1, n + 1):
            i = (self.current + step) % n
            answer = answers.get(self.questions[i].id)
            if answer is None or not answer.is_answered:
                await self.show(i)
                self.focus_choices()
                return
        self.app.notify("Every question in scope is answered.", title="All answered")
