"""The workbench: what every front end (the wizard, the plain prompts, the command line)
does with an assessment, in one place and without any user interface.

A front end opens an assessment with ``Workbench.open`` (the lock, read-only and why,
what a killed run left behind), edits it (``answer``, ``set_scope``), saves it
(``save`` now, or ``flush`` once typing paused for ``SAVE_DELAY``), remembers it in
the recent list (with the question the user was at), and scans it (``scan_options``,
``scan``; the demo account as a ``DemoTarget``). A front end decides only how to ask
and how to show: dialogs, prompts, progress lines.

Dependencies: front ends -> here -> the domain (store, review, scoring, recent,
catalog; the scan engine imported when a scan runs).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from srm_tui import files, recent, store
from srm_tui.catalog import questionnaires
from srm_tui.errors import SrmError
from srm_tui.model import Answer, Assessment, Question, Section, now
from srm_tui.review import in_scope, set_answer, unanswered
from srm_tui.sanitize import clean

if TYPE_CHECKING:
    from srm_tui.demo.target import DemoTarget
    from srm_tui.milestones import Milestone
    from srm_tui.scan import Progress, ScanOptions

#: scan(assessment, options, on_progress=..., cancel=...) as srm_tui.scan defines it.
Scanner = Callable[..., Assessment]

#: Seconds of quiet after typed text before it is saved (everything else is saved at once).
SAVE_DELAY = 0.6
DEFAULT_JOBS = 8


def load_sections(extra_dirs: Sequence[Path] = ()) -> tuple[tuple[Section, ...], list[str]]:
    """The shipped sections plus those in ``extra_dirs``, and the catalogue's problems as
    sentences (for a front end to show; a question naming a check this installation
    lacks still works, its evidence just stays empty)."""
    catalog = questionnaires.load([questionnaires.default_dir(), *extra_dirs])
    return catalog.sections, [str(p) for p in catalog.problems]


@functools.cache
def _shipped_sections() -> tuple[Section, ...]:
    return load_sections()[0]


def engine_scan(*args: Any, **kwargs: Any) -> Assessment:
    """The real scan engine (boto3 and the checks), imported when first needed."""
    from srm_tui.scan import scan

    return scan(*args, **kwargs)


@dataclass(eq=False)
class Workbench:
    """One assessment open for work (or only for reading), and what goes with it.

    ``handle`` holds the file (lock, version read, read-only and why). ``version`` grows
    with every change so views know when to redraw; ``pending`` is an edit not saved
    yet; ``save_error`` is the last failed save's sentence until a save succeeds;
    ``question`` is the id of the question the user was last at.
    """

    handle: store.OpenAssessment
    sections: tuple[Section, ...] = ()
    data_dir: Path | None = None  # the recent list's folder (None: the user's own)
    demo: DemoTarget | None = None
    saved_at: datetime | None = None
    save_error: str = ""
    version: int = 0
    pending: bool = False
    question: str = ""

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        sections: Sequence[Section] = (),
        *,
        name: str | None = None,
        data_dir: Path | None = None,
        demo: DemoTarget | None = None,
        read_only_fallback: bool = False,
        create: bool = True,
    ) -> Workbench:
        """Open (or start) the assessment at ``path`` to work on it, holding its lock.

        A file that may not be written (no write bit, a milestone, open in another
        srm-tui, a lock that cannot be taken) raises its reason (SrmError, exit 1), or
        with ``read_only_fallback`` opens read-only: ``read_only`` and ``reason`` say
        why. A new file that cannot be written is always refused: there is nothing to
        read. A broken file raises InputFileError (exit 2); so does a missing one unless
        ``create``.
        """
        handle = store.open_assessment(
            path, name=name, create=create, fallback_read_only=read_only_fallback
        )
        if handle.new and handle.read_only:
            raise SrmError(f"Cannot create {handle.path}: {handle.reason}")
        bench = cls(handle, tuple(sections), data_dir)
        if not handle.new:
            bench.saved_at = handle.assessment.updated
        bench.question = _last_question(handle.path, data_dir)
        if demo is not None:
            bench.use_demo(demo)
        return bench

    def close(self) -> None:
        """Remember where the user was and release the file (nothing is saved here:
        ``flush`` first, so that a failure can be shown)."""
        self.remember()
        self.handle.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.handle.path

    @property
    def assessment(self) -> Assessment:
        return self.handle.assessment

    @property
    def new(self) -> bool:
        """Not saved yet."""
        return self.handle.new

    @property
    def read_only(self) -> bool:
        """Whether changes are refused; ``reason`` says why in one sentence."""
        return self.handle.read_only

    @property
    def reason(self) -> str:
        return self.handle.reason

    # --- editing --------------------------------------------------------------------

    def refuse_if_read_only(self) -> None:
        """ReadOnlyError, saying why, when this assessment may not change."""
        if self.read_only:
            raise store.ReadOnlyError(
                f"This assessment is open read-only and cannot change: {self.reason}"
            )

    def answer(self, question: Question, **changes: Any) -> Answer:
        """Change the answer to ``question`` (the fields of ``review.set_answer``: selected,
        applicable, reason, notes, evidence, owner, due). Not saved yet (``pending``):
        call ``save``, or ``flush`` after a pause. ReadOnlyError, with nothing changed,
        when read-only."""
        self.refuse_if_read_only()
        result = set_answer(self.assessment, question, **changes)
        self.question = question.id
        self._changed()
        return result

    def set_scope(
        self,
        *,
        name: str | None = None,
        regions: Sequence[str] | None = None,
        all_regions: bool | None = None,
        profile: str | None = None,
        frameworks: Sequence[str] | None = None,
    ) -> None:
        """Change the assessment's name or what a scan covers; only the given fields.
        Not saved yet. ReadOnlyError when read-only."""
        self.refuse_if_read_only()
        scope = self.assessment.scope
        if name is not None:
            self.assessment.name = name.strip() or self.path.stem
        if regions is not None:
            scope.regions = tuple(regions)
        if all_regions is not None:
            scope.all_regions = all_regions
        if profile is not None:
            scope.profile = profile
        if frameworks is not None:
            scope.frameworks = tuple(frameworks)
        self._changed()

    def visit(self, question_id: str) -> None:
        """The user is at this question now (remembered, to resume there)."""
        self.question = question_id

    def _changed(self) -> None:
        self.version += 1
        self.pending = True

    # --- saving and remembering -------------------------------------------------------

    def save(self) -> None:
        """Write the assessment now and remember it. A failure raises its sentence
        (SrmError) and keeps it in ``save_error``; the change stays in memory and is
        written with the next save."""
        self.pending = False
        try:
            self.handle.save()
        except SrmError as exc:
            self.save_error = str(exc)
            raise
        self.saved_at = self.assessment.updated
        self.save_error = ""
        # The recent list follows every save, so it is right even after a kill.
        self.remember()

    def flush(self) -> None:
        """Save now if an edit is waiting for its save."""
        if self.pending:
            self.save()

    def progress(self) -> tuple[int, int]:
        """(answered, in scope) of the questions. A workbench opened without sections
        (a command that needs none, such as ``scan --organization``) counts those the
        wizard shows by default, so the recent list never says 0/0 for a file the wizard
        would show half done."""
        questions = in_scope(self.assessment, self.sections or _shipped_sections())
        return len(questions) - len(unanswered(self.assessment, questions)), len(questions)

    def remember(self) -> None:
        """Put this assessment at the top of the recent list: its name, account,
        progress and the question the user was at. A new one not saved yet is not
        listed (there is no file to go back to)."""
        if self.new:
            return
        answered, total = self.progress()
        a = self.assessment
        recent.remember(
            recent.Recent(
                str(self.path), a.name, a.scope.account_id, a.updated, answered, total,
                self.question,
            ),
            self.data_dir,
        )  # fmt: skip

    # --- milestones -------------------------------------------------------------------

    def milestones(self) -> list[Milestone]:
        """The milestones of this assessment, oldest first (none for a milestone)."""
        from srm_tui import milestones

        if self.assessment.milestone is not None:
            return []
        return milestones.list_milestones(self.path)

    def create_milestone(self, name: str) -> Milestone:
        """Snapshot the assessment as it is now (saved first) under ``name``. UsageError
        for a bad or taken name; ReadOnlyError when read-only (a milestone has none)."""
        from srm_tui import milestones

        self.refuse_if_read_only()
        self.flush()
        if self.new:
            self.save()
        return milestones.create(self.path, name)

    def compare_with(self, name: str) -> str:
        """What changed since milestone ``name``, as Markdown (the report 'diff' writes)."""
        from srm_tui import milestones
        from srm_tui.report import diff, diff_report

        old = milestones.load_milestone(self.path, name)
        result = diff.compare(old, self.assessment, self.sections, f"milestone {name}", "now")
        return diff_report.render(result, "markdown")

    # --- scanning ---------------------------------------------------------------------

    def use_demo(self, demo: DemoTarget) -> None:
        """Scan the emulated demo account (it may still be starting) instead of AWS; the
        assessment is marked as a demo and its regions default to the demo's."""
        self.demo = demo
        if self.read_only:
            return
        scope = self.assessment.scope
        scope.demo = True
        if not scope.regions:
            scope.regions = demo.regions

    def scan_options(
        self,
        *,
        profile: str | None = None,
        regions: Sequence[str] = (),
        all_regions: bool = False,
        endpoint_url: str | None = None,
        checks: Sequence[str] = (),
        jobs: int = DEFAULT_JOBS,
    ) -> ScanOptions:
        """What a scan of this assessment reads, with the control parameters its scope
        sets. On the demo account this waits until
        the account is up (SrmError if it could not start) and scans it, in the given
        regions or the demo's, with no profile."""
        from srm_tui.scan import ScanOptions

        if self.demo is not None:
            endpoint_url = self.demo.wait()
            regions = tuple(regions) or self.demo.regions
            all_regions, profile = False, None
        return ScanOptions(
            profile=profile or None,
            regions=tuple(regions),
            all_regions=all_regions,
            endpoint_url=endpoint_url or None,
            checks=tuple(checks),
            jobs=jobs,
            parameters=self.assessment.scope.parameters,
        )

    def scope_options(self) -> ScanOptions:
        """What a scan reads according to the assessment's own scope (the wizard's
        scope screen sets it)."""
        scope = self.assessment.scope
        return self.scan_options(
            profile=scope.profile,
            regions=scope.regions,
            all_regions=scope.all_regions,
            endpoint_url=scope.endpoint_url,
        )

    def scan(
        self,
        options: ScanOptions,
        on_progress: Callable[[Progress], None],
        cancel: threading.Event,
        scanner: Scanner | None = None,
    ) -> None:
        """Run the automatic checks into this assessment, in the calling thread (the
        findings so far are kept on cancel). Not saved here. ReadOnlyError first, before
        any call to AWS, when read-only."""
        self.refuse_if_read_only()
        (scanner or engine_scan)(self.assessment, options, on_progress=on_progress, cancel=cancel)
        if self.demo is not None:
            # The emulator's address lives only as long as this run.
            self.assessment.scope.demo = True
            self.assessment.scope.endpoint_url = ""
        self._changed()


def unknown_regions(names: Sequence[str]) -> list[str]:
    """The names among ``names`` that are not AWS regions (e.g. us-east-9)."""
    from srm_tui.aws.regions import unknown

    return unknown(list(names))


def free_path(folder: Path, stem: str, suffix: str = ".toml") -> Path:
    """A file name in ``folder`` that is not taken: stem.toml, else stem-2.toml, ..."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _last_question(path: Path, data_dir: Path | None) -> str:
    target = str(path.resolve())
    return next((e.question for e in recent.load(data_dir) if e.path == target), "")


def write_crash_log(text: str, data_dir: Path | None = None) -> Path:
    """Keep the account of a crash in the user's private data folder (0600 in a 0700
    folder: it may quote the assessment); returns where. SrmError if it cannot."""
    path = recent.own_folder(data_dir) / f"crash-{now():%Y%m%dT%H%M%S}-{os.getpid()}.log"
    files.write_private(path, clean(text).encode("utf-8", "replace"), once=True)
    return path
