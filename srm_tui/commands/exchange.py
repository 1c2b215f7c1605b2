"""Commands that exchange a review with other tools: import (Prowler, Security Hub)
and wa-sync (the Well-Architected Tool, the only command that writes to AWS)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from srm_tui import store
from srm_tui.commands.base import command, questionnaire_option
from srm_tui.errors import UsageError
from srm_tui.model import Assessment, ImportedSet
from srm_tui.sanitize import clean
from srm_tui.workbench import Workbench

if TYPE_CHECKING:
    from srm_tui.aws.security_hub_findings import Fetched
    from srm_tui.aws.session import AwsSession


def _import_options(parser: argparse.ArgumentParser) -> None:
    # Optional only for argparse: "--prowler a.json review.toml" hands the assessment to
    # --prowler, which takes every path that follows; the command takes it back.
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE.toml", help="the assessment")
    source = parser.add_mutually_exclusive_group(required=True)
    # Prowler scans one account a run: an organization's findings are a file per account.
    source.add_argument(
        "--prowler",
        type=Path,
        nargs="+",
        metavar="OCSF.json",
        help="Prowler's json-ocsf output (several files: one per account)",
    )
    source.add_argument(
        "--asff",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="Security Hub findings (ASFF) in a file (several: one per account)",
    )
    source.add_argument(
        "--security-hub",
        action="store_true",
        help="read the account's active control findings from Security Hub (GetFindings)",
    )
    group = parser.add_argument_group("AWS (with --security-hub)")
    group.add_argument("--profile", help="AWS profile from your config files")
    group.add_argument(
        "--region",
        action="append",
        dest="regions",
        metavar="REGION",
        help="region to read (repeat; default: the assessment's regions)",
    )
    group.add_argument(
        "--all-regions", action="store_true", help="every region enabled in the account"
    )
    group.add_argument("--endpoint-url", help="an AWS-compatible endpoint")
    parser.epilog = (
        "Imported findings are kept apart from srm-tui's own, with their source. Where a "
        "finding maps to an srm-tui check (through its CIS v7.0 or AWS FSBP id) and the "
        "same resource, srm-tui's own verdict counts and the import corroborates it or is "
        "flagged as disagreeing; the others count on their own. A re-import replaces the "
        "earlier import of that source; another account's findings are refused."
    )


@command(
    "import",
    "Import findings of Prowler (json-ocsf) or Security Hub (ASFF, or GetFindings).",
    _import_options,
)
def import_command(args: argparse.Namespace) -> int:
    from srm_tui.imports import apply
    from srm_tui.imports.combine import disagreements
    from srm_tui.organization import files

    _assessment_named(args)
    with Workbench.open(args.file, create=False) as bench:
        assessment = bench.assessment
        imported, where = _read_import(args, assessment)
        earlier = apply.record(assessment, imported, where)
        bench.save()
    if earlier is not None:
        print(
            f"Replaced the earlier {earlier.source} import ({len(earlier.findings)} findings "
            f"from {clean(earlier.origin)}).",
            file=sys.stderr,
        )
    # An organization review's own findings are in its accounts' files.
    view = files.merged(assessment, args.file)
    print(clean(apply.summary(view, imported)))
    for placed in disagreements(view):
        found = placed.finding
        account = f" in {found.account_id}" if view.organization is not None else ""
        print(
            clean(
                f"  disagrees: {found.source} {found.check} says {found.status.value} for "
                f"{found.resource}{account}; srm-tui's {', '.join(placed.checks)} says "
                f"{placed.own.value if placed.own else '-'}"
            )
        )
    return 0


def _assessment_named(args: argparse.Namespace) -> None:
    """Set ``args.file`` when the assessment was named after the files to import (it is
    then the last of them, and a TOML file: no import format is); else say it is missing."""
    if args.file is not None:
        return
    paths = args.prowler or args.asff or []
    if len(paths) > 1 and paths[-1].suffix.lower() == ".toml":
        args.file = paths.pop()
        return
    raise UsageError(
        "name the assessment to import into: srm-tui import FILE.toml --prowler OCSF.json "
        "(or --asff FILE, or --security-hub)."
    )


def _read_import(args: argparse.Namespace, assessment: Assessment) -> tuple[ImportedSet, str]:
    from srm_tui.imports import apply, asff, prowler

    for paths, reader in ((args.prowler, prowler.read), (args.asff, asff.read)):
        if paths is not None:
            return apply.joined([(reader(p), str(p)) for p in paths]), ", ".join(map(str, paths))
    return _from_security_hub(args, assessment)


def _from_security_hub(args: argparse.Namespace, assessment: Assessment) -> tuple[ImportedSet, str]:
    from srm_tui.aws.security_hub_findings import fetch
    from srm_tui.aws.session import AwsSession
    from srm_tui.imports import asff

    scope = assessment.scope
    if not scope.account_id:
        raise UsageError(
            "the assessment has no account yet: scan it first, so that Security Hub's "
            "findings can be read for its account."
        )
    if args.regions and args.all_regions:
        raise UsageError("use either --region or --all-regions, not both.")
    session = AwsSession(args.profile, args.endpoint_url or scope.endpoint_url or None)
    regions = tuple(args.regions or scope.regions or (session.default_region,))
    identity = session.identity(regions[0], demo=False)  # import has no --demo
    if args.all_regions:
        from srm_tui.aws.regions import enabled_regions

        regions = tuple(enabled_regions(session, regions[0])[0])
    organization = assessment.organization
    if organization is None:
        if identity.account_id != scope.account_id:
            raise UsageError(
                f"the AWS credentials are of account {identity.account_id}, not of the "
                f"assessment's account {scope.account_id}: nothing was imported."
            )
        fetched = fetch(lambda r: session.client("securityhub", r), scope.account_id, regions)
        _say_skipped(fetched)
        found, read = fetched.findings, fetched.regions
    else:
        found, read = _organization_findings(session, identity.account_id, assessment, regions)
    origin = "GetFindings " + ",".join(read)  # the regions skipped gave nothing
    return asff.from_findings(found, "Security Hub", origin), f"Security Hub ({origin})"


def _say_skipped(fetched: Fetched) -> None:
    """One sentence on stderr per region skipped (Security Hub not enabled, or denied)."""
    for sentence in fetched.skipped:
        print(clean(sentence), file=sys.stderr)


def _organization_findings(
    session: AwsSession, caller: str, assessment: Assessment, regions: tuple[str, ...]
) -> tuple[list[dict[str, object]], tuple[str, ...]]:
    """The organization's aggregated findings, read with the management account's or
    the delegated Security Hub administrator's credentials, and the regions read;
    findings of accounts outside the organization (members invited by hand) are left
    out, and said so."""
    from srm_tui.aws.security_hub_findings import fetch

    assert assessment.organization is not None
    organization = assessment.organization
    ours = set(organization.accounts) | {organization.management_account} - {""}
    if caller not in ours:
        raise UsageError(
            f"the AWS credentials are of account {caller}, which is not in the "
            f"organization: use the management account's or the delegated Security Hub "
            f"administrator's credentials (nothing was imported)."
        )
    fetched = fetch(lambda r: session.client("securityhub", r), None, regions)
    _say_skipped(fetched)
    found = fetched.findings
    kept = [f for f in found if isinstance(f, dict) and f.get("AwsAccountId") in ours]
    if len(kept) < len(found):
        print(
            f"Left out {len(found) - len(kept)} findings of accounts outside the organization.",
            file=sys.stderr,
        )
    accounts = {f.get("AwsAccountId") for f in kept}
    if len(organization.accounts) > 1 and accounts <= {caller}:
        print(
            clean(
                f"Security Hub in account {caller} holds no other account's findings: the "
                "organization's findings are aggregated in its Security Hub administrator "
                "(the management account or the delegated administrator)."
            ),
            file=sys.stderr,
        )
    return kept, fetched.regions


# --- the Well-Architected Tool -----------------------------------------------------------


def _wa_sync_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="the assessment")
    parser.add_argument(
        "--workload-name", required=True, metavar="NAME", help="the workload in the Tool"
    )
    parser.add_argument(
        "--milestone",
        metavar="NAME",
        help="the Tool's milestone name (default: the assessment's latest srm-tui milestone)",
    )
    parser.add_argument("--lens-name", default=None, help="the custom lens's name in the Tool")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print every call it would make, and touch no network",
    )
    group = parser.add_argument_group("AWS")
    group.add_argument("--profile", help="AWS profile from your config files")
    group.add_argument("--region", help="the Tool's region (default: the profile's)")
    group.add_argument("--endpoint-url", help="an AWS-compatible endpoint")
    questionnaire_option(parser)
    parser.epilog = (
        "The only srm-tui command that writes to AWS, and only to the Well-Architected "
        "Tool: it imports the custom lens and publishes a version, creates or finds the "
        "workload, sends every answer and makes a milestone. 'srm-tui policy --wa-sync' "
        "prints the policy it needs."
    )


@command(
    "wa-sync",
    "Send the answers to the AWS Well-Architected Tool (the only command that writes to AWS).",
    _wa_sync_options,
)
def wa_sync_command(args: argparse.Namespace) -> int:
    from srm_tui import milestones, wa_sync
    from srm_tui.commands.common import load_catalog
    from srm_tui.model import now

    assessment = store.load(args.file)
    catalog = load_catalog(args)
    made = milestones.list_milestones(args.file)
    milestone = args.milestone or (made[-1].name if made else f"srm-tui {now():%Y-%m-%d %H%M}")
    if args.dry_run:
        client: object = wa_sync.DryRun(lambda line: print(clean(line)))
        region = args.region or "<the profile's region>"
    else:
        from srm_tui.aws.session import AwsSession
        from srm_tui.aws.wa_client import wellarchitected_client

        session = AwsSession(args.profile, args.endpoint_url)
        region = args.region or session.default_region
        # One clear sentence when the credentials are missing (wa-sync has no --demo).
        session.identity(region, demo=False)
        client = wellarchitected_client(args.profile, args.endpoint_url, region)
    request = wa_sync.prepare(
        assessment,
        catalog.sections,
        workload_name=args.workload_name,
        milestone=milestone,
        region=region,
        lens_name=args.lens_name or "",
    )
    out = wa_sync.sync(client, request, now=now)
    verb = "Would send" if args.dry_run else "Sent"
    print(
        clean(
            f"{verb} {out.answers} answers to workload {args.workload_name!r} in {region} "
            f"with lens version {out.lens_version}, milestone {milestone!r}."
        ),
        file=sys.stderr,
    )
    if out.cut_notes:
        print(
            f"Notes cut to the Tool's {wa_sync.MAX_NOTES} characters: {', '.join(out.cut_notes)}.",
            file=sys.stderr,
        )
    return 0
