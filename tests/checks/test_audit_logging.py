"""Audit of the logging and monitoring checks (CloudTrail, CIS 5.x metric filters and
alarms, AWS Config, Security Hub CSPM, GuardDuty, EventBridge) against the published
definitions of their controls: each test builds an edge case a real account can have
and asserts the verdict the control gives."""

from __future__ import annotations

from botocore.stub import Stubber

from srm_tui.aws.session import AwsSession
from srm_tui.checks.cloudwatch import MONITORS
from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    NOWHERE,
    REGIONS,
    checks,
    collect,
    run,
    statuses,
    stubbed,
)

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
REGION = "us-east-1"
GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
SUBSCRIBED = [{"TopicArn": TOPIC, "Protocol": "email", "confirmed": True}]
MONITOR = {m.id: m for m in MONITORS}


def trail(**values: object) -> dict:
    """A logging multi-region trail recording all management events."""
    return {
        "Name": "t",
        "TrailARN": "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
        "HomeRegion": REGION,
        "IsMultiRegionTrail": True,
        "CloudWatchLogsLogGroupArn": GROUP_ARN,
        "status": {"IsLogging": True},
        "selectors": {"EventSelectors": [], "AdvancedEventSelectors": []},
        **values,
    }


def monitoring(pattern: str, subscriptions: list[dict] | None = None) -> dict:
    """The CIS chain on the trail's log group: one filter, an alarm on its metric, the
    alarm's topic with the given subscriptions."""
    return {
        ("cloudtrail.trails", REGION): [trail()],
        ("logs.metric_filters", REGION): [{
            "filterName": "f", "logGroupName": "trail-logs", "filterPattern": pattern,
            "metricTransformations": [{"metricName": "m", "metricNamespace": "CIS"}],
        }],
        ("cloudwatch.alarms", REGION): [
            {"AlarmName": "a", "MetricName": "m", "Namespace": "CIS", "AlarmActions": [TOPIC]}
        ],
        ("sns.subscriptions", REGION): SUBSCRIBED if subscriptions is None else subscriptions,
    }  # fmt: skip


def alarm_status(monitor_id: str, pattern: str, subscriptions: list[dict] | None = None) -> list:
    return statuses(run(f"cloudwatch.alarm_{monitor_id}", monitoring(pattern, subscriptions)))


# --- CIS 5.x metric filters ---------------------------------------------------------

ROUTE_EVENTS = ("CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
                "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable")  # fmt: skip


def any_of(names: tuple[str, ...], source: str = "") -> str:
    either = " || ".join(f"($.eventName = {n})" for n in names)
    return f"{{ ($.eventSource = {source}) && ({either}) }}" if source else f"{{ {either} }}"


def test_a_filter_watching_only_longer_event_names_does_not_watch_the_shorter_ones() -> None:
    """CIS 5.13: the filter must catch CreateRoute, ReplaceRoute and DeleteRoute; one that
    names only CreateRouteTable, ReplaceRouteTableAssociation and DeleteRouteTable spells
    them inside longer names, yet never fires on them."""
    short = {"CreateRoute", "ReplaceRoute", "DeleteRoute"}
    assert alarm_status("route_table_changes", any_of(ROUTE_EVENTS)) == [P]
    missing = tuple(n for n in ROUTE_EVENTS if n not in short)
    assert alarm_status("route_table_changes", any_of(missing)) == [F]


def test_iam_policy_filter_without_create_or_delete_policy_fails() -> None:
    """CIS 5.4 lists CreatePolicy and DeletePolicy besides their *Version siblings."""
    names = tuple(t.split("=", 1)[1] for t in MONITOR["iam_policy_changes"].terms)
    assert alarm_status("iam_policy_changes", any_of(names)) == [P]
    versions_only = tuple(n for n in names if n not in ("CreatePolicy", "DeletePolicy"))
    assert alarm_status("iam_policy_changes", any_of(versions_only)) == [F]


