"""Sending a review to the AWS Well-Architected Tool: the one place srm-tui writes to
AWS, only when asked (``srm-tui wa-sync``), with its own policy (``policy --wa-sync``).

The calls, in order:

1. ``ListLenses`` finds the custom lens by name; ``ImportLens`` imports the
   questionnaires as that lens (updating it when found) and ``CreateLensVersion``
   publishes the version, so a workload can use it;
2. ``ListWorkloads`` finds the workload by name; ``CreateWorkload`` makes it with the
   lens, or ``AssociateLenses`` adds the lens to the one found;
3. ``UpdateAnswer`` for every answered question of the lens: the choices, or not
   applicable with its reason, and the notes within the Tool's 2,084 characters
   (longer notes are cut and end with a marker);
4. ``CreateMilestone``, named after the srm-tui milestone.

The client is passed in (a boto3 ``wellarchitected`` client, a Stubber's, or the
``DryRun`` recorder that prints the calls and touches no network): nothing here
imports boto3.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from srm_tui import __version__
from srm_tui.errors import SrmError, UsageError
from srm_tui.model import Assessment, Reason, Section

#: The Tool's limit on a question's notes.
MAX_NOTES = 2084
CUT = "\n[... cut: the full notes are in the srm-tui assessment]"
#: The write actions wa-sync needs, and the reads it makes first.
ACTIONS = (
    "wellarchitected:ListLenses",
    "wellarchitected:ImportLens",
    "wellarchitected:CreateLensVersion",
    "wellarchitected:ListWorkloads",
    "wellarchitected:CreateWorkload",
    "wellarchitected:AssociateLenses",
    "wellarchitected:UpdateAnswer",
    "wellarchitected:CreateMilestone",
)
_REASON = {
    Reason.OUT_OF_SCOPE: "OUT_OF_SCOPE",
    Reason.BUSINESS_PRIORITIES: "BUSINESS_PRIORITIES",
    Reason.ARCHITECTURE_CONSTRAINTS: "ARCHITECTURE_CONSTRAINTS",
    Reason.OTHER: "OTHER",
}
_ENVIRONMENTS = {"production": "PRODUCTION", "prod": "PRODUCTION"}


def policy_document() -> dict[str, object]:
    """The IAM policy wa-sync needs: the Well-Architected Tool's actions only, apart
    from the read-only policy of the checks."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SrmTuiWellArchitectedSync",
                "Effect": "Allow",
                "Action": sorted(ACTIONS),
                "Resource": "*",
            }
        ],
    }


def fit_notes(notes: str) -> str:
    """Notes within the Tool's limit; cut ones end with a marker saying so."""
    if len(notes) <= MAX_NOTES:
        return notes
    return notes[: MAX_NOTES - len(CUT)].rstrip() + CUT


@dataclass(frozen=True, slots=True)
class Request:
    """What to sync: the assessment, its questionnaire and lens, and where."""

    assessment: Assessment
    sections: Sequence[Section]
    lens_name: str
    lens_json: str  # the custom lens as 'srm-tui lens' writes it
    lens_questions: dict[str, set[str]]  # question id -> the lens's choice ids
    workload_name: str
    milestone: str
    region: str


@dataclass
class Outcome:
    """What the sync did."""

    lens_arn: str = ""
    lens_version: str = ""
    workload_id: str = ""
    created_workload: bool = False
    answers: int = 0
    cut_notes: list[str] = field(default_factory=list)
    milestone_number: int | None = None


def prepare(
    assessment: Assessment,
    sections: Sequence[Section],
    *,
    workload_name: str,
    milestone: str,
    region: str,
    lens_name: str = "",
) -> Request:
    """The request for ``assessment``: the lens made from ``sections`` (a UsageError
    when the Tool would refuse it) and the choice ids each of its questions offers."""
    from srm_tui.report import lens

    _within_limits(assessment, workload_name, milestone)
    name = lens_name or lens.NAME
    try:
        text = lens.render(sections, name)
    except lens.LensError as exc:
        raise UsageError(str(exc)) from None
    built = lens.build(sections, name)
    questions = {
        q["id"]: {c["id"] for c in q["choices"]} for p in built["pillars"] for q in p["questions"]
    }
    # The name as the lens holds it (spaces folded, cut to the Tool's length): the one
    # the Tool lists, so that the next sync finds this lens instead of importing another.
    held = str(built["name"])
    return Request(assessment, sections, held, text, questions, workload_name, milestone, region)


def _within_limits(assessment: Assessment, workload_name: str, milestone: str) -> None:
    """The Tool's length rules, checked before the first call: a name it refuses would
    otherwise stop the sync after the lens was imported (or every answer sent)."""
    if not 3 <= len(workload_name) <= 100:
        raise UsageError(
            f"the Tool's workload names have 3 to 100 characters; {workload_name!r} has "
            f"{len(workload_name)}."
        )
    if len(milestone) < 3:
        raise UsageError(
            f"the Tool's milestone names have at least 3 characters, and {milestone!r} has "
            f"{len(milestone)}: name another with --milestone NAME."
        )
    owner = assessment.scope.review_owner or assessment.assessor
    if owner and len(owner) < 3:
        raise UsageError(
            f"the Tool's review owners have at least 3 characters, and {owner!r} has "
            f"{len(owner)}: set another with 'srm-tui scope FILE --review-owner NAME'."
        )


def _token(*parts: str) -> str:
    # Idempotent retries: the same request sends the same token.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "srm-tui:" + "|".join(parts)))


