"""What the two OSCAL documents (assessment results and the POA&M) share: stable
UUIDs, the metadata with its parties, properties in srm-tui's namespace, risks of
failing checks and of answers left at risk.

The UUIDs are version-5 UUIDs made from the assessment and the object they name, so
exporting the same review twice gives the same document, and a GRC tool that imports
it again updates rather than duplicates.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import quote

from srm_tui import __version__
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean

# 1.1.3, not 1.1.2: 1.1.2's metadata constraint demands 32 hex digits for a SHA-256
# hash (fixed in 1.1.3), so its validators refuse every evidence file's real hash.
OSCAL_VERSION = "1.1.3"
#: The namespace of srm-tui's own property names (OSCAL's own names need none).
NS = "urn:srm-tui:oscal"
_ROOT = uuid.UUID("5b0c1f5e-2f4d-5a8e-9a57-0d7a3c1e6b42")
OWNER_ROLE = "action-owner"
_NOT_TOKEN = re.compile(r"[^\w.\-]")


def uid(report: ReportInput, *parts: str) -> str:
    """A stable UUID for the object named by ``parts`` in this assessment."""
    a = report.assessment
    base = f"{a.name}|{a.scope.account_id}|{a.created.isoformat()}"
    return str(uuid.uuid5(_ROOT, "|".join((base, *parts))))


def moment(value: datetime | date | None, fallback: datetime) -> str:
    """An OSCAL date-time with its time zone (a date is read as its midnight, UTC)."""
    if value is None:
        value = fallback
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0), UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def day_end(day: date, fallback: datetime) -> str:
    """The last second of ``day`` (UTC): a due date or an acceptance's expiry holds
    through its whole day, so a deadline or an end at its midnight would be a day
    early. A date-time is kept as it is."""
    if isinstance(day, datetime):
        return moment(day, fallback)
    return datetime.combine(day, time(23, 59, 59), UTC).isoformat()


def line(text: object) -> str:
    """``text`` as one line with no space at either end ("-" when nothing is left): what
    OSCAL's titles (``markup-line``), names and property values (``string``) allow."""
    return " ".join(clean(str(text)).split()) or "-"


def token(text: str) -> str:
    """``text`` as an OSCAL token (letters, digits, ``.``, ``-``, ``_``; a letter or
    ``_`` first): ids that are tokens already stay as they are. The one spelling of a
    check's or question's control id in every OSCAL document (results, POA&M, catalog)."""
    made = _NOT_TOKEN.sub("_", clean(text)) or "_"
    return made if made[0].isalpha() or made[0] == "_" else "_" + made


def href(text: str) -> str:
    """``text`` as a link's ``href`` (a URI reference): cleaned, and what a URI cannot
    hold percent-encoded."""
    return quote(clean(text), safe=":/#?&=%@+~")


def prop(name: str, value: object, *, own: bool = True) -> dict[str, str]:
    """A property; srm-tui's own names carry its namespace."""
    made = {"name": name, "value": line(value)}
    if own:
        made["ns"] = NS
    return made


def framework_props(frameworks: Mapping[str, Sequence[str]]) -> list[dict[str, str]]:
    """One property per framework id, named by the framework key."""
    return [
        prop("framework-id", f"{clean(k)} {clean(i)}")
        for k in sorted(frameworks)
        for i in frameworks[k]
    ]


def party_uuid(report: ReportInput, name: str) -> str:
    """The UUID of the party named ``name``, as the metadata lists it (``line``), so
    every reference to a person resolves whatever their name holds."""
    return uid(report, "party", line(name))


def metadata(report: ReportInput, title: str, people: Iterable[str]) -> dict[str, Any]:
    """The document's metadata: title, dates, versions, and a party for each person
    named (owners, attesters), as the action owner."""
    a = report.assessment
    names = sorted({line(n) for n in people if n.strip()})
    meta: dict[str, Any] = {
        "title": line(title),
        # The OSCAL document's own time, not its source's: OSCAL 1.1's last-modified
        # is when this document was stored, even when derived from another format.
        "last-modified": moment(report.generated, report.generated),
        "version": moment(report.generated, report.generated),
        "oscal-version": OSCAL_VERSION,
        "props": [prop("tool", f"srm-tui {__version__}")],
    }
    if a.scope.account_id:
        meta["props"].append(prop("aws-account-id", a.scope.account_id))
    if names:
        meta["roles"] = [{"id": OWNER_ROLE, "title": "Owner of an action or risk"}]
        meta["parties"] = [
            {"uuid": party_uuid(report, n), "type": "person", "name": n} for n in names
        ]
        meta["responsible-parties"] = [
            {"role-id": OWNER_ROLE, "party-uuids": [party_uuid(report, n) for n in names]}
        ]
    return meta


def tool_component(report: ReportInput) -> dict[str, Any]:
    """srm-tui itself, as the component that ran the checks."""
    return {
        "uuid": uid(report, "component", "srm-tui"),
        "type": "software",
        "title": "srm-tui",
        "description": "Read-only checks of the customer's side of the AWS Shared "
        "Responsibility Model, and its questionnaire.",
        "props": [prop("version", __version__, own=True)],
        "status": {"state": "operational"},
    }


def assessment_assets(report: ReportInput, components: list[dict[str, Any]]) -> dict[str, Any]:
    """The tools that made the document, as OSCAL wants them: components of the
    assessment assets ("represented here to avoid mixing with system components"), used
    by one assessment platform; an origin actor of type ``tool`` points at one."""
    return {
        "components": components,
        "assessment-platforms": [
            {
                "uuid": uid(report, "assessment-platform"),
                "title": "srm-tui",
                "uses-components": [{"component-uuid": c["uuid"]} for c in components],
            }
        ],
    }


def tool_origin(report: ReportInput) -> dict[str, Any]:
    return {
        "actors": [
            {"type": "tool", "actor-uuid": uid(report, "component", "srm-tui")},
        ]
    }


def party_origin(report: ReportInput, name: str) -> dict[str, Any]:
    return {"actors": [{"type": "party", "actor-uuid": party_uuid(report, name)}]}


def owner_task(
    report: ReportInput, key: str, owner: str, due: date | None, title: str
) -> dict[str, Any]:
    """The task of a response: who does it (the owner's party) and by when."""
    task: dict[str, Any] = {
        "uuid": uid(report, "task", key),
        "type": "milestone" if due else "action",
        "title": line(title),
    }
    if due is not None:
        task["timing"] = {"on-date": {"date": moment(due, report.generated)}}
    if owner.strip():
        task["responsible-roles"] = [
            {"role-id": OWNER_ROLE, "party-uuids": [party_uuid(report, owner)]}
        ]
    return task
