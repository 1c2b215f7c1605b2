"""Shared samples of the exchange tests: the sample assessment with an accepted risk
and an answer backed by a file of evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import report_samples as samples

from srm_tui import acceptances, evidence
from srm_tui.model import Assessment
from srm_tui.report.inputs import ReportInput

ON = date(2026, 9, 10)


def trusted(folder: Path) -> Assessment:
    """The sample assessment, one failing check accepted until 2026-12-31 and the
    incident-response plan backed by a file beside the assessment."""
    a = samples.assessment()
    acceptances.accept(
        a,
        "ec2.sg_admin_ports_ipv4",
        reason="bastion, IP-restricted by NACL",
        owner="Platform team",
        approved_by="CISO",
        expires=date(2026, 12, 31),
        resource="*sg-0a*",
        on=ON,
    )
    (folder / "ir-plan.pdf").write_bytes(b"%PDF-1.7 incident response plan")
    entry = evidence.attach_file(
        folder / "ir-plan.pdf", base=folder, by="Dana", when=datetime(2026, 9, 2, tzinfo=UTC)
    )
    evidence.add(a.answers["s_ir_plan"], entry)
    return a


@pytest.fixture
def trusted_report(tmp_path: Path) -> ReportInput:
    a = trusted(tmp_path)
    return ReportInput(
        a,
        samples.sections(),
        checks={},
        source=tmp_path / "review.toml",
        generated=datetime(2026, 9, 10, 12, tzinfo=UTC),
    )


@pytest.fixture
def contradicted_report(trusted_report: ReportInput) -> ReportInput:
    """The trusted sample whose incident-response plan answer claims a practice that the
    failing root MFA check contradicts."""
    from dataclasses import replace

    sections = []
    for section in trusted_report.sections:
        questions = []
        for question in section.questions:
            if question.id == "s_ir_plan":
                first, *rest = question.choices
                question = replace(
                    question, choices=(replace(first, checks=("iam.root_mfa",)), *rest)
                )
            questions.append(question)
        sections.append(replace(section, questions=tuple(questions)))
    return replace(trusted_report, sections=tuple(sections))


@pytest.fixture
def org_report(trusted_report: ReportInput) -> ReportInput:
    """The trusted sample as an organization review whose incident contacts are answered apart
    for member account 222222222222 (every practice) and for an OU (does not apply)."""
    from dataclasses import replace

    from srm_tui.model import OrgAccount, Organization, Override, Reason

    org = Organization(
        "o-abcdefghij", "111111111111", accounts={"222222222222": OrgAccount("222222222222")}
    )
    everything = tuple(f"s_ir_contacts_p{i}" for i in (1, 2, 3))
    overrides = {
        "s_ir_contacts": {
            "222222222222": Override("s_ir_contacts", "222222222222", selected=everything),
            "ou-ab12-sandbox1": Override(
                "s_ir_contacts", "ou-ab12-sandbox1", applicable=False, reason=Reason.OUT_OF_SCOPE
            ),
        }
    }
    a = replace(trusted_report.assessment, organization=org, overrides=overrides)
    return replace(trusted_report, assessment=a)
