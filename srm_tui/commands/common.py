"""What several commands share: loading the catalogue, reading an assessment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.catalog import questionnaires
from srm_tui.errors import InputFileError
from srm_tui.model import Assessment
from srm_tui.sanitize import clean


def known_check_ids() -> set[str] | None:
    """Ids of the automatic checks, or None when the checks are not installed."""
    try:
        from srm_tui import checklist
    except ImportError:
        return None
    ids = set(checklist.load().ids())
    # No check registered means the checks are not part of this build: nothing to
    # validate the names against.
    return ids or None


def load_catalog(args: argparse.Namespace) -> questionnaires.Catalog:
    """The shipped sections plus the user's ``--questionnaires`` folders.

    A problem in any file is a bad input: exit 2 naming file and line.
    """
    extra: list[Path] = list(getattr(args, "questionnaires", None) or [])
    catalog = questionnaires.load(
        [questionnaires.default_dir(), *extra], known_checks=known_check_ids()
    )
    if catalog.problems:
        first = catalog.problems[0]
        more = len(catalog.problems) - 1
        suffix = (
            f" (and {more} more problem{'s' if more > 1 else ''}; run 'srm-tui validate DIR')"
            if more
            else ""
        )
        raise InputFileError(first.path, first.message + suffix, first.line)
    return catalog


def open_source(spec: str, *, with_accounts: bool = False) -> tuple[Assessment, str]:
    """Load ``FILE.toml`` or ``FILE.toml@NAME`` (a milestone); returns it and a label.
    ``with_accounts``: an organization review comes with every account's findings (as
    they were at the milestone, for a milestone)."""
    from srm_tui import milestones
    from srm_tui.organization import files as account_files

    path = Path(spec)
    if "@" in spec and not path.exists():
        file, name = spec.rsplit("@", 1)
        if not Path(file).exists():
            raise InputFileError(file, "no such file")
        found = milestones.load_milestone(file, name)
        if with_accounts:
            kept = milestones.folder(file) / f"{name}.toml"
            found = account_files.merged(found, kept)
        return found, f"{Path(file).name} at {name}"
    assessment = store.load(path)
    if with_accounts:
        assessment = account_files.merged(assessment, path)
    name = milestones.milestone_name(assessment)
    if not name:
        return assessment, path.name
    # A milestone file named directly: label it by the assessment it belongs to.
    parent = path.parent.name
    base = parent[: -len(milestones.SUFFIX)] if parent.endswith(milestones.SUFFIX) else path.name
    return assessment, f"{base} at {name}"


def out_of_policy_said(assessment: Assessment) -> tuple[int, str]:
    """How many acceptances of ``assessment`` are out of its policy, and each with its
    flaw in a few words ("A3: no owner; A5: ..."); (0, "") when none is."""
    from srm_tui import acceptances

    flawed = acceptances.out_of_policy(assessment)
    return len(flawed), "; ".join(f"{c.acceptance.id}: {c.flaw}" for c in flawed)


def warn_out_of_policy(assessment: Assessment, label: object) -> None:
    """One line on stderr when ``assessment`` carries acceptances out of its policy: they
    cover nothing, so their failures count as failed (the file is read, not refused)."""
    count, which = out_of_policy_said(assessment)
    if not count:
        return
    print(
        clean(
            f"{label}: {count} accepted risk{'' if count == 1 else 's'} out of the "
            f"assessment's policy cover{'s' if count == 1 else ''} nothing ({which}); "
            "renew with 'srm-tui accept' or correct the file."
        ),
        file=sys.stderr,
    )
