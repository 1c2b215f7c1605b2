"""Recording an import in an assessment: the findings must be of the review's own
account (a single-account review) or of the organization's accounts (an organization
review), and a re-import replaces the earlier import of that source whole."""

from __future__ import annotations

from srm_tui.errors import UsageError
from srm_tui.imports.combine import Agreement, place
from srm_tui.imports.reading import MAX_FINDINGS
from srm_tui.model import Assessment, ImportedSet

#: The most foreign account ids one refusal names.
NAMED = 3


def joined(parts: list[tuple[ImportedSet, str]]) -> ImportedSet:
    """One import made of several files of one source (Prowler writes a file per
    account), each given with its name; a UsageError when two files hold the same
    account's findings (a run given twice, or two runs: which one counts is unclear)."""
    if len(parts) == 1:
        return parts[0][0]
    owner: dict[str, str] = {}
    for imported, where in parts:
        for account in imported.accounts():
            if account in owner:
                raise UsageError(
                    f"{owner[account]} and {where} both hold findings of account {account}: "
                    "import each account's findings once (nothing was imported)."
                )
            owner[account] = where
    findings = tuple(f for imported, _ in parts for f in imported.findings)
    if len(findings) > MAX_FINDINGS:
        raise UsageError(
            f"these files hold more than {MAX_FINDINGS:,} findings: too many to import at once."
        )
    first = parts[0][0]
    accounts = set(owner)
    return ImportedSet(
        source=first.source,
        origin=", ".join(imported.origin for imported, _ in parts),
        imported=first.imported,
        account_id=accounts.pop() if len(accounts) == 1 else "",
        findings=findings,
        skipped=sum(imported.skipped for imported, _ in parts),
        muted=sum(imported.muted for imported, _ in parts),
    )


def record(assessment: Assessment, imported: ImportedSet, where: str) -> ImportedSet | None:
    """Store ``imported`` in ``assessment`` and return the import it replaces, if any.

    A UsageError (and no change) when the findings are of an account the review does
    not cover, or when the review has no account yet to compare with.
    """
    if assessment.organization is not None:
        _check_organization(assessment, imported, where)
    else:
        _check_account(assessment, imported, where)
    earlier = assessment.imports.get(imported.source)
    assessment.imports[imported.source] = imported
    return earlier


def _check_account(assessment: Assessment, imported: ImportedSet, where: str) -> None:
    account = assessment.scope.account_id
    if not account:
        raise UsageError(
            f"the assessment has no account yet: scan it first, so that the findings of "
            f"{where} can be checked against its account."
        )
    accounts = imported.accounts()
    if len(accounts) > 1:
        raise UsageError(
            f"{where} holds findings of {len(accounts)} accounts, and this review covers "
            f"only account {account}: import that account's findings (nothing was imported)."
        )
    if accounts and accounts[0] != account:
        raise UsageError(
            f"{where} holds findings of account {accounts[0]}, not of the "
            f"assessment's account {account}: nothing was imported."
        )


def _check_organization(assessment: Assessment, imported: ImportedSet, where: str) -> None:
    organization = assessment.organization
    assert organization is not None
    known = set(organization.accounts)
    if not known:
        raise UsageError(
            f"the organization review has no accounts yet: scan it first, so that the "
            f"findings of {where} can be checked against its accounts."
        )
    known |= {organization.management_account, assessment.scope.account_id} - {""}
    foreign = [a for a in imported.accounts() if a not in known]
    if foreign:
        named = ", ".join(foreign[:NAMED]) + (" and more" if len(foreign) > NAMED else "")
        raise UsageError(
            f"{where} holds findings of {len(foreign)} account(s) outside the organization "
            f"({named}): nothing was imported."
        )


def summary(view: Assessment, imported: ImportedSet) -> str:
    """What an import brought, in a sentence or two. ``view`` is the assessment with
    its own findings (an organization review's merged with its accounts' files)."""
    placed = [p for p in place(view) if p.finding.source == imported.source]
    counts = {a: sum(1 for p in placed if p.agreement is a) for a in Agreement}
    mapped = sum(1 for p in placed if p.checks)
    accounts = imported.accounts()
    whose = (
        f"of {len(accounts)} accounts"
        if len(accounts) > 1
        else f"of account {accounts[0] if accounts else view.scope.account_id}"
    )
    muted = f" and {imported.muted} muted or suppressed by their producer" if imported.muted else ""
    return (
        f"Imported {len(imported.findings)} {imported.source} findings {whose} "
        f"({imported.skipped} without a verdict{muted} skipped); {mapped} map to srm-tui checks: "
        f"{counts[Agreement.CORROBORATES]} corroborate srm-tui's own, "
        f"{counts[Agreement.DISAGREES]} disagree, "
        f"{counts[Agreement.BESIDE] + counts[Agreement.OWN_UNDECIDED]} sit beside srm-tui's "
        f"own check of that control; {counts[Agreement.COUNTS]} count on their own."
    )