def sync(client: Any, request: Request, *, now: Callable[[], datetime]) -> Outcome:
    """Run the calls in order with ``client``; an AWS error stops at once (SrmError)."""
    out = Outcome()
    a = request.assessment
    digest = hashlib.sha256(request.lens_json.encode("utf-8")).hexdigest()[:16]
    found = _call(client.list_lenses, LensType="CUSTOM_SELF", LensName=request.lens_name[:128]).get(
        "LensSummaries", []
    )
    existing = next(
        (s.get("LensArn", "") for s in found if s.get("LensName") == request.lens_name), ""
    )
    imported = _call(
        client.import_lens,
        JSONString=request.lens_json,
        ClientRequestToken=_token("import", request.lens_name, digest),
        **({"LensAlias": existing} if existing else {}),
    )
    if imported.get("Status") == "ERROR":
        raise SrmError("The Well-Architected Tool refused the lens (ImportLens said ERROR).")
    out.lens_arn = str(imported.get("LensArn") or existing)
    version = f"{__version__}-{now().strftime('%Y%m%d%H%M%S')}"[:32]
    published = _call(
        client.create_lens_version,
        LensAlias=out.lens_arn,
        LensVersion=version,
        IsMajorVersion=True,
        ClientRequestToken=_token("version", out.lens_arn, version),
    )
    out.lens_version = str(published.get("LensVersion", version))
    out.workload_id = _workload(client, request, out)
    lens_choices = request.lens_questions
    for qid, answer in sorted(a.answers.items()):
        if qid not in lens_choices or not answer.is_answered:
            continue
        params: dict[str, Any] = {
            "WorkloadId": out.workload_id,
            "LensAlias": out.lens_arn,
            "QuestionId": qid,
        }
        if answer.applicable:
            params["SelectedChoices"] = [c for c in answer.selected if c in lens_choices[qid]]
            params["IsApplicable"] = True
        else:
            params["IsApplicable"] = False
            params["Reason"] = _REASON.get(answer.reason, "NONE") if answer.reason else "NONE"
        if answer.notes:
            notes = fit_notes(answer.notes)
            if notes != answer.notes:
                out.cut_notes.append(qid)
            params["Notes"] = notes
        _call(client.update_answer, **params)
        out.answers += 1
    made = _call(
        client.create_milestone,
        WorkloadId=out.workload_id,
        MilestoneName=request.milestone[:100],
        ClientRequestToken=_token("milestone", out.workload_id, request.milestone),
    )
    number = made.get("MilestoneNumber")
    out.milestone_number = int(number) if isinstance(number, int) else None
    return out


def _workload(client: Any, request: Request, out: Outcome) -> str:
    a = request.assessment
    name = request.workload_name
    listed = _call(client.list_workloads, WorkloadNamePrefix=name[:100]).get(
        "WorkloadSummaries", []
    )
    found = next((w.get("WorkloadId", "") for w in listed if w.get("WorkloadName") == name), "")
    if found:
        _call(client.associate_lenses, WorkloadId=found, LensAliases=[out.lens_arn])
        return str(found)
    params: dict[str, Any] = {
        "WorkloadName": name,
        "Description": f"AWS Shared Responsibility review: {a.name}"[:250],
        "Environment": _ENVIRONMENTS.get(a.scope.environment.strip().lower(), "PREPRODUCTION"),
        "Lenses": [out.lens_arn],
        "ClientRequestToken": _token("workload", name),
    }
    if a.scope.account_id:
        params["AccountIds"] = [a.scope.account_id]
    regions = list(a.scope.regions) or [request.region]
    params["AwsRegions"] = regions
    owner = a.scope.review_owner or a.assessor
    if owner:
        params["ReviewOwner"] = owner[:255]
    made = _call(client.create_workload, **params)
    out.created_workload = True
    return str(made.get("WorkloadId", ""))


def _call(method: Callable[..., Any], **params: Any) -> dict[str, Any]:
    try:
        answer = method(**params)
    except (SrmError, BrokenPipeError):
        # A dry run's reader went away ('| head'): no refusal by the Tool.
        raise
    except Exception as exc:  # botocore's errors; this module does not import botocore
        response = getattr(exc, "response", None)
        error = response.get("Error", {}) if isinstance(response, dict) else {}
        code = str(error.get("Code", "")) or type(exc).__name__
        message = str(error.get("Message", "") or exc).splitlines()[0][:200]
        name = getattr(method, "__name__", "call")
        raise SrmError(
            f"The Well-Architected Tool refused {_operation(name)}: {code}: {message}"
        ) from None
    return answer if isinstance(answer, dict) else {}


def _operation(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


class DryRun:
    """A stand-in client that records and prints every call, touches no network and
    answers as a first sync would find the account: no lens, no workload yet."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]:
        if name.startswith("_"):
            raise AttributeError(name)

        def record(**params: Any) -> dict[str, Any]:
            shown = dict(params)
            if "JSONString" in shown:
                text = shown["JSONString"]
                shown["JSONString"] = (
                    f"<the lens, {len(text.encode('utf-8')):,} bytes, sha256 "
                    f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}...>"
                )
            if "Notes" in shown:
                shown["Notes"] = f"<{len(shown['Notes'])} characters>"
            self.calls.append((_operation(name), params))
            self.write(f"{_operation(name)} {shown}")
            return {
                "LensArn": "<LensArn from ImportLens>",
                "LensVersion": params.get("LensVersion", ""),
                "WorkloadId": "<WorkloadId from CreateWorkload>",
                "Status": "COMPLETE",
            }

        record.__name__ = name
        return record
