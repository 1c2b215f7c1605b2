"""Detection and operations controls: GuardDuty's protection plans, Macie's automated
discovery, Systems Manager's associations, documents and settings, and AWS Config's
service-linked role; collectors the emulator lacks with botocore's Stubber."""

from __future__ import annotations

from datetime import UTC, datetime

from srm_tui.aws.collect.ssm import SETTINGS
from srm_tui.collected import Unreadable
from srm_tui.demo.seeds.guardduty import features
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, checks, collect, run, stubbed

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
WHEN = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
PLANS = {
    "guardduty.eks_audit_logs": "EKS_AUDIT_LOGS",
    "guardduty.lambda_protection": "LAMBDA_NETWORK_LOGS",
    "guardduty.ec2_malware_protection": "EBS_MALWARE_PROTECTION",
    "guardduty.rds_protection": "RDS_LOGIN_EVENTS",
    "guardduty.s3_protection": "S3_DATA_EVENTS",
    "guardduty.runtime_monitoring": "RUNTIME_MONITORING",
}
AGENTS = {
    "guardduty.eks_runtime_monitoring": "EKS_ADDON_MANAGEMENT",
    "guardduty.ecs_runtime_monitoring": "ECS_FARGATE_AGENT_MANAGEMENT",
    "guardduty.ec2_runtime_monitoring": "EC2_AGENT_MANAGEMENT",
}


def _detector(plans: list[dict], status: str = "ENABLED") -> dict:
    return {
        "CreatedAt": "2024-01-10T09:00:00.000Z",
        "ServiceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/"
        "AWSServiceRoleForAmazonGuardDuty",
        "Status": status,
        "Features": plans,
    }


def _collect_detector(plans: list[dict], status: str = "ENABLED") -> list[dict]:
    session, stub = stubbed("guardduty")
    stub.add_response("list_detectors", {"DetectorIds": ["d0c1"]}, {})
    stub.add_response("get_detector", _detector(plans, status), {"DetectorId": "d0c1"})
    with stub:
        return collect("guardduty.detectors", session=session)


def test_every_protection_plan_passes_when_on_and_fails_when_off():
    on = {"guardduty.detectors": _collect_detector(features("ENABLED"))}
    off = {"guardduty.detectors": _collect_detector(features("DISABLED"))}
    suspended = {"guardduty.detectors": _collect_detector(features("ENABLED"), "SUSPENDED")}
    for check_id in [*PLANS, *AGENTS]:
        assert [f.status for f in run(check_id, on)] == [P], check_id
        assert [f.status for f in run(check_id, off)] == [F], check_id
        (found,) = run(check_id, suspended)
        assert found.status is F and "suspended" in found.detail, check_id
        assert [f.status for f in run(check_id, {"guardduty.detectors": []})] == [NA], check_id


def test_runtime_monitoring_plans_need_the_agent_guardduty_manages():
    for check_id, agent in AGENTS.items():
        without = [
            {**plan, "AdditionalConfiguration": [
                {**a, "Status": "DISABLED"} if a["Name"] == agent else a
                for a in plan.get("AdditionalConfiguration", [])
            ]}
            for plan in features("ENABLED")
        ]  # fmt: skip
        data = {"guardduty.detectors": _collect_detector(without)}
        assert [f.status for f in run(check_id, data)] == [F], check_id
        assert [f.status for f in run("guardduty.runtime_monitoring", data)] == [P]
    # EKS Runtime Monitoring before Runtime Monitoring took it over counts too.
    legacy = [
        {
            "Name": "EKS_RUNTIME_MONITORING",
            "Status": "ENABLED",
            "AdditionalConfiguration": [{"Name": "EKS_ADDON_MANAGEMENT", "Status": "ENABLED"}],
        }
    ]
    data = {"guardduty.detectors": _collect_detector(legacy)}  # fmt: skip
    assert [f.status for f in run("guardduty.eks_runtime_monitoring", data)] == [P]


# --- Macie ------------------------------------------------------------------------------


def _macie(session_status: str | None, admin: str | None, discovery: str | None) -> dict:
    session, stub = stubbed("macie2")
    if session_status is None:
        stub.add_client_error("get_macie_session", "AccessDeniedException", "Macie is not enabled")
    else:
        stub.add_response(
            "get_macie_session",
            {"createdAt": WHEN, "findingPublishingFrequency": "SIX_HOURS",
             "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/macie", "status": session_status,
             "updatedAt": WHEN},
            {},
        )  # fmt: skip
        stub.add_response(
            "get_administrator_account",
            {"administrator": {"accountId": admin, "invitationId": "inv-1",
                               "relationshipStatus": "Enabled"}} if admin else {},
            {},
        )  # fmt: skip
        if discovery:
            stub.add_response(
                "get_automated_discovery_configuration",
                {"status": discovery, "classificationScopeId": "a1b2c3d4",
                 "sensitivityInspectionTemplateId": "e5f6a7b8"},
                {},
            )  # fmt: skip
    with stub:
        found = collect("macie.automated_discovery", session=session)
    stub.assert_no_pending_responses()
    return {"macie.automated_discovery": found}