def test_the_same_filter_spelt_differently_still_passes() -> None:
    """Whitespace, quotes, parentheses and the order of the terms do not change what a
    filter pattern matches, so they must not change the verdict (CIS 5.7, 5.3)."""
    kms = '{(($.eventName="ScheduleKeyDeletion")||($.eventName=DisableKey))&&($.eventSource = "kms.amazonaws.com")}'
    assert alarm_status("cmk_disable_delete", kms) == [P]
    root = ('{ $.eventType != "AwsServiceEvent" &&\n  $.userIdentity.invokedBy   NOT EXISTS'
            ' && ($.userIdentity.type="Root") }')  # fmt: skip
    assert alarm_status("root_usage", root) == [P]


NO_MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'


def test_terms_joined_by_or_where_cis_joins_them_by_and_fail() -> None:
    """CIS 5.2: sign-in AND no MFA. Joined by ||, the filter fires on every console
    sign-in and every event without MFA data: it no longer singles out sign-ins
    without MFA, though it holds every term."""
    assert alarm_status("console_no_mfa", NO_MFA) == [P]
    assert alarm_status("console_no_mfa", NO_MFA.replace("&&", "||")) == [F]
    root = '{ $.userIdentity.type = "Root" || $.userIdentity.invokedBy NOT EXISTS || $.eventType != "AwsServiceEvent" }'
    assert alarm_status("root_usage", root) == [F]


def test_event_names_joined_by_and_or_an_event_source_joined_by_or_fail() -> None:
    """CIS 5.7: from kms.amazonaws.com AND (DisableKey OR ScheduleKeyDeletion). No event
    has two names, so && between them never fires; || with the source fires on every
    KMS call."""
    cis = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    assert alarm_status("cmk_disable_delete", cis) == [P]
    both = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) && ($.eventName = ScheduleKeyDeletion) }"
    assert alarm_status("cmk_disable_delete", both) == [F]
    assert alarm_status("cmk_disable_delete", cis.replace("&&", "||")) == [F]


def test_the_narrower_variants_cis_itself_gives_pass() -> None:
    """CIS 5.1 excludes CloudTrail delivery and HeadBucket; CIS 5.2 offers a variant
    limited to successful IAM user sign-ins. Extra conditions of that kind keep the
    filter on the events the recommendation names."""
    unauthorized = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") '
                    '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }')  # fmt: skip
    assert alarm_status("unauthorized_api_calls", unauthorized) == [P]
    iam_users = (
        NO_MFA[:-1]
        + '&& ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
    )
    assert alarm_status("console_no_mfa", iam_users) == [P]


# --- CIS 5.x: someone subscribed to the alarm's topic --------------------------------


def _subscriptions(*arns: str) -> list[dict]:
    """The SNS subscriptions collector, answering ListSubscriptions with ``arns``."""
    session, stub = stubbed("sns")
    listed = [
        {"SubscriptionArn": arn, "Owner": ACCOUNT, "Protocol": "email",
         "Endpoint": "soc@example.com", "TopicArn": TOPIC}
        for arn in arns
    ]  # fmt: skip
    stub.add_response("list_subscriptions", {"Subscriptions": listed}, {})
    with stub:
        found = collect("sns.subscriptions", session=session)
    stub.assert_no_pending_responses()
    return found


def test_only_a_subscription_with_an_arn_counts_as_a_subscriber() -> None:
    """CIS 5.x audit: at least one subscription of the topic must have a valid ARN as its
    SubscriptionArn. SNS lists an unsubscribed endpoint as "Deleted" and an unconfirmed
    one as "PendingConfirmation"; neither is anyone listening."""
    pattern = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
    gone = _subscriptions("Deleted", "PendingConfirmation")
    assert [s["confirmed"] for s in gone] == [False, False]
    assert alarm_status("console_no_mfa", pattern, gone) == [F]
    live = _subscriptions(f"{TOPIC}:0f8c3f7e-6a3e-4d0e-9b1a-2f1d6c1e5a77")
    assert alarm_status("console_no_mfa", pattern, live) == [P]


