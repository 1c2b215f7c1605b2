"""OSCAL out: the improvement plan as an OSCAL 1.1 **plan of action and milestones**
(POA&M, JSON).

One POA&M item per item of the plan (a question left at a high or medium risk, a
failing check no acceptance covers), most urgent first, each with its risk: the
deadline is the item's due date, the owner a party responsible for the remediation's
task, the remediation the improvement texts or the check's remediation.
"""

from __future__ import annotations

import json
from typing import Any

from srm_tui.errors import SrmError
from srm_tui.report.content import PlanItem
from srm_tui.report.inputs import ReportInput
from srm_tui.report.oscal_parts import (
    assessment_assets,
    day_end,
    line,
    metadata,
    owner_task,
    prop,
    token,
    tool_origin,
    uid,
)
from srm_tui.report.text import clean


def _item_key(item: PlanItem) -> tuple[str, ...]:
    return (item.kind, item.id, item.resource)


def _risk(report: ReportInput, item: PlanItem) -> dict[str, Any]:
    key = _item_key(item)
    actions = [clean(a) for a in item.actions]
    what = (
        f"{item.resources} failing resource(s) of check {clean(item.id)}"
        if item.kind == "check"
        else f"the answer to {clean(item.id)} leaves a {item.level} risk"
    )
    risk: dict[str, Any] = {
        "uuid": uid(report, "poam-risk", *key),
        "title": line(item.title),
        "description": f"{clean(item.where)}: {what}.",
        "statement": clean(item.title),
        "props": [
            prop("kind", item.kind),
            prop("priority", item.level),
            prop("responsibility", item.responsibility.value),
        ],
        "status": "open",
        "remediations": [
            {
                "uuid": uid(report, "poam-response", *key),
                "lifecycle": "planned",
                "title": line(f"Fix: {item.title}"),
                "description": " ".join(actions) or "See the finding's remediation.",
                "tasks": [
                    owner_task(report, "|".join(key), item.owner, item.due, f"Done: {item.title}")
                ],
            }
        ],
    }
    if item.owner.strip():
        risk["props"].append(prop("owner", item.owner))
    if item.due is not None:
        risk["deadline"] = day_end(item.due, report.generated)
    if item.resource:
        risk["props"].append(prop("resource-pattern", item.resource))
    return risk


def build(report: ReportInput) -> dict[str, Any]:
    """The POA&M as a JSON-ready dict; SrmError when the plan is empty (OSCAL requires
    at least one POA&M item, and srm-tui makes none up)."""
    a = report.assessment
    if not report.plan:
        raise SrmError(
            "The review has nothing to plan (no failing check outside an acceptance, no "
            "answer at a high or medium risk), and an OSCAL plan of action and milestones "
            "needs at least one item."
        )
    risks = []
    items = []
    for item in report.plan:
        risk = _risk(report, item)
        risks.append(risk)
        entry: dict[str, Any] = {
            "uuid": uid(report, "poam-item", *_item_key(item)),
            "title": line(item.title),
            "description": risk["description"],
            # The check or question, as the catalog (--format oscal-catalog) and
            # the assessment results name the control.
            "props": [prop("priority", item.level), prop("control-id", token(item.id))],
            "origins": [tool_origin(report)],
            "related-risks": [{"risk-uuid": risk["uuid"]}],
        }
        if item.overdue(report.today):
            entry["props"].append(prop("overdue", "true"))
        items.append(entry)
    return {
        "plan-of-action-and-milestones": {
            "uuid": uid(report, "poam"),
            "metadata": metadata(
                report, f"{a.name}: plan of action and milestones", (i.owner for i in report.plan)
            ),
            # "Either an OSCAL-based SSP must be imported, or a unique system-id must
            # be specified" (OSCAL 1.1.2, POA&M): no SSP here, so the reviewed scope's
            # id, stable across exports like every UUID.
            "system-id": {
                "identifier-type": "http://ietf.org/rfc/rfc4122",
                "id": uid(report, "system"),
            },
            "local-definitions": {
                "assessment-assets": assessment_assets(
                    report,
                    [
                        {
                            "uuid": uid(report, "component", "srm-tui"),
                            "type": "software",
                            "title": "srm-tui",
                            "description": "The review tool that made this plan.",
                            "status": {"state": "operational"},
                        }
                    ],
                )
            },
            **({"risks": risks} if risks else {}),
            "poam-items": items,
        }
    }


def render(report: ReportInput) -> str:
    """The POA&M as OSCAL JSON."""
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
