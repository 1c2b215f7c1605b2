"""Collectors of operations the emulator lacks, tested with botocore's Stubber and the
response shapes of the AWS API (the Stubber validates them against botocore's model)."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

from srm_tui.aws.account_api import AccountApi
from srm_tui.aws.session import AwsSession
from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    REGION,
    by_suffix,
    checks,
    collect,
    run,
    stubbed,
)

WHEN = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


# --- IAM Access Analyzer -------------------------------------------------------------


def _analyzer(name: str, kind: str, status: str) -> dict:
    return {
        "arn": f"arn:aws:access-analyzer:{REGION}:{ACCOUNT}:analyzer/{name}",
        "name": name,
        "type": kind,
        "createdAt": WHEN,
        "lastResourceAnalyzed": f"arn:aws:s3:::bucket-{name}",
        "lastResourceAnalyzedAt": WHEN,
        "tags": {},
        "status": status,
    }


@pytest.mark.parametrize(
    ("analyzers", "expected", "detail"),
    [
        ([_analyzer("org-external", "ORGANIZATION", "ACTIVE")], Status.PASS, "org-external"),
        ([_analyzer("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")], Status.FAIL, "no external"),
        ([_analyzer("acct", "ACCOUNT", "DISABLED")], Status.FAIL, "acct disabled"),
        ([], Status.FAIL, "no external"),
    ],
)
def test_access_analyzer(analyzers, expected, detail):
    session, stub = stubbed("accessanalyzer")
    stub.add_response("list_analyzers", {"analyzers": analyzers}, {})
    with stub:
        data = {"accessanalyzer.analyzers": collect("accessanalyzer.analyzers", session=session)}
    stub.assert_no_pending_responses()
    (finding,) = run("accessanalyzer.enabled", data)
    assert finding.status is expected
    assert detail in finding.detail


def test_access_analyzer_denied_raises():
    session, stub = stubbed("accessanalyzer")
    stub.add_client_error("list_analyzers", "AccessDeniedException", "not authorized", 403)
    with stub, pytest.raises(ClientError):
        collect("accessanalyzer.analyzers", session=session)


# --- Security Hub standards and hub ------------------------------------------------


def _subscription(standard: str, status: str) -> dict:
    return {
        "StandardsSubscriptionArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:subscription/{standard}",
        "StandardsArn": f"arn:aws:securityhub:{REGION}::standards/{standard}",
        "StandardsInput": {},
        "StandardsStatus": status,
    }


def test_security_hub_standards():
    session, stub = stubbed("securityhub")
    stub.add_response(
        "get_enabled_standards",
        {
            "StandardsSubscriptions": [
                _subscription("aws-foundational-security-best-practices/v/1.0.0", "READY")
            ]
        },
        {},
    )
    stub.add_response(
        "get_enabled_standards",
        {
            "StandardsSubscriptions": [
                _subscription("cis-aws-foundations-benchmark/v/5.0.0", "DELETING")
            ]
        },
        {},
    )
    stub.add_client_error(
        "get_enabled_standards",
        "InvalidAccessException",
        "Account is not subscribed to AWS Security Hub",
        401,
    )
    with stub:
        ready, deleting, off = (collect("securityhub.standards", session=session) for _ in range(3))
    assert off is None
    (passed,) = run("securityhub.standards_enabled", {"securityhub.standards": ready})
    (failed,) = run("securityhub.standards_enabled", {"securityhub.standards": deleting})
    (na,) = run("securityhub.standards_enabled", {"securityhub.standards": off})
    assert passed.status is Status.PASS and "aws-foundational" in passed.detail
    assert failed.status is Status.FAIL
    assert na.status is Status.NOT_APPLICABLE


def test_security_hub_access_denied_is_not_a_fail():
    session, stub = stubbed("securityhub")
    stub.add_client_error("describe_hub", "AccessDeniedException", "denied", 403)
    with stub, pytest.raises(ClientError):
        collect("securityhub.hub", session=session)


# --- Macie: "not enabled" versus a real denial --------------------------------------


def test_macie_not_enabled_versus_denied():
    session, stub = stubbed("macie2")
    stub.add_client_error(
        "get_macie_session", "AccessDeniedException", "Macie is not enabled.", 403
    )
    stub.add_client_error(
        "get_macie_session",
        "AccessDeniedException",
        "User is not authorized to perform: macie2:GetMacieSession",
        403,
    )
    stub.add_response(
        "get_macie_session",
        {
            "createdAt": WHEN,
            "findingPublishingFrequency": "ONE_HOUR",
            "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie",
            "status": "PAUSED",
            "updatedAt": WHEN,
        },
    )
    with stub:
        assert collect("macie.session", session=session) is None
        with pytest.raises(ClientError):
            collect("macie.session", session=session)
        paused = collect("macie.session", session=session)
    (finding,) = run("macie.enabled", {"macie.session": paused})
    assert finding.status is Status.FAIL and "paused" in finding.detail


# --- Systems Manager -----------------------------------------------------------------


def _node(instance_id: str, ping: str) -> dict:
    return {
        "InstanceId": instance_id,
        "PingStatus": ping,
        "LastPingDateTime": WHEN,
        "AgentVersion": "3.3.1142.0",
        "IsLatestVersion": False,
        "PlatformType": "Linux",
        "PlatformName": "Amazon Linux",
        "PlatformVersion": "2023",
        "ResourceType": "EC2Instance" if instance_id.startswith("i-") else "ManagedInstance",
        "IPAddress": "10.0.1.15",
        "ComputerName": "ip-10-0-1-15.ec2.internal",
    }


def _patch_summary(node_id: str, status: str, missing: int, severity: str) -> dict:
    return {
        "ComplianceType": "Patch",
        "ResourceType": "ManagedInstance",
        "ResourceId": node_id,
        "Status": status,
        "OverallSeverity": severity,
        "ExecutionSummary": {
            "ExecutionTime": WHEN,
            "ExecutionId": "7abb6378-a4a5-4f10-8312-0123456789ab",
            "ExecutionType": "Command",
        },
        "CompliantSummary": {
            "CompliantCount": 120,
            "SeveritySummary": {"CriticalCount": 0, "HighCount": 0, "MediumCount": 0},
        },
        "NonCompliantSummary": {
            "NonCompliantCount": missing,
            "SeveritySummary": {"CriticalCount": missing, "HighCount": 0, "MediumCount": 0},
        },
    }


def test_patch_compliance_per_managed_node():
    session, stub = stubbed("ssm")
    nodes = [_node("i-0aaa", "Online"), _node("i-0bbb", "Online"), _node("mi-0ccc", "Online")]
    # Two pages, to prove the collector follows NextToken.
    stub.add_response(
        "describe_instance_information",
        {"InstanceInformationList": nodes[:2], "NextToken": "page-2"},
        {},
    )
    stub.add_response(
        "describe_instance_information",
        {"InstanceInformationList": nodes[2:]},
        {"NextToken": "page-2"},
    )
    stub.add_response(
        "list_resource_compliance_summaries",
        {
            "ResourceComplianceSummaryItems": [
                _patch_summary("i-0aaa", "COMPLIANT", 0, "UNSPECIFIED"),
                _patch_summary("i-0bbb", "NON_COMPLIANT", 3, "CRITICAL"),
                {
                    **_patch_summary("i-0bbb", "COMPLIANT", 0, "UNSPECIFIED"),
                    "ComplianceType": "Association",
                },
            ]
        },
        {},  # one listing of every compliance type serves patches and associations
    )
    with stub:
        data = {
            "ssm.instance_information": collect("ssm.instance_information", session=session),
            "ssm.compliance": collect("ssm.compliance", session=session),
        }
    stub.assert_no_pending_responses()
    findings = run("ssm.patch_compliance", data)
    assert by_suffix(findings, "instance/i-0aaa").status is Status.PASS
    bad = by_suffix(findings, "instance/i-0bbb")
    assert bad.status is Status.FAIL and "3 patch" in bad.detail and "critical" in bad.detail
    # SSM.2 judges the nodes Patch Manager has scanned; one never scanned is not judged.
    never = by_suffix(findings, "managed-instance/mi-0ccc")
    assert never.status is Status.NOT_APPLICABLE and "never evaluated" in never.detail
    associations = run("ssm.association_compliance", data)
    assert by_suffix(associations, "instance/i-0bbb").status is Status.PASS
    assert by_suffix(associations, "instance/i-0aaa").status is Status.NOT_APPLICABLE


def test_instances_managed_with_emulated_ec2_and_stubbed_ssm():
    with mock_aws():
        session = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        ec2 = session.client("ec2", region_name=REGION)
        # Any id: the emulator does not check it, and whether it loads its stock images
        # depends on what ran before in this process.
        image = "ami-12c6146b"
        ids = [
            i["InstanceId"]
            for i in ec2.run_instances(ImageId=image, MinCount=4, MaxCount=4)["Instances"]
        ]
        ec2.stop_instances(InstanceIds=[ids[3]])
        aws = AwsSession()  # the emulator, but for SSM's stubbed client
        stub = Stubber(aws.client("ssm", REGION))
        stub.add_response(
            "describe_instance_information",
            {"InstanceInformationList": [_node(ids[0], "Online"), _node(ids[1], "ConnectionLost")]},
            {},
        )
        with stub:
            data = {n: collect(n, session=aws) for n in checks()["ssm.instances_managed"].needs}
    findings = run("ssm.instances_managed", data)
    assert by_suffix(findings, ids[0]).status is Status.PASS
    lost = by_suffix(findings, ids[1])
    assert lost.status is Status.FAIL and "ConnectionLost" in lost.detail
    missing = by_suffix(findings, ids[2])
    assert missing.status is Status.FAIL and "not registered" in missing.detail
    assert by_suffix(findings, ids[3]).status is Status.NOT_APPLICABLE
    assert missing.resource == f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{ids[2]}"


def test_ssm_against_the_emulator_raises():
    with mock_aws(), pytest.raises(NotImplementedError):
        collect("ssm.instance_information")


# --- GuardDuty: a real detector answer ----------------------------------------------


def test_guardduty_suspended_detector_fails():
    session, stub = stubbed("guardduty")
    stub.add_response("list_detectors", {"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]}, {})
    stub.add_response(
        "get_detector",
        {
            "CreatedAt": "2024-01-10T09:00:00.000Z",
            "FindingPublishingFrequency": "SIX_HOURS",
            "ServiceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
            "Status": "SUSPENDED",
            "UpdatedAt": "2026-10-01T09:00:00.000Z",
            "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}],
        },
        {"DetectorId": "12abc34d567e8fa901bc2d34e56789f0"},
    )
    with stub:
        data = {"guardduty.detectors": collect("guardduty.detectors", session=session)}
    (finding,) = run("guardduty.enabled", data)
    assert finding.status is Status.FAIL and "suspended" in finding.detail
    assert finding.resource.endswith(":detector/12abc34d567e8fa901bc2d34e56789f0")


# --- CloudFront: logs through CloudWatch log delivery count ---------------------------


def test_cloudfront_log_delivery_counts_as_logging():
    from srm_tui.demo.seeds.cloudfront import _config

    with mock_aws():
        session = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        cloudfront = session.client("cloudfront", region_name=REGION)
        delivered = cloudfront.create_distribution(
            DistributionConfig=_config("api", logging=False)
        )["Distribution"]["ARN"]
        silent = cloudfront.create_distribution(DistributionConfig=_config("media", logging=False))[
            "Distribution"
        ]["ARN"]
        logs = session.client("logs", region_name="us-east-1")
        logs.put_delivery_source(name="api-access", resourceArn=delivered, logType="ACCESS_LOGS")
        # A source sends nothing until a delivery links it to a destination.
        destination = logs.put_delivery_destination(
            name="to-s3",
            deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::logs"},
        )["deliveryDestination"]["arn"]
        logs.create_delivery(deliverySourceName="api-access", deliveryDestinationArn=destination)
        # The home region need not be us-east-1.
        api = AccountApi(AwsSession(), ACCOUNT, "aws", ("eu-west-1",), "eu-west-1").bound("global")
        data = {
            "cloudfront.distributions": api.collectors["cloudfront.distributions"](api, "global")
        }
    findings = run("cloudfront.access_logging", data, "global")
    assert by_suffix(findings, delivered.rsplit("/", 1)[-1]).status is Status.PASS
    assert by_suffix(findings, silent.rsplit("/", 1)[-1]).status is Status.FAIL


# --- KMS: a key whose policy shuts the scanner out ----------------------------------


def _key_metadata(key_id: str) -> dict:
    return {
        "KeyMetadata": {
            "AWSAccountId": ACCOUNT,
            "KeyId": key_id,
            "Arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
            "CreationDate": WHEN,
            "Enabled": True,
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeyState": "Enabled",
            "Origin": "AWS_KMS",
            "KeyManager": "CUSTOMER",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        }
    }


def test_kms_key_that_refuses_the_scanner_gives_an_error_for_that_key_only():
    open_key = "1234abcd-12ab-34cd-56ef-1234567890ab"
    closed_key = "0987dcba-09fe-87dc-65ba-ab0987654321"
    session, stub = stubbed("kms")
    stub.add_response(
        "list_keys",
        {
            "Keys": [
                {"KeyId": k, "KeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{k}"}
                for k in (open_key, closed_key)
            ],
            "Truncated": False,
        },
        {},
    )
    stub.add_response("describe_key", _key_metadata(open_key), {"KeyId": open_key})
    stub.add_response("get_key_rotation_status", {"KeyRotationEnabled": False}, {"KeyId": open_key})
    stub.add_response(
        "get_key_policy",
        {"Policy": '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*"}]}'},
        {"KeyId": open_key, "PolicyName": "default"},
    )
    stub.add_response("describe_key", _key_metadata(closed_key), {"KeyId": closed_key})
    stub.add_response(
        "get_key_rotation_status", {"KeyRotationEnabled": True}, {"KeyId": closed_key}
    )
    stub.add_client_error(
        "get_key_policy",
        "AccessDeniedException",
        "User is not authorized to perform: kms:GetKeyPolicy",
        400,
    )
    with stub:
        data = {"kms.keys": collect("kms.keys", session=session)}
    stub.assert_no_pending_responses()
    policy = run("kms.key_policy_public", data)
    assert by_suffix(policy, open_key).status is Status.FAIL
    refused = by_suffix(policy, closed_key)
    assert refused.status is Status.ERROR and "kms:GetKeyPolicy" in refused.detail
    rotation = run("kms.key_rotation", data)
    assert by_suffix(rotation, open_key).status is Status.FAIL
    assert by_suffix(rotation, closed_key).status is Status.PASS


def test_kms_throttling_is_not_swallowed():
    session, stub = stubbed("kms")
    stub.add_response("list_keys", {"Keys": [{"KeyId": "k"}], "Truncated": False}, {})
    stub.add_client_error("describe_key", "ThrottlingException", "Rate exceeded", 400)
    with stub, pytest.raises(ClientError):
        collect("kms.keys", session=session)
