"""Findings imported from other tools in the OSCAL assessment results: each tool
(Prowler, Security Hub) is a component of the result's local definitions, and each of
its checks one ``TEST`` observation whose origin actor is that tool; its subjects are
the resources it judged (the inventory items srm-tui's own observations use), each
with the tool's result and where it stands against srm-tui's own check
(``counts``, ``corroborates``, ``disagrees``, ``beside``, ``own_undecided``).

They stay observations, not findings or risks: srm-tui's own verdict decides a
control (``imports.combine``), and an imported result is evidence beside it that a
GRC tool can weigh (a disagreement is flagged on its subject).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from srm_tui.imports.combine import SOURCE_NAMES, Placed, place
from srm_tui.model import Status
from srm_tui.report.inputs import ReportInput
from srm_tui.report.oscal_parts import framework_props, line, moment, prop, uid
from srm_tui.report.text import clean
from srm_tui.secrets import redact


def components(report: ReportInput) -> list[dict[str, Any]]:
    """One software component per import: the tool that produced its findings."""
    made = []
    for source, kept in sorted(report.assessment.imports.items()):
        made.append(
            {
                "uuid": uid(report, "component", "import", source),
                "type": "software",
                "title": SOURCE_NAMES.get(source, line(source)),
                "description": line(
                    f"Findings imported from {kept.origin or source} on "
                    f"{kept.imported:%Y-%m-%d}; srm-tui's own checks decide the controls."
                ),
                "props": [prop("source", source)],
                "status": {"state": "operational"},
            }
        )
    return made


def observations(report: ReportInput, item: Callable[[str, str, str], str]) -> list[dict[str, Any]]:
    """One observation per imported check; ``item(resource, region, account)`` gives
    the inventory item's UUID."""
    grouped: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for placed in place(report.assessment):
        grouped[(placed.finding.source, placed.finding.check)].append(placed)
    made = []
    for (source, check), placed in sorted(grouped.items()):
        first = placed[0].finding
        kept = report.assessment.imports[source]
        failed = sum(1 for p in placed if p.finding.status is Status.FAIL)
        subjects = []
        for p in placed:
            f = p.finding
            subject: dict[str, Any] = {
                "subject-uuid": item(f.resource, f.region, f.account_id),
                "type": "inventory-item",
                "title": line(f.resource),
                "props": [prop("result", f.status.value), prop("agreement", p.agreement.value)],
            }
            if f.account_id:
                subject["props"].append(prop("aws-account-id", f.account_id))
            if p.checks:
                subject["props"].append(prop("srm-tui-checks", " ".join(p.checks)))
            if f.detail.strip():
                subject["remarks"] = redact(clean(f.detail))
            subjects.append(subject)
        made.append(
            {
                "uuid": uid(report, "observation", "import", source, check),
                "title": line(first.title or check),
                "description": line(
                    f"{source} {check}: {failed} failed, {len(placed) - failed} other results."
                ),
                "props": [
                    prop("source", source),
                    prop("check", check),
                    prop("severity", first.severity.value),
                    *framework_props(first.frameworks),
                ],
                "methods": ["TEST"],
                "types": ["finding" if failed else "control-objective"],
                "origins": [
                    {
                        "actors": [
                            {
                                "type": "tool",
                                "actor-uuid": uid(report, "component", "import", source),
                            }
                        ]
                    }
                ],
                "subjects": subjects,
                "collected": moment(kept.imported, report.generated),
            }
        )
    return made
