"""CloudWatch checks (CIS 5.1-5.15): a metric filter on the multi-region trail's log
group for each kind of sensitive event, an alarm on it, and someone subscribed.

One table drives all fifteen checks: each row names the comparisons the filter pattern
must hold, each one whole, in any order (compared without spaces or quotes, so
equivalent spellings match), and which of them CIS joins by && and which by ||: the
pattern is parsed, so a filter that holds the terms but joins them otherwise fails.
Their texts are in ``srm_tui/catalog/checks/cloudwatch.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from srm_tui.checks.cloudtrail import all_trails, is_logging, records_management_events, unread
from srm_tui.checks.context import CheckFunction, Context, check
from srm_tui.model import Finding


@dataclass(frozen=True, slots=True)
class Monitor:
    """One CIS monitoring recommendation: the filter's comparisons (``terms``), of which
    the first ``required`` must all hold (joined by &&) and any one of the rest is
    enough (joined by ||)."""

    id: str
    cis: str
    title: str
    terms: tuple[str, ...]
    required: int = 0

    @classmethod
    def all_of(cls, id: str, cis: str, title: str, terms: tuple[str, ...]) -> Monitor:
        return cls(id, cis, title, terms, len(terms))

    @classmethod
    def events(cls, id: str, cis: str, title: str, source: str, *names: str) -> Monitor:
        """Any of the event names, from the event source when one is named."""
        head = (f"$.eventSource={source}",) if source else ()
        return cls(id, cis, title, head + tuple(f"$.eventName={n}" for n in names), len(head))


MONITORS = (
    Monitor("unauthorized_api_calls", "5.1", "unauthorized API calls",
            ("$.errorCode=*UnauthorizedOperation", "$.errorCode=AccessDenied*")),
    Monitor.all_of("console_no_mfa", "5.2", "console sign-in without MFA",
                   ("$.eventName=ConsoleLogin", "$.additionalEventData.MFAUsed!=Yes")),
    Monitor.all_of("root_usage", "5.3", "use of the root user",
                   ("$.userIdentity.type=Root", "$.userIdentity.invokedByNOTEXISTS",
                    "$.eventType!=AwsServiceEvent")),
    Monitor.events("iam_policy_changes", "5.4", "IAM policy changes", "",
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
        "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
        "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
        "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"),
    Monitor.events("cloudtrail_changes", "5.5", "CloudTrail configuration changes", "",
        "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
    Monitor.all_of("console_auth_failures", "5.6", "console authentication failures",
                   ("$.eventName=ConsoleLogin", "$.errorMessage=Failedauthentication")),
    Monitor.events("cmk_disable_delete", "5.7", "disabling or scheduled deletion of KMS keys",
        "kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"),
    Monitor.events("s3_policy_changes", "5.8", "S3 bucket policy changes", "s3.amazonaws.com",
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
        "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors",
        "DeleteBucketLifecycle", "DeleteBucketReplication"),
    Monitor.events("config_changes", "5.9", "AWS Config changes", "config.amazonaws.com",
        "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
        "PutConfigurationRecorder"),
    Monitor.events("security_group_changes", "5.10", "security group changes", "",
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
        "DeleteSecurityGroup"),
    Monitor.events("nacl_changes", "5.11", "network ACL changes", "",
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
        "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"),
    Monitor.events("network_gateway_changes", "5.12", "network gateway changes", "",
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
        "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"),
    Monitor.events("route_table_changes", "5.13", "route table changes", "",
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
        "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"),
    Monitor.events("vpc_changes", "5.14", "VPC changes", "",
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
        "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
        "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink"),
    Monitor.events("organizations_changes", "5.15", "AWS Organizations changes",
        "organizations.amazonaws.com",
        "AcceptHandshake", "AttachPolicy", "CreateAccount",
        "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization",
        "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType",
        "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit"),
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


# A parsed filter pattern: a comparison, or ("&&" | "||", [operands]).
Expression = str | tuple[str, list["Expression"]]
_TOKEN = re.compile(r"\(|\)|&&|\|\||[^()&|]+")


def parse(pattern: str) -> Expression | None:
    """The pattern's expression (&& binds tighter than ||), or None if it does not parse."""
    tokens = _TOKEN.findall(normalise(pattern).strip("{}"))
    position = 0

    def operands(operator: str, operand: Callable[[], Expression]) -> Expression:
        nonlocal position
        found = [operand()]
        while position < len(tokens) and tokens[position] == operator:
            position += 1
            found.append(operand())
        return found[0] if len(found) == 1 else (operator, found)

    def atom() -> Expression:
        nonlocal position
        if position >= len(tokens) or tokens[position] in (")", "&&", "||"):
            raise ValueError("a comparison is missing")
        position += 1
        if tokens[position - 1] != "(":
            return tokens[position - 1]
        inner = either()
        if position >= len(tokens) or tokens[position] != ")":
            raise ValueError("unbalanced parentheses")
        position += 1
        return inner

    def either() -> Expression:
        return operands("||", lambda: operands("&&", atom))

    try:
        expression = either()
    except (ValueError, RecursionError):  # a hostile pattern may nest without end
        return None
    return expression if position == len(tokens) else None


