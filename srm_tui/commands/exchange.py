"""Commands that exchange a review with other tools: import (Prowler, Security Hub)
and wa-sync (the Well-Architected Tool, the only command that writes to AWS)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.commands.base import command
from srm_tui.errors import UsageError
from srm_tui.model import ImportedSet
from srm_tui.sanitize import clean


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="the assessment")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--prowler", type=Path, metavar="OCSF.json", help="Prowler's json-ocsf output"
    )
    source.add_argument(
        "--asff", type=Path, metavar="FILE", help="Security Hub findings (ASFF) in a file"
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

    with store.open_assessment(args.file, create=False) as opened:
        assessment = opened.assessment
        imported, where = _read_import(args, assessment.scope)
        earlier = apply.record(assessment, imported, where)
        opened.save()
    if earlier is not None:
        print(
            f"Replaced the earlier {earlier.source} import ({len(earlier.findings)} findings "
            f"from {clean(earlier.origin)}).",
            file=sys.stderr,
        )
    print(clean(apply.summary(assessment, imported)))
    from srm_tui.imports.combine import disagreements

    for placed in disagreements(assessment):
        found = placed.finding
        print(
            clean(
                f"  disagrees: {found.source} {found.check} says {found.status.value} for "
                f"{found.resource}; srm-tui's {', '.join(placed.checks)} says "
                f"{placed.own.value if placed.own else '-'}"
            )
        )
    return 0


def _read_import(args: argparse.Namespace, scope: object) -> tuple[ImportedSet, str]:
    if args.prowler is not None:
        from srm_tui.imports import prowler

        return prowler.read(args.prowler), str(args.prowler)
    if args.asff is not None:
        from srm_tui.imports import asff

        return asff.read(args.asff), str(args.asff)
    return _from_security_hub(args, scope)


def _from_security_hub(args: argparse.Namespace, scope: object) -> tuple[ImportedSet, str]:
    from srm_tui.aws.security_hub_findings import fetch
    from srm_tui.aws.session import AwsSession
    from srm_tui.imports import asff
    from srm_tui.model import Scope

    assert isinstance(scope, Scope)
    if not scope.account_id:
        raise UsageError(
            "the assessment has no account yet: scan it first, so that Security Hub's "
            "findings can be read for its account."
        )
    session = AwsSession(args.profile, args.endpoint_url or scope.endpoint_url or None)
    regions = tuple(args.regions or scope.regions or (session.default_region,))
    identity = session.identity(regions[0])
    if identity.account_id != scope.account_id:
        raise UsageError(
            f"the AWS credentials are of account {identity.account_id}, not of the "
            f"assessment's account {scope.account_id}: nothing was imported."
        )
    found = fetch(lambda r: session.client("securityhub", r), scope.account_id, regions)
    origin = "GetFindings " + ",".join(regions)
    return asff.from_findings(found, "Security Hub", origin), f"Security Hub ({origin})"
