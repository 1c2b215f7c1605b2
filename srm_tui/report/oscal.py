"""OSCAL out: the review as OSCAL 1.1 **assessment results** (JSON), for GRC tools.

- observations: ``TEST`` for each check (its subjects are the resources, inventory
  items of the result), ``INTERVIEW`` for each answer (by whoever attested it),
  ``EXAMINE`` for each attached piece of evidence (a back-matter resource with the
  file's SHA-256);
- findings: one per check and per answered question, its target the check or question
  id, ``satisfied`` or ``not-satisfied``;
- risks: one per failing check (the failures no acceptance covers) and per high or
  medium answer, ``open`` with its deadline; one per acceptance in force,
  ``deviation-approved``, its expiry the deadline and its approval in the risk log (an
  acceptance out of the assessment's policy approves nothing: its failures are open).

"Could not check" and "does not apply" are observations without a finding: they
neither satisfy nor fail a control. Findings imported from other tools are
observations with that tool as their origin (``oscal_imported``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from srm_tui.acceptances import EXPIRED, OUT_OF_POLICY, Covered
from srm_tui.contradictions import imported_lead, imported_not_applying_said, not_applying_said
from srm_tui.model import Acceptance, Answer, Question, Risk
from srm_tui.report import oscal_imported
from srm_tui.report.content import CheckGroup
from srm_tui.report.inputs import ReportInput
from srm_tui.report.oscal_parts import (
    assessment_assets,
    day_end,
    framework_props,
    href,
    line,
    metadata,
    moment,
    party_origin,
    prop,
    token,
    tool_component,
    tool_origin,
    uid,
)
from srm_tui.report.text import clean
from srm_tui.scoring import risk_of
from srm_tui.secrets import redact

_AT_RISK = (Risk.HIGH, Risk.MEDIUM)


class _Builder:
    """Collects the parts of one result, cross-referenced by UUID."""

    def __init__(self, report: ReportInput) -> None:
        self.report = report
        self.observations: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.risks: list[dict[str, Any]] = []
        self.items: dict[str, dict[str, Any]] = {}  # inventory items by resource
        self.resources: list[dict[str, Any]] = []  # back matter
        self.people: set[str] = set()
        self.controls: list[str] = []

    @property
    def collected(self) -> str:
        a = self.report.assessment
        return moment(a.scan.finished or a.updated, self.report.generated)

    def item(self, resource: str, region: str, account: str = "") -> str:
        """The inventory item of a resource; in an organization review each account's
        own, since two members can hold resources of the same name."""
        if self.report.assessment.organization is None:
            account = ""  # one account: the scope's, whoever names it
        key = f"{account}|{region}|{resource}" if account else f"{region}|{resource}"
        found = self.items.get(key)
        if found is None:
            found = self.items[key] = {
                "uuid": uid(self.report, "resource", key),
                "description": line(resource),
                "props": [
                    prop("asset-id", resource, own=False),
                    prop("region", region),
                    *([prop("aws-account-id", account)] if account else []),
                ],
            }
        return found["uuid"]

    # --- checks ---------------------------------------------------------------------

    def check(self, group: CheckGroup) -> None:
        record = group.record
        report = self.report
        if not group.total:
            return
        subjects = []
        for status, bucket in (
            ("fail", group.failed),
            ("pass", group.passed),
            ("error", group.errors),
            ("not_applicable", group.not_applicable),
        ):
            for f in bucket:
                subject: dict[str, Any] = {
                    "subject-uuid": self.item(f.resource, f.region, f.account_id),
                    "type": "inventory-item",
                    "title": line(f.resource),
                    "props": [prop("result", status)],
                }
                if f.detail:
                    subject["remarks"] = redact(clean(f.detail))
                subjects.append(subject)
        observation = uid(report, "observation", "check", record.id)
        self.observations.append(
            {
                "uuid": observation,
                "title": line(record.title),
                "description": (
                    f"{clean(record.id)}: {len(group.failed)} failed, {len(group.passed)} "
                    f"passed, {len(group.errors)} could not be checked, "
                    f"{len(group.not_applicable)} not applicable."
                ),
                "props": [prop("check", record.id), prop("severity", record.severity.value)],
                "methods": ["TEST"],
                "types": ["finding" if group.failed else "control-objective"],
                "origins": [tool_origin(report)],
                "subjects": subjects,
                "collected": self.collected,
            }
        )
        if not (group.failed or group.passed):
            return
        risks = self.check_risks(group, observation)
        self.finding(
            record.id,
            record.title,
            record.frameworks,
            satisfied=not group.failed,
            observations=[observation],
            risks=risks,
            origin=tool_origin(report),
        )

    def check_risks(self, group: CheckGroup, observation: str) -> list[str]:
        record = group.record
        report = self.report
        made = []
        open_failures = group.open
        if open_failures:
            items = [i for i in report.plan if i.kind == "check" and i.id == record.id]
            dues = [i.due for i in items if i.due is not None]
            owners = sorted({i.owner for i in items if i.owner})
            # Failures whose acceptance has run out are open again; the risk log keeps
            # the deviation that was approved and the day it ended. One out of the
            # assessment's policy was never approved: the log says why it holds nothing.
            lapsed: dict[str, Acceptance] = {}
            flawed: dict[str, Covered] = {}
            for f in open_failures:
                c = group.exception(f)
                if c is not None and c.state == EXPIRED:
                    lapsed[c.acceptance.id] = c.acceptance
                elif c is not None and c.state == OUT_OF_POLICY:
                    flawed[c.acceptance.id] = c
            log = [e for a in lapsed.values() for e in self.lapsed_entries(a)]
            log += [self.out_of_policy_entry(c) for c in flawed.values()]
            made.append(
                self.risk(
                    ("check", record.id, "open"),
                    title=f"{record.title} ({len(open_failures)} failing resources)",
                    description=f"{clean(record.id)} fails for {len(open_failures)} resource(s).",
                    statement=clean(record.remediation) or clean(record.title),
                    status="open",
                    deadline=min(dues) if dues else None,
                    props=[prop("severity", record.severity.value)]
                    + [prop("owner", o) for o in owners]
                    + [prop("expired-acceptance-id", i) for i in sorted(lapsed)]
                    + [prop("out-of-policy-acceptance-id", i) for i in sorted(flawed)],
                    observation=observation,
                    log=log,
                )
            )
        accepted: dict[str, list[Covered]] = defaultdict(list)
        for f in group.accepted:
            covered = group.exception(f)
            if covered is not None:
                accepted[covered.acceptance.id].append(covered)
        for covers in accepted.values():
            acceptance = covers[0].acceptance
            made.append(
                self.accepted_risk(record.id, record.title, acceptance, len(covers), observation)
            )
        return made

    def approval_entry(self, acceptance: Acceptance) -> dict[str, Any]:
        """The risk log's entry of an acceptance: the deviation approved, from its
        creation to its expiry."""
        report = self.report
        self.people.add(acceptance.owner)
        if acceptance.approved_by:
            self.people.add(acceptance.approved_by)
        return {
            "uuid": uid(report, "risk-log", acceptance.id),
            "title": "Deviation approved",
            "description": clean(acceptance.reason),
            "start": moment(acceptance.created, report.generated),
            "end": day_end(acceptance.expires, report.generated),
            "status-change": "deviation-approved",
        }

    def lapsed_entries(self, acceptance: Acceptance) -> list[dict[str, Any]]:
        """The risk log of an acceptance that has expired: approved, then open again
        from its expiry."""
        expires = acceptance.expires.isoformat()
        return [
            self.approval_entry(acceptance),
            {
                "uuid": uid(self.report, "risk-log", acceptance.id, "expired"),
                "title": "Deviation expired",
                "description": f"Accepted risk {clean(acceptance.id)} expired on {expires}; "
                "its failures are open again.",
                "start": moment(acceptance.expires + timedelta(days=1), self.report.generated),
                "status-change": "open",
            },
        ]

    def out_of_policy_entry(self, covered: Covered) -> dict[str, Any]:
        """The risk log's entry of an acceptance that breaks the assessment's policy: it
        approves nothing, and its failures are open."""
        acceptance = covered.acceptance
        return {
            "uuid": uid(self.report, "risk-log", acceptance.id, "out-of-policy"),
            "title": "Deviation out of policy",
            "description": f"Accepted risk {clean(acceptance.id)} is out of the assessment's "
            f"policy ({clean(covered.flaw or '')}); its failures are open.",
            "start": moment(acceptance.created, self.report.generated),
            "status-change": "open",
        }

    def accepted_risk(
        self, check: str, title: str, acceptance: Acceptance, count: int, observation: str
    ) -> str:
        entry = self.approval_entry(acceptance)
        props = [
            prop("acceptance-id", acceptance.id),
            prop("owner", acceptance.owner),
            prop("expires", acceptance.expires.isoformat()),
            prop("resource-pattern", acceptance.resource),
        ]
        if acceptance.approved_by:
            props.append(prop("approved-by", acceptance.approved_by))
        return self.risk(
            ("acceptance", acceptance.id, check),
            title=f"{title}: accepted risk {acceptance.id} ({count} resources)",
            description=clean(acceptance.reason),
            statement=f"Accepted until {acceptance.expires.isoformat()}: "
            f"{clean(acceptance.reason)}",
            status="deviation-approved",
            deadline=acceptance.expires,
            props=props,
            observation=observation,
            log=[entry],
        )

    # --- answers --------------------------------------------------------------------

    def answer(self, question: Question, answer: Answer, target: str = "") -> None:
        """The observation, finding and risk of an answer: the organization's (or the
        account's), or with ``target`` the one an organization review gives for one
        account or OU."""
        report = self.report
        where = (target,) if target else ()
        risk = risk_of(question, answer)
        who = answer.attested_by.strip()
        if who:
            self.people.add(who)
        if answer.owner.strip():
            self.people.add(answer.owner)
        chosen = [clean(c.title) for c in question.choices if c.id in answer.selected]
        if answer.applicable:
            said = "Selected: " + ("; ".join(chosen) or "nothing") + "."
        else:
            reason = answer.reason.label if answer.reason else "no reason given"
            said = f"Does not apply ({reason})."
        contradicted = report.contradictions(question, answer, target)
        if contradicted and not answer.applicable:
            checks = [clean(c) for c in contradicted]
            said += f" Contradicted by the scan: {not_applying_said(checks)}."
        imported = report.imported_contradictions(question, answer, target)
        if imported and not answer.applicable:
            lead = imported_lead(imported).capitalize()
            said += f" {lead}: {imported_not_applying_said(imported, clean)}."
        if answer.notes:
            said += " Notes: " + redact(clean(answer.notes))
        if target:
            said = f"For {clean(target)} only: {said}"
        observation = uid(report, "observation", "answer", question.id, *where)
        origin = party_origin(report, who) if who else tool_origin(report)
        scope = [prop("applies-to", target)] if target else []
        interview: dict[str, Any] = {
            "uuid": observation,
            "title": line(question.title),
            "description": said,
            "props": [prop("question", question.id), prop("risk", risk.value), *scope],
            "methods": ["INTERVIEW"],
            "types": ["finding" if risk in _AT_RISK else "control-objective"],
            "origins": [origin],
            "collected": moment(
                answer.attested or answer.answered or report.assessment.updated,
                report.generated,
            ),
        }
        self.observations.append(interview)
        related = [observation, *(self.evidence(question, answer) if not target else ())]
        # A claimed practice (or a "does not apply") a failing check contradicts: the
        # check's TEST observation is evidence of the finding too, and the interview
        # says which checks.
        related += [uid(report, "observation", "check", c) for c in contradicted]
        interview["props"] += [prop("contradicted-by", c) for c in contradicted]
        # So for a failure imported from another tool: its own check's observation.
        tools = dict.fromkeys((f.source, f.check) for f in imported)
        related += [uid(report, "observation", "import", *key) for key in tools]
        interview["props"] += [prop("contradicted-by-import", " ".join(key)) for key in tools]
        if risk not in (*_AT_RISK, Risk.NONE):
            return
        risks = []
        if risk in _AT_RISK:
            risks.append(
                self.risk(
                    ("answer", question.id, *where),
                    title=question.title,
                    description=f"The answer leaves a {risk.value} risk.",
                    statement=clean(question.title),
                    status="open",
                    deadline=answer.due,
                    props=[prop("risk", risk.value), *scope]
                    + ([prop("owner", answer.owner)] if answer.owner.strip() else []),
                    observation=observation,
                )
            )
        self.finding(
            question.id,
            question.title,
            question.frameworks,
            satisfied=risk is Risk.NONE,
            observations=related,
            risks=risks,
            origin=origin,
            where=where,
        )

    def evidence(self, question: Question, answer: Answer) -> list[str]:
        report = self.report
        made = []
        for number, entry in enumerate(answer.evidence):
            key = (question.id, str(number))
            resource = uid(report, "evidence", *key)
            rlink: dict[str, Any] = {"href": href(entry.ref)}
            if entry.sha256:
                rlink["hashes"] = [{"algorithm": "SHA-256", "value": clean(entry.sha256)}]
            self.resources.append(
                {
                    "uuid": resource,
                    "title": line(entry.ref),
                    "description": clean(entry.note) or f"Evidence for {clean(question.id)}",
                    "props": [prop("kind", entry.kind)],
                    "rlinks": [rlink],
                }
            )
            state = report.evidence_state(question.id, number).value
            observation = uid(report, "observation", "evidence", *key)
            self.observations.append(
                {
                    "uuid": observation,
                    "title": line(f"Evidence: {entry.ref}"),
                    "description": f"{clean(entry.kind)} {clean(entry.ref)}, {state} "
                    "since it was attached.",
                    "props": [prop("question", question.id), prop("evidence-state", state)],
                    "methods": ["EXAMINE"],
                    "origins": [
                        party_origin(report, entry.by) if entry.by else tool_origin(report)
                    ],
                    "relevant-evidence": [
                        {"href": f"#{resource}", "description": clean(entry.ref)}
                    ],
                    "collected": moment(entry.added, report.generated),
                }
            )
            if entry.by:
                self.people.add(entry.by)
            made.append(observation)
        return made

    # --- shared ---------------------------------------------------------------------

    def risk(
        self,
        key: tuple[str, ...],
        *,
        title: str,
        description: str,
        statement: str,
        status: str,
        deadline: date | None,
        props: list[dict[str, str]],
        observation: str | None = None,
        log: list[dict[str, Any]] | None = None,
    ) -> str:
        report = self.report
        made: dict[str, Any] = {
            "uuid": uid(report, "risk", *key),
            "title": line(title),
            "description": description,
            "statement": statement,
            "props": props,
            "status": status,
        }
        if deadline is not None:
            made["deadline"] = day_end(deadline, report.generated)
        if log:
            made["risk-log"] = {"entries": log}
        if observation:
            made["related-observations"] = [{"observation-uuid": observation}]
        self.risks.append(made)
        return made["uuid"]

    def finding(
        self,
        control: str,
        title: str,
        frameworks: Any,
        *,
        satisfied: bool,
        observations: list[str],
        risks: list[str],
        origin: dict[str, Any],
        where: tuple[str, ...] = (),
    ) -> None:
        target = token(control)
        self.controls.append(target)
        made: dict[str, Any] = {
            "uuid": uid(self.report, "finding", control, *where),
            "title": line(title) if title.strip() else target,
            "description": f"{target}: {'satisfied' if satisfied else 'not satisfied'}.",
            "origins": [origin],
            "target": {
                "type": "objective-id",
                "target-id": target,
                "props": framework_props(frameworks),
                "status": {"state": "satisfied" if satisfied else "not-satisfied"},
            },
            "related-observations": [{"observation-uuid": o} for o in observations],
        }
        if not made["target"]["props"]:
            del made["target"]["props"]
        if risks:
            made["related-risks"] = [{"risk-uuid": r} for r in risks]
        self.findings.append(made)


def build(report: ReportInput) -> dict[str, Any]:
    """The assessment results as a JSON-ready dict."""
    a = report.assessment
    parts = _Builder(report)
    for group in report.groups:
        parts.check(group)
    for qid, question in report.questions.items():
        answer = a.answers.get(qid)
        if answer is not None and answer.is_answered:
            parts.answer(question, answer)
    for question, target, answer in report.override_answers:
        parts.answer(question, answer, target)
    if a.imports:
        parts.observations += oscal_imported.observations(report, parts.item)
    plan_resource = uid(report, "assessment-plan")
    start = moment(a.scan.started or a.created, report.generated)
    result: dict[str, Any] = {
        "uuid": uid(report, "result"),
        "title": line(f"{a.name}: AWS Shared Responsibility review"),
        "description": "Read-only checks of the account and the questionnaire's answers.",
        "start": start,
        "end": moment(report.generated, report.generated),
        "props": [prop("scan-status", a.scan.status.value)],
        "local-definitions": {},
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": [{"control-id": c} for c in dict.fromkeys(parts.controls)]}
                if parts.controls
                else {"include-all": {}}
            ]
        },
    }
    if parts.items:
        result["local-definitions"]["inventory-items"] = list(parts.items.values())
    result["local-definitions"]["assessment-assets"] = assessment_assets(
        report, [tool_component(report), *oscal_imported.components(report)]
    )
    for key, value in (
        ("observations", parts.observations),
        ("risks", parts.risks),
        ("findings", parts.findings),
    ):
        if value:
            result[key] = value
    if a.scope.regions:
        result["props"].append(prop("regions", " ".join(a.scope.regions)))
    resources = [
        {
            "uuid": plan_resource,
            "title": "Assessment plan",
            "description": "srm-tui's catalogue of read-only checks and its questionnaire; "
            "'srm-tui checks' and 'srm-tui questions' list them. 'srm-tui report FILE "
            "--format oscal-catalog' writes them as the OSCAL catalog that defines every "
            "control id of these results.",
            "props": [prop("catalog-format", "oscal-catalog")],
        },
        *parts.resources,
    ]
    owners = {i.owner for i in report.plan}
    return {
        "assessment-results": {
            "uuid": uid(report, "assessment-results"),
            "metadata": metadata(report, f"{a.name}: assessment results", parts.people | owners),
            "import-ap": {"href": f"#{plan_resource}"},
            "results": [result],
            "back-matter": {"resources": resources},
        }
    }


def render(report: ReportInput) -> str:
    """The assessment results as OSCAL JSON."""
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
