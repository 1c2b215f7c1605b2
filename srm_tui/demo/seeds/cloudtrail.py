"""Demo seed: CloudTrail, AWS Config, metric filters, alarms and an SNS topic.

The home region has a complete multi-region trail watched by alarms for the first
eight CIS monitoring items (the ninth alarms a topic nobody reads); the other region
has a stopped single-region trail and no AWS Config.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.s3 import TRAIL_BUCKET, log_bucket

ORDER = 40
LOG_GROUP = "cloudtrail/management"
_NAMESPACE = "CISBenchmark"


# The metric filters of CIS 5.1-5.9 as the benchmark publishes them (name, CIS item,
# pattern): what a customer pastes, not what the checks look for.
CIS_FILTERS = (
    ("unauthorized_api_calls", "5.1",
     '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") '
     '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'),
    ("console_no_mfa", "5.2",
     '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'),
    ("root_usage", "5.3",
     '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
     '&& $.eventType != "AwsServiceEvent" }'),
    ("iam_policy_changes", "5.4",
     "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) "
     "|| ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) "
     "|| ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) "
     "|| ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) "
     "|| ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) "
     "|| ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) "
     "|| ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) "
     "|| ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }"),
    ("cloudtrail_changes", "5.5",
     "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) "
     "|| ($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
    ("console_auth_failures", "5.6",
     '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
    ("cmk_disable_delete", "5.7",
     "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) "
     "|| ($.eventName = ScheduleKeyDeletion)) }"),
    ("s3_policy_changes", "5.8",
     "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) "
     "|| ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) "
     "|| ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) "
     "|| ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) "
     "|| ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
    ("config_changes", "5.9",
     "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) "
     "|| ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) "
     "|| ($.eventName = PutConfigurationRecorder)) }"),
)  # fmt: skip


def _trail_role(session: Any) -> str:
    iam = session.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }  # fmt: skip
    return iam.create_role(
        RoleName="cloudtrail-to-logs", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Trails, Config, filters, alarms and a subscribed topic."""
    home, other = regions[0], regions[-1]
    logs = session.client("logs", region_name=home)
    logs.create_log_group(logGroupName=LOG_GROUP)
    group_arn = f"arn:aws:logs:{home}:123456789012:log-group:{LOG_GROUP}:*"
    key = session.client("kms", region_name=home).create_key(Description="CloudTrail logs")[
        "KeyMetadata"
    ]
    trail = session.client("cloudtrail", region_name=home)
    trail.create_trail(
        Name="management-events", S3BucketName=TRAIL_BUCKET, IsMultiRegionTrail=True,
        EnableLogFileValidation=True, KmsKeyId=key["Arn"],
        CloudWatchLogsLogGroupArn=group_arn, CloudWatchLogsRoleArn=_trail_role(session),
    )  # fmt: skip
    trail.put_event_selectors(
        TrailName="management-events",
        EventSelectors=[
            {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [
                {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::demo-customer-data/"]}]},
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": [
                {"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::{TRAIL_BUCKET}/"]}]},
        ],
    )  # fmt: skip
    trail.start_logging(Name="management-events")
    session.client("cloudtrail", region_name=other).create_trail(
        Name="legacy-regional", S3BucketName=log_bucket(other)
    )

    sns = session.client("sns", region_name=home)
    alerts = sns.create_topic(Name="security-alerts")["TopicArn"]
    sns.subscribe(TopicArn=alerts, Protocol="email", Endpoint="soc@example.com")
    unread = sns.create_topic(Name="unread-alerts")["TopicArn"]
    cloudwatch = session.client("cloudwatch", region_name=home)
    for index, (name, cis, pattern) in enumerate(CIS_FILTERS):
        metric = f"{name}_count"
        logs.put_metric_filter(
            logGroupName=LOG_GROUP, filterName=name, filterPattern=pattern,
            metricTransformations=[{"metricName": metric, "metricNamespace": _NAMESPACE, "metricValue": "1"}],
        )  # fmt: skip
        cloudwatch.put_metric_alarm(
            AlarmName=f"cis-{cis}-{name}", MetricName=metric, Namespace=_NAMESPACE,
            Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[alerts if index < 8 else unread],
        )  # fmt: skip

    config = session.client("config", region_name=home)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            # The service-linked role, as FSBP Config.1 wants.
            "roleARN": "arn:aws:iam::123456789012:role/aws-service-role/"
            "config.amazonaws.com/AWSServiceRoleForConfig",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": log_bucket(home)}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")
