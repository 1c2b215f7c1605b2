"""Recording an import in an assessment: the account must be the assessment's own, and
a re-import replaces the earlier import of that source whole."""

from __future__ import annotations

from srm_tui.errors import UsageError
from srm_tui.imports.combine import Agreement, place
from srm_tui.model import Assessment, ImportedSet


def record(assessment: Assessment, imported: ImportedSet, where: str) -> ImportedSet | None:
    """Store ``imported`` in ``assessment`` and return the import it replaces, if any.

    A UsageError (and no change) when the findings are another account's, or when the
    assessment has no account yet to compare with.
    """
    account = assessment.scope.account_id
    if not account:
        raise UsageError(
            f"the assessment has no account yet: scan it first, so that the findings of "
            f"{where} can be checked against its account."
        )
    if imported.account_id and imported.account_id != account:
        raise UsageError(
            f"{where} holds findings of account {imported.account_id}, not of the "
            f"assessment's account {account}: nothing was imported."
        )
    earlier = assessment.imports.get(imported.source)
    assessment.imports[imported.source] = imported
    return earlier


def summary(assessment: Assessment, imported: ImportedSet) -> str:
    """What an import brought, in a sentence or two."""
    placed = [p for p in place(assessment) if p.finding.source == imported.source]
    counts = {a: sum(1 for p in placed if p.agreement is a) for a in Agreement}
    mapped = sum(1 for p in placed if p.checks)
    text = (
        f"Imported {len(imported.findings)} {imported.source} findings of account "
        f"{imported.account_id or assessment.scope.account_id} ({imported.skipped} without "
        f"a verdict skipped); {mapped} map to srm-tui checks: "
        f"{counts[Agreement.CORROBORATES]} corroborate srm-tui's own, "
        f"{counts[Agreement.DISAGREES]} disagree, "
        f"{counts[Agreement.BESIDE] + counts[Agreement.OWN_UNDECIDED]} sit beside srm-tui's "
        f"own check of that control; {counts[Agreement.COUNTS]} count on their own."
    )
    return text
