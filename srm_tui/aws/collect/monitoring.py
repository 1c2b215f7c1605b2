"""AWS Config recorders, CloudWatch Logs metric filters, CloudWatch alarms and SNS
subscriptions, per region."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "config.recorders",
    service="config",
    api_calls=(
        "config:DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorderStatus",
        "config:DescribeDeliveryChannels",
    ),
)
def recorders(api: Api, region: str) -> dict[str, Any]:
    """Recorders, their status and the delivery channels of the region."""
    return {
        "recorders": api.call("config", region, "describe_configuration_recorders").get(
            "ConfigurationRecorders", []
        ),
        "status": api.call("config", region, "describe_configuration_recorder_status").get(
            "ConfigurationRecordersStatus", []
        ),
        "channels": api.call("config", region, "describe_delivery_channels").get(
            "DeliveryChannels", []
        ),
    }


@collector("logs.metric_filters", service="logs", api_calls=("logs:DescribeMetricFilters",))
def metric_filters(api: Api, region: str) -> list[dict[str, Any]]:
    """Every metric filter of every log group in the region."""
    return api.pages("logs", region, "describe_metric_filters", "metricFilters")


@collector("cloudwatch.alarms", service="cloudwatch", api_calls=("cloudwatch:DescribeAlarms",))
def alarms(api: Api, region: str) -> list[dict[str, Any]]:
    """Metric alarms (metric, namespace, actions)."""
    return api.pages("cloudwatch", region, "describe_alarms", "MetricAlarms")


@collector("sns.subscriptions", service="sns", api_calls=("sns:ListSubscriptions",))
def subscriptions(api: Api, region: str) -> list[dict[str, Any]]:
    """SNS subscriptions (topic and protocol; endpoints are not kept). Only a confirmed
    subscription has an ARN; SNS shows the others as "PendingConfirmation" or, once
    unsubscribed, "Deleted"."""
    return [
        {"TopicArn": s.get("TopicArn", ""), "Protocol": s.get("Protocol", ""),
         "confirmed": str(s.get("SubscriptionArn", "")).startswith("arn:")}
        for s in api.pages("sns", region, "list_subscriptions", "Subscriptions")
    ]  # fmt: skip
