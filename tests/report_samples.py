"""A realistic assessment and catalogue for the report tests, built in code so that the
tests depend neither on the scan engine nor on the shipped questionnaires."""

from __future__ import annotations

from datetime import UTC, date, datetime

from srm_tui.model import (
    Answer,
    Assessment,
    CheckRecord,
    Choice,
    Evidence,
    Finding,
    Question,
    Reason,
    Responsibility,
    Risk,
    RiskRule,
    ScanInfo,
    ScanStatus,
    Scope,
    Section,
    Severity,
    Status,
)
from srm_tui.review import refresh_risks

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"


def question(
    qid: str,
    section: str,
    title: str,
    *,
    responsibility: Responsibility = Responsibility.CUSTOMER,
    frameworks: dict[str, tuple[str, ...]] | None = None,
    checks: tuple[str, ...] = (),
    practices: int = 3,
    url: str = "https://docs.aws.amazon.com/example",
) -> Question:
    """A question with ``practices`` choices plus "None of these" and three risk rules."""
    practice_choices = [
        Choice(f"{qid}_p{i}", f"Practice {i} of {title}", f"Do practice {i} for {qid}.")
        for i in range(1, practices + 1)
    ]
    choices = (*practice_choices, Choice(f"{qid}_no", "None of these"))
    every = " && ".join(c.id for c in choices[:-1])
    rules = (
        RiskRule(every, Risk.NONE),
        RiskRule(f"{qid}_p1", Risk.MEDIUM),
        RiskRule("default", Risk.HIGH),
    )
    return Question(
        id=qid,
        section=section,
        title=title,
        help=f"Why {title} matters.",
        responsibility=responsibility,
        frameworks=frameworks or {},
        choices=choices,
        risk_rules=rules,
        checks=checks,
        url=url,
    )


def sections() -> tuple[Section, ...]:
    """Two sections of three questions each."""
    ir = "incident_response"
    tr = "training"
    return (
        Section(
            ir,
            "Incident response",
            "Being ready.",
            (
                question(
                    "s_ir_plan",
                    ir,
                    "Is incident response planned?",
                    responsibility=Responsibility.SHARED,
                    frameworks={"nist-csf-2.0": ("RS.MA",), "iso-27017": ("CLD.6.3.1",)},
                ),
                question(
                    "s_ir_contacts",
                    ir,
                    "Can people be reached?",
                    frameworks={"cis-aws-7.0": ("2.2",), "nist-csf-2.0": ("RS.CO-02",)},
                    checks=("account.security_contact", "iam.support_role"),
                ),
                question("s_ir_logs", ir, "Are logs kept?", checks=("cloudtrail.enabled",)),
            ),
            order=10,
        ),
        Section(
            tr,
            "Awareness and training",
            "People.",
            (
                question(
                    "s_tr_awareness",
                    tr,
                    "Are people trained?",
                    responsibility=Responsibility.SHARED,
                    frameworks={"nist-csf-2.0": ("PR.AT",)},
                ),
                question("s_tr_phishing", tr, "Is phishing tested?"),
                question("s_tr_cloud", tr, "Do engineers learn AWS security?"),
            ),
            order=20,
        ),
    )


def records() -> dict[str, CheckRecord]:
    """Check records across severities and responsibilities."""
    return {
        r.id: r
        for r in (
            CheckRecord(
                "iam.root_mfa",
                "Root user has MFA",
                "iam",
                Severity.CRITICAL,
                Responsibility.CUSTOMER,
                {"cis-aws-7.0": ("2.4",), "aws-fsbp": ("IAM.9",)},
                "Enable MFA on the root user.",
            ),
            CheckRecord(
                "s3.public_access_block",
                "Buckets block public access",
                "s3",
                Severity.HIGH,
                Responsibility.CUSTOMER,
                {"cis-aws-7.0": ("3.1.4",), "aws-fsbp": ("S3.8",)},
                "Turn on Block Public Access.",
            ),
            CheckRecord(
                "ec2.sg_admin_ports_ipv4",
                "Security groups do not open admin ports",
                "ec2",
                Severity.HIGH,
                Responsibility.CUSTOMER,
                {"cis-aws-7.0": ("6.3",), "aws-fsbp": ("EC2.53",)},
                "Close ports 22 and 3389 to the world.",
            ),
            CheckRecord(
                "cloudtrail.enabled",
                "CloudTrail is on in every region",
                "cloudtrail",
                Severity.HIGH,
                Responsibility.SHARED,
                {"cis-aws-7.0": ("4.1",)},
                "Create a multi-region trail.",
            ),
            CheckRecord(
                "account.security_contact",
                "A security contact is set",
                "account",
                Severity.MEDIUM,
                Responsibility.CUSTOMER,
                {"cis-aws-7.0": ("2.2",)},
                "Set the security alternate contact.",
            ),
            CheckRecord(
                "iam.support_role",
                "A support role exists",
                "iam",
                Severity.LOW,
                Responsibility.CUSTOMER,
                {"cis-aws-7.0": ("2.15",)},
                "Create a role with AWSSupportAccess.",
            ),
            CheckRecord(
                "guardduty.enabled",
                "GuardDuty is enabled",
                "guardduty",
                Severity.MEDIUM,
                Responsibility.CUSTOMER,
                {"aws-fsbp": ("GuardDuty.1",)},
                "Enable GuardDuty.",
            ),
        )
    }