# One comparison: the selector, the operator and the value (without spaces or quotes).
_COMPARISON = re.compile(r"^(\$[\w.\[\]]*?)(!=|=|NOTEXISTS|ISNULL|ISTRUE|ISFALSE|<=|>=|<|>)(.*)$")
_ABSENT = None  # the event has no such field


def _split(comparison: str) -> tuple[str, str, str]:
    found = _COMPARISON.match(comparison)
    if not found:
        return "", "", ""
    field, operator, value = found.groups()
    return field, operator, value


def _like(actual: str, value: str) -> bool:
    """Whether ``actual`` matches ``value``, whose one wildcard is "*" (in linear time:
    a pattern from a hostile answer may hold hundreds of them)."""
    if "*" not in value:
        return actual == value
    head, *middle, tail = value.split("*")
    if len(head) + len(tail) > len(actual) or not actual.startswith(head):
        return False
    position, end = len(head), len(actual) - len(tail)
    for part in middle:
        found = actual.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return actual.endswith(tail)


def _meets(comparison: str, event: dict[str, str | None], strict: bool) -> bool:
    """Whether ``event`` (field -> value, None: the field is absent) meets the
    comparison. A field the event does not name meets every condition unless
    ``strict``; then it is absent."""
    field, operator, value = _split(comparison)
    if field not in event and not strict:
        return True
    actual = event.get(field, _ABSENT)
    if actual is _ABSENT:
        return operator in ("!=", "NOTEXISTS", "ISNULL")
    if operator in ("=", "!="):
        return _like(actual, value) == (operator == "=")
    return operator not in ("NOTEXISTS", "ISNULL")


def _event(terms: Iterable[str], flipped: str = "") -> dict[str, str | None]:
    """An event that meets every term but ``flipped``, which it does not meet."""
    event: dict[str, str | None] = {}
    for term in terms:
        field, operator, value = _split(term)
        if operator == "NOTEXISTS":
            event[field] = "present" if term == flipped else _ABSENT
        elif (operator == "=") != (term == flipped):
            event[field] = value.replace("*", "x")
        else:
            event[field] = "not-" + value
    return event


def holds(expression: Expression, meets: Callable[[str], bool]) -> bool:
    """Whether the expression holds when each comparison is decided by ``meets``."""
    if isinstance(expression, str):
        return meets(expression)
    operator, operands = expression
    test = all if operator == "&&" else any
    return test(holds(o, meets) for o in operands)


def watches(pattern: str, monitor: Monitor) -> bool:
    """True when the filter holds the monitor's comparisons, joined as CIS joins them.
    It must fire on each event CIS names (one alternative at a time, with every required
    term met; conditions on other fields, such as the exclusions CIS itself suggests,
    are taken as met), and must not fire on that event once a required term fails
    (other fields then absent, so a branch watching something else does not count)."""
    terms = [normalise(t) for t in monitor.terms]
    expression = parse(pattern)
    if expression is None or not pattern_matches(pattern, terms):
        return False
    required, alternatives = terms[: monitor.required], terms[monitor.required :]
    events = [_event([*required, a]) for a in alternatives] or [_event(required)]
    fires = all(holds(expression, lambda c, e=e: _meets(c, e, False)) for e in events)
    first = alternatives[:1]
    narrowed = [_event([*required, *first], flipped=r) for r in required]
    narrows = not any(holds(expression, lambda c, e=e: _meets(c, e, True)) for e in narrowed)
    return fires and narrows


def _log_group(arn: str) -> tuple[str, str, str]:
    """(region, account, log group name) from a log group ARN."""
    parts = arn.split(":")
    if len(parts) < 7:
        return "", "", ""
    return parts[3], parts[4], parts[6]


def evaluate_monitor(ctx: Context, monitor: Monitor) -> tuple[bool | None, str]:
    """Whether the account monitors this kind of event (None: cannot tell), and how far
    it got if not."""
    trails = [
        t
        for t in all_trails(ctx)
        if t.get("IsMultiRegionTrail") and is_logging(t) and records_management_events(t)
    ]
    if not trails:
        unknown = [reason for t in all_trails(ctx) if (reason := unread(t))]
        if unknown:
            return None, unknown[0]
        return False, "no logging multi-region trail to watch"
    best = "no multi-region trail delivers to CloudWatch Logs"
    unseen = ""  # a chain this scan cannot follow leaves the verdict open
    for trail in trails:
        region, account, group = _log_group(str(trail.get("CloudWatchLogsLogGroupArn") or ""))
        if not group:
            continue
        if account not in ("", ctx.account_id):
            # An organization trail's log group: its filters and alarms are that
            # account's, and a same-named group here is not the trail's.
            best = f"the trail's log group {group} belongs to account {account}"
            continue
        if region not in ctx.regions:
            unseen = f"the trail's log group is in {region}, which this scan does not cover"
            continue
        filters = [
            f
            for f in ctx.data("logs.metric_filters", region)
            if f.get("logGroupName") == group and watches(str(f.get("filterPattern", "")), monitor)
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
    return (None, unseen) if unseen else (False, best)


def _alarm_check(monitor: Monitor) -> CheckFunction:
    def run(ctx: Context) -> Iterable[Finding]:
        passed, detail = evaluate_monitor(ctx, monitor)
        resource = ctx.account_arn("cloudwatch")
        if passed is None:
            yield ctx.error(resource, detail)
        else:
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