def test_macie_automated_discovery_for_administrators_and_standalone_accounts():
    assert [
        f.status for f in run("macie.automated_discovery", _macie("ENABLED", None, "ENABLED"))
    ] == [P]
    (off,) = run("macie.automated_discovery", _macie("ENABLED", None, "DISABLED"))
    assert off.status is F and "disabled" in off.detail
    # A member account: its administrator decides; not even asked.
    (member,) = run("macie.automated_discovery", _macie("ENABLED", "999999999999", None))
    assert member.status is NA and "999999999999" in member.detail
    # An administrator sees itself nowhere as its own administrator.
    assert [
        f.status for f in run("macie.automated_discovery", _macie("ENABLED", ACCOUNT, "ENABLED"))
    ] == [P]
    assert [f.status for f in run("macie.automated_discovery", _macie(None, None, None))] == [NA]


# --- Systems Manager ---------------------------------------------------------------------


def test_public_documents():
    docs = [
        {"name": "shared", "arn": "arn:aws:ssm:us-east-1:1:document/shared", "type": "Command",
         "shared_with": ["All"]},
        {"name": "partner", "arn": "arn:aws:ssm:us-east-1:1:document/partner", "type": "Command",
         "shared_with": ["111122223333"]},
        {"name": "own", "arn": "arn:aws:ssm:us-east-1:1:document/own", "type": "Automation",
         "shared_with": []},
        {"name": "denied", "arn": "arn:aws:ssm:us-east-1:1:document/denied", "type": "Command",
         "shared_with": Unreadable("access denied to ssm:DescribeDocumentPermission")},
    ]  # fmt: skip
    found = run("ssm.public_documents", {"ssm.documents": docs})
    assert [f.status for f in found] == [F, P, P, E]
    assert [f.status for f in run("ssm.public_documents", {"ssm.documents": []})] == [NA]


def _settings(values: dict[str, str]) -> dict:
    session, stub = stubbed("ssm")
    for key, setting in SETTINGS.items():
        stub.add_response(
            "get_service_setting",
            {"ServiceSetting": {"SettingId": setting, "SettingValue": values[key],
                                "LastModifiedDate": WHEN, "Status": "Default",
                                "ARN": f"arn:aws:ssm:{REGION}:{ACCOUNT}:servicesetting{setting}"}},
            {"SettingId": setting},
        )  # fmt: skip
    with stub:
        return {"ssm.service_settings": collect("ssm.service_settings", session=session)}


def test_automation_logging_and_document_sharing_block_from_service_settings():
    good = _settings({"automation_logs": "CloudWatch", "document_sharing": "Disable"})
    bad = _settings({"automation_logs": "NONE", "document_sharing": "Enable"})
    for check_id in ("ssm.automation_logging", "ssm.document_public_sharing_blocked"):
        assert [f.status for f in run(check_id, good)] == [P], check_id
        assert [f.status for f in run(check_id, bad)] == [F], check_id
    assert checks()["ssm.automation_logging"].meta.api_calls == ("ssm:GetServiceSetting",)


def test_association_compliance_judges_nodes_with_association_data():
    nodes = {"i-0aaa": {}, "i-0bbb": {}, "i-0ccc": {}}
    record = {"severity": "UNSPECIFIED", "noncompliant": 0, "last_scan": ""}
    compliance = {"Association": {
        "i-0aaa": {**record, "status": "COMPLIANT"},
        "i-0bbb": {**record, "status": "NON_COMPLIANT", "noncompliant": 2},
    }}  # fmt: skip
    found = run("ssm.association_compliance",
                {"ssm.instance_information": nodes, "ssm.compliance": compliance})  # fmt: skip
    assert [f.status for f in found] == [P, F, NA]


# --- AWS Config ---------------------------------------------------------------------------

SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def _recorders(role: str, recording: bool = True, **extra) -> dict:
    return {"config.recorders": {
        "recorders": [{"name": "default", "roleARN": role,
                       "recordingGroup": {"allSupported": True}, **extra}],
        "status": [{"name": "default", "recording": recording}],
        "channels": [{"name": "default"}],
    }}  # fmt: skip


def test_config_records_with_its_service_linked_role():
    assert [f.status for f in run("config.service_linked_role", _recorders(SLR))] == [P]
    custom = f"arn:aws:iam::{ACCOUNT}:role/config-recorder"
    (found,) = run("config.service_linked_role", _recorders(custom))
    assert found.status is F and "config-recorder" in found.detail
    unchecked = run("config.service_linked_role", _recorders(custom),
                    parameters={"include_service_linked_role_check": False})  # fmt: skip
    assert [f.status for f in unchecked] == [P]
    assert [f.status for f in run("config.service_linked_role", _recorders(SLR, False))] == [F]
    none = {"config.recorders": {"recorders": [], "status": [], "channels": []}}
    assert [f.status for f in run("config.service_linked_role", none)] == [F]
    # Security Hub CSPM's service-linked recorder counts, whatever else exists.
    linked = _recorders(SLR, servicePrincipal="securityhub.amazonaws.com")
    assert [f.status for f in run("config.service_linked_role", linked)] == [P]
