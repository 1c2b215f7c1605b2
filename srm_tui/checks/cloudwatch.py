"""CloudWatch checks (CIS 5.1-5.15): a metric filter on the multi-region trail's log
group for each kind of sensitive event, an alarm on it, and someone subscribed.

One table drives all fifteen checks: each row names the comparisons the filter pattern
must hold, each one whole, in any order (compared without spaces or quotes, so
equivalent spellings match). Their texts are in ``srm_tui/catalog/checks/cloudwatch.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from srm_tui.checks.cloudtrail import all_trails, is_logging, records_management_events
from srm_tui.checks.context import CheckFunction, Context, check
from srm_tui.model import Finding


@dataclass(frozen=True, slots=True)
class Monitor:
    """One CIS monitoring recommendation."""

    id: str
    cis: str
    title: str
    terms: tuple[str, ...]


def _events(source: str, *names: str) -> tuple[str, ...]:
    head = (f"$.eventSource={source}",) if source else ()
    return head + tuple(f"$.eventName={n}" for n in names)


MONITORS = (
    Monitor("unauthorized_api_calls", "5.1", "unauthorized API calls",
            ("$.errorCode=*UnauthorizedOperation", "$.errorCode=AccessDenied*")),
    Monitor("console_no_mfa", "5.2", "console sign-in without MFA",
            ("$.eventName=ConsoleLogin", "$.additionalEventData.MFAUsed!=Yes")),
    Monitor("root_usage", "5.3", "use of the root user",
            ("$.userIdentity.type=Root", "$.userIdentity.invokedByNOTEXISTS",
             "$.eventType!=AwsServiceEvent")),
    Monitor("iam_policy_changes", "5.4", "IAM policy changes", _events(
        "", "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
        "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
        "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
        "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy")),
    Monitor("cloudtrail_changes", "5.5", "CloudTrail configuration changes", _events(
        "", "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")),
    Monitor("console_auth_failures", "5.6", "console authentication failures",
            ("$.eventName=ConsoleLogin", "$.errorMessage=Failedauthentication")),
    Monitor("cmk_disable_delete", "5.7", "disabling or scheduled deletion of KMS keys",
            _events("kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion")),
    Monitor("s3_policy_changes", "5.8", "S3 bucket policy changes", _events(
        "s3.amazonaws.com", "PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
        "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors",
        "DeleteBucketLifecycle", "DeleteBucketReplication")),
    Monitor("config_changes", "5.9", "AWS Config changes", _events(
        "config.amazonaws.com", "StopConfigurationRecorder", "DeleteDeliveryChannel",
        "PutDeliveryChannel", "PutConfigurationRecorder")),
    Monitor("security_group_changes", "5.10", "security group changes", _events(
        "", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
        "DeleteSecurityGroup")),
    Monitor("nacl_changes", "5.11", "network ACL changes", _events(
        "", "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
        "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")),
    Monitor("network_gateway_changes", "5.12", "network gateway changes", _events(
        "", "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
        "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway")),
    Monitor("route_table_changes", "5.13", "route table changes", _events(
        "", "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
        "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable")),
    Monitor("vpc_changes", "5.14", "VPC changes", _events(
        "", "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
        "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
        "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink")),
    Monitor("organizations_changes", "5.15", "AWS Organizations changes", _events(
        "organizations.amazonaws.com", "AcceptHandshake", "AttachPolicy", "CreateAccount",
        "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization",
        "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType",
        "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")),
)  # fmt: skip

_NOISE = re.compile(r"[\s\"']")
# Braces, parentheses and the && / || operators separate one comparison from the next.
_BETWEEN_TERMS = re.compile(r"[{}()&|]+")


def normalise(pattern: str) -> str:
    """A filter pattern without spaces and quotes."""
    return _NOISE.sub("", pattern)


def comparisons(pattern: str) -> set[str]:
    """The comparisons a filter pattern is made of, each without spaces or quotes."""
    return {c for c in _BETWEEN_TERMS.split(normalise(pattern)) if c}


def pattern_matches(pattern: str, terms: Iterable[str]) -> bool:
    """True when every term is one of the pattern's comparisons, whole: a filter on
    ``CreateRouteTable`` does not watch ``CreateRoute``, though it spells it."""
    found = comparisons(pattern)
    return all(normalise(term) in found for term in terms)


def _log_group(arn: str) -> tuple[str, str]:
    """(region, log group name) from a log group ARN."""
    parts = arn.split(":")
    if len(parts) < 7:
        return "", ""
    return parts[3], parts[6]


def evaluate_monitor(ctx: Context, monitor: Monitor) -> tuple[bool, str]:
    """Whether the account monitors this kind of event, and how far it got if not."""
    trails = [
        t
        for t in all_trails(ctx)
        if t.get("IsMultiRegionTrail") and is_logging(t) and records_management_events(t)
    ]
    if not trails:
        return False, "no logging multi-region trail to watch"
    best = "no multi-region trail delivers to CloudWatch Logs"
    for trail in trails:
        region, group = _log_group(str(trail.get("CloudWatchLogsLogGroupArn") or ""))
        if not group:
            continue
        if region not in ctx.regions:
            best = f"the trail's log group is in {region}, which this scan does not cover"
            continue
        filters = [
            f
            for f in ctx.data("logs.metric_filters", region)
            if f.get("logGroupName") == group
            and pattern_matches(str(f.get("filterPattern", "")), monitor.terms)
        ]
        if not filters:
            best = f"no metric filter on {group} matches {monitor.title}"
            continue
        metrics = {
            (m.get("metricName"), m.get("metricNamespace"))
            for f in filters
            for m in f.get("metricTransformations", [])
        }
        alarms = [
            a
            for a in ctx.data("cloudwatch.alarms", region)
            if (a.get("MetricName"), a.get("Namespace")) in metrics and a.get("AlarmActions")
        ]
        if not alarms:
            best = f"the metric filter {filters[0].get('filterName')} has no alarm with an action"
            continue
        subscribed = {
            s["TopicArn"] for s in ctx.data("sns.subscriptions", region) if s.get("confirmed", True)
        }
        for alarm in alarms:
            topics = [a for a in alarm.get("AlarmActions", []) if a in subscribed]
            if topics:
                return True, f"alarm {alarm.get('AlarmName')} notifies {topics[0]}"
        best = f"alarm {alarms[0].get('AlarmName')} notifies a topic nobody subscribes to"
    return False, best


def _alarm_check(monitor: Monitor) -> CheckFunction:
    def run(ctx: Context) -> Iterable[Finding]:
        passed, detail = evaluate_monitor(ctx, monitor)
        resource = ctx.account_arn("cloudwatch")
        yield ctx.ok(resource, detail) if passed else ctx.fail(resource, detail)

    run.__name__ = f"alarm_{monitor.id}"
    return check(
        f"cloudwatch.alarm_{monitor.id}",
        needs=(
            "cloudtrail.trails",
            "logs.metric_filters",
            "cloudwatch.alarms",
            "sns.subscriptions",
        ),
    )(run)


ALARMS = tuple(_alarm_check(monitor) for monitor in MONITORS)