def test_a_pattern_that_does_not_parse_watches_nothing() -> None:
    """CloudWatch Logs refuses unbalanced patterns; one read from a hostile answer (or
    nested past any sense) is not a filter: it fails the check, it does not crash it."""
    assert alarm_status("console_no_mfa", NO_MFA.replace(") &&", " &&", 1)) == [F]
    nested = "{ " + "(" * 2000 + NO_MFA.strip("{} ") + ")" * 2000 + " }"
    assert alarm_status("console_no_mfa", nested) == [F]
    starry = NO_MFA[:-1] + '&& ($.eventName = "' + "*C" * 500 + 'x") }'
    assert alarm_status("console_no_mfa", starry) == [F]


# --- CloudTrail: the organization's trail, seen from a member account ----------------

MANAGEMENT = "999988887777"
ORG_TRAIL = f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT}:trail/org-trail"
ORG_GROUP = f"arn:aws:logs:{REGION}:{MANAGEMENT}:log-group:trail-logs:*"
OWN_TRAIL = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/local"


def _member_trails() -> list[dict]:
    """The trails collector in a member account: its own single-region trail, and the
    organization trail CloudTrail lists there as a shadow trail."""
    session, stub = stubbed("cloudtrail")
    org = {
        "Name": "org-trail",
        "S3BucketName": "org-cloudtrail-logs",
        "HomeRegion": REGION,
        "TrailARN": ORG_TRAIL,
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": True,
        "IncludeGlobalServiceEvents": True,
        "LogFileValidationEnabled": False,
        "CloudWatchLogsLogGroupArn": ORG_GROUP,
    }
    own = {
        "Name": "local",
        "S3BucketName": "local-trail",
        "HomeRegion": REGION,
        "TrailARN": OWN_TRAIL,
        "IsMultiRegionTrail": False,
        "IsOrganizationTrail": False,
        "IncludeGlobalServiceEvents": True,
        "LogFileValidationEnabled": True,
    }
    all_events = [{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    stub.add_response("describe_trails", {"trailList": [own, org]}, {"includeShadowTrails": True})
    for arn in (OWN_TRAIL, ORG_TRAIL):
        stub.add_response("get_trail_status", {"IsLogging": True}, {"Name": arn})
        stub.add_response(
            "get_event_selectors",
            {"TrailARN": arn, "EventSelectors": all_events},
            {"TrailName": arn},
        )
    with stub:
        found = collect("cloudtrail.trails", session=session)
    stub.assert_no_pending_responses()
    return found  # fmt: skip


def test_a_member_account_logged_by_the_organization_trail_has_a_multi_region_trail() -> None:
    """CIS 4.1 / CloudTrail.1 count any multi-region trail that logs the account's
    management events; in a member account that is the organization trail, which
    DescribeTrails returns only with shadow trails included. Its settings are the
    management account's: the per-trail checks judge the member's own trail only."""
    trails = _member_trails()
    assert [t["TrailARN"] for t in trails] == [OWN_TRAIL, ORG_TRAIL]
    data = {("cloudtrail.trails", REGION): trails}
    (found,) = run("cloudtrail.multi_region", data)
    assert found.status is P and "org-trail" in found.detail
    checked = run("cloudtrail.log_validation", {"cloudtrail.trails": trails})
    assert [(f.resource, f.status) for f in checked] == [(OWN_TRAIL, P)]


def test_a_same_named_log_group_here_is_not_the_organization_trail_group() -> None:
    """The organization trail delivers to a log group of the management account; a
    group of the same name in the member account, however well watched, receives none
    of its events (CIS 5.x: the filter must be on the trail's own log group)."""
    data = monitoring(NO_MFA)
    data[("cloudtrail.trails", REGION)] = [
        trail(TrailARN=ORG_TRAIL, CloudWatchLogsLogGroupArn=ORG_GROUP)
    ]
    (found,) = run("cloudwatch.alarm_console_no_mfa", data)
    assert found.status is F and MANAGEMENT in found.detail
    assert alarm_status("console_no_mfa", NO_MFA) == [P]


# --- CloudTrail: what an unreadable trail leaves open ---------------------------------


def test_an_unreadable_single_region_trail_does_not_hide_the_missing_multi_region_one() -> None:
    """CIS 4.1 / CloudTrail.1 need a multi-region trail. When the only one there is is
    single-region, being refused its status changes nothing: the verdict is FAIL, not
    "could not tell"; a multi-region trail refused the same way does leave it open."""
    denied = Unreadable("access denied to cloudtrail:GetTrailStatus")
    local = trail(IsMultiRegionTrail=False, status=denied)
    assert statuses(run("cloudtrail.multi_region", {("cloudtrail.trails", REGION): [local]})) == [F]
    stopped = trail(status={"IsLogging": False}, selectors=Unreadable("throttled"))
    data = {("cloudtrail.trails", REGION): [stopped]}
    assert statuses(run("cloudtrail.multi_region", data)) == [F]
    data = {("cloudtrail.trails", REGION): [trail(status=denied)]}
    assert statuses(run("cloudtrail.multi_region", data)) == [E]


def test_a_monitor_cannot_tell_when_the_multi_region_trail_cannot_be_read() -> None:
    """CIS 5.x start from the logging multi-region trail; when its status is refused,
    the chain cannot be followed: an error with the reason, not a FAIL."""
    data = monitoring(NO_MFA)
    data[("cloudtrail.trails", REGION)] = [
        trail(status=Unreadable("access denied to cloudtrail:GetTrailStatus"))
    ]
    (found,) = run("cloudwatch.alarm_console_no_mfa", data)
    assert found.status is E and "GetTrailStatus" in found.detail


# --- CloudTrail: a multi-region trail homed outside the scanned regions -----------------


def _trails_seen_from(region: str, listed: list[dict], details: bool) -> list[dict]:
    session = AwsSession(endpoint_url=NOWHERE)
    stub = Stubber(session.client("cloudtrail", region))
    stub.add_response("describe_trails", {"trailList": listed}, {"includeShadowTrails": True})
    if details:
        arn = listed[0]["TrailARN"]
        stub.add_response("get_trail_status", {"IsLogging": True}, {"Name": arn})
        stub.add_response(
            "get_event_selectors",
            {
                "TrailARN": arn,
                "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}],
            },
            {"TrailName": arn},
        )
    with stub:
        found = collect("cloudtrail.trails", region=region, session=session)
    stub.assert_no_pending_responses()
    return found  # fmt: skip


def test_a_multi_region_trail_homed_outside_the_scan_still_covers_it() -> None:
    """CIS 4.1 / CloudTrail.1: a multi-region trail logs every region, wherever it is
    homed. A scan limited to other regions saw it only as a shadow in each and took
    none, so it failed; it is now read once, in the scan's first region."""
    arn = f"arn:aws:cloudtrail:ap-southeast-2:{ACCOUNT}:trail/everywhere"
    listed = [{"Name": "everywhere", "S3BucketName": "trail-logs", "HomeRegion": "ap-southeast-2",
               "TrailARN": arn, "IsMultiRegionTrail": True, "IsOrganizationTrail": False}]  # fmt: skip
    first, second = REGIONS
    data = {
        ("cloudtrail.trails", first): _trails_seen_from(first, listed, details=True),
        ("cloudtrail.trails", second): _trails_seen_from(second, listed, details=False),
    }
    assert [t["TrailARN"] for t in data[("cloudtrail.trails", first)]] == [arn]
    assert data[("cloudtrail.trails", second)] == []
    (found,) = run("cloudtrail.multi_region", data, regions=REGIONS)
    assert found.status is P


def test_one_filter_watching_two_recommendations_passes_both() -> None:
    """A filter may watch several CIS 5.x recommendations at once, each in its own ||
    branch (here 5.7 and 5.9). The branch on Config events is no reason to say the KMS
    branch does not narrow to kms.amazonaws.com: an event from elsewhere fires neither."""
    kms = "(($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)))"
    names = " || ".join(
        f"($.eventName = {n})"
        for n in ("StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                  "PutConfigurationRecorder")
    )  # fmt: skip
    config = f"(($.eventSource = config.amazonaws.com) && ({names}))"
    both = f"{{ {kms} || {config} }}"
    assert alarm_status("cmk_disable_delete", both) == [P]
    assert alarm_status("config_changes", both) == [P]
    loose = f"{{ {kms} || ($.eventName = DisableKey) }}"
    assert alarm_status("cmk_disable_delete", loose) == [F]


# --- AWS Config (CIS 4.3) ------------------------------------------------------------


def test_a_recorder_whose_last_recording_failed_does_not_record() -> None:
    """CIS 4.3 audit: each recorder must show "recording": true and a successful last
    status. A recorder left running whose role or bucket no longer works records
    nothing; one just started ("Pending") has not failed."""
    recorder = {"name": "default", "recordingGroup": {"allSupported": True}}

    def verdict(**status: object) -> list:
        data = {"recorders": [recorder], "channels": [{"name": "default"}],
                "status": [{"name": "default", "recording": True, **status}]}  # fmt: skip
        return statuses(run("config.enabled", {"config.recorders": data}, REGION))

    assert verdict(lastStatus="Success") == [P]
    assert verdict(lastStatus="Pending") == [P]
    assert verdict(lastStatus="Failure", lastErrorCode="AccessDenied") == [F]


# --- Security Hub CSPM ------------------------------------------------------------------


def test_a_standard_enabled_with_some_controls_missing_still_runs() -> None:
    """Security Hub CSPM marks a standard INCOMPLETE when some of its controls could not
    be enabled: the standard runs and its other controls are evaluated."""
    session, stub = stubbed("securityhub")
    standard = "aws-foundational-security-best-practices/v/1.0.0"
    listed = [{
        "StandardsSubscriptionArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:subscription/{standard}",
        "StandardsArn": f"arn:aws:securityhub:{REGION}::standards/{standard}",
        "StandardsInput": {}, "StandardsStatus": "INCOMPLETE",
        "StandardsStatusReason": {"StatusReasonCode": "INTERNAL_ERROR"},
    }]  # fmt: skip
    stub.add_response("get_enabled_standards", {"StandardsSubscriptions": listed}, {})
    with stub:
        data = {"securityhub.standards": collect("securityhub.standards", session=session)}
    (found,) = run("securityhub.standards_enabled", data)
    assert found.status is P and standard in found.detail


def test_a_monitor_cannot_tell_when_the_log_group_region_is_not_scanned() -> None:
    """CIS 5.x: the filter, the alarm and the topic live in the log group's region. A
    scan that leaves that region out cannot see them: it cannot tell, it does not fail
    the account."""
    data = monitoring(NO_MFA)
    elsewhere = "arn:aws:logs:ap-southeast-2:123456789012:log-group:trail-logs:*"
    data[("cloudtrail.trails", REGION)] = [trail(CloudWatchLogsLogGroupArn=elsewhere)]
    (found,) = run("cloudwatch.alarm_console_no_mfa", data)
    assert found.status is E and "ap-southeast-2" in found.detail


def test_config_1_carries_the_severity_security_hub_gives_it() -> None:
    """The Security Hub CSPM control reference rates Config.1 Critical (it was Medium
    before AWS raised it); the check mapped to it says the same."""
    found = checks()["config.service_linked_role"]
    assert found.meta.frameworks["aws-fsbp"] == ("Config.1",)
    assert found.meta.severity.value == "critical"