def findings() -> list[Finding]:
    """Failures, passes, errors and a not-applicable result."""
    acct = ACCOUNT
    result = [
        Finding("iam.root_mfa", "global", f"arn:aws:iam::{acct}:root", Status.FAIL, "no MFA"),
        Finding(
            "ec2.sg_admin_ports_ipv4",
            "eu-west-1",
            f"arn:aws:ec2:eu-west-1:{acct}:security-group/sg-0a",
            Status.FAIL,
            "port 22 open to 0.0.0.0/0",
        ),
        Finding(
            "ec2.sg_admin_ports_ipv4",
            "eu-west-1",
            f"arn:aws:ec2:eu-west-1:{acct}:security-group/sg-0b",
            Status.PASS,
        ),
        Finding(
            "cloudtrail.enabled",
            "us-east-1",
            f"arn:aws:cloudtrail:us-east-1:{acct}:trail/main",
            Status.PASS,
        ),
        Finding(
            "account.security_contact",
            "global",
            f"arn:aws:account::{acct}:account",
            Status.FAIL,
            "no security contact",
        ),
        Finding(
            "iam.support_role",
            "global",
            f"arn:aws:iam::{acct}:account",
            Status.NOT_APPLICABLE,
            "nothing to check",
        ),
        Finding(
            "guardduty.enabled",
            "eu-west-1",
            f"arn:aws:guardduty:eu-west-1:{acct}:account",
            Status.ERROR,
            "AccessDenied: guardduty:ListDetectors was denied",
        ),
    ]
    # Enough public buckets that the report must fold the list.
    for i in range(25):
        result.append(
            Finding(
                "s3.public_access_block",
                "global",
                f"arn:aws:s3:::bucket-{i:02d}",
                Status.FAIL,
                f"bucket-{i:02d} allows public ACLs",
            )
        )
    return result


def assessment() -> Assessment:
    """The realistic assessment: several answers with notes, owners, due dates and
    evidence; findings of every status."""
    a = Assessment(
        name="Quarterly review",
        created=datetime(2026, 9, 1, 9, 0, tzinfo=UTC),
        updated=datetime(2026, 9, 2, 17, 30, tzinfo=UTC),
        tool_version="0.1.0",
        scope=Scope(
            account_id=ACCOUNT,
            regions=("eu-west-1", "us-east-1"),
            services=("ec2", "s3", "lambda"),
        ),
        scan=ScanInfo(
            status=ScanStatus.PARTIAL,
            started=datetime(2026, 9, 1, 9, 5, tzinfo=UTC),
            finished=datetime(2026, 9, 1, 9, 6, tzinfo=UTC),
            api_calls=412,
            errors=("guardduty: AccessDenied in eu-west-1",),
        ),
        checks=records(),
        findings=findings(),
    )
    a.answers = {
        "s_ir_plan": Answer(
            "s_ir_plan",
            "incident_response",
            selected=("s_ir_plan_p1",),
            notes="A plan exists for the data centre;\nthe cloud part is missing.",
            evidence=(Evidence.link("https://wiki.example.com/ir-plan"),),
            owner="Dana (security)",
            due=date(2026, 12, 31),
        ),
        "s_ir_contacts": Answer(
            "s_ir_contacts",
            "incident_response",
            selected=("s_ir_contacts_no",),
            owner="Sam",
            due=date(2026, 10, 15),
        ),
        "s_ir_logs": Answer(
            "s_ir_logs",
            "incident_response",
            selected=("s_ir_logs_p1", "s_ir_logs_p2", "s_ir_logs_p3"),
            notes="All trails go to the log archive account.",
        ),
        "s_tr_awareness": Answer(
            "s_tr_awareness", "training", applicable=False, reason=Reason.BUSINESS_PRIORITIES
        ),
        "s_tr_phishing": Answer("s_tr_phishing", "training", selected=("s_tr_phishing_p2",)),
    }
    refresh_risks(a, sections())
    return a
