"""Amazon EC2 Auto Scaling: groups and launch configurations, per region.

Launch configurations carry user data, which often holds bootstrap secrets: only the
settings checks read are kept.
"""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


def _launch_template(group: dict[str, Any]) -> dict[str, Any]:
    """The group's launch template: its own, or the one of its mixed instances policy."""
    if isinstance(group.get("LaunchTemplate"), dict):
        return group["LaunchTemplate"]
    mixed = (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}
    spec = mixed.get("LaunchTemplateSpecification")
    return spec if isinstance(spec, dict) else {}


@collector(
    "autoscaling.groups",
    service="autoscaling",
    api_calls=("autoscaling:DescribeAutoScalingGroups",),
    in_use=bool,
)
def groups(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Auto Scaling group: name, ARN, zones, load balancers and target groups,
    health check type, launch configuration or template, and the instance types of its
    mixed instances policy (``attribute_based`` when it picks types by attributes)."""
    found = []
    for group in api.pages(
        "autoscaling", None, "describe_auto_scaling_groups", "AutoScalingGroups"
    ):
        mixed = (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}
        overrides = [o for o in mixed.get("Overrides") or [] if isinstance(o, dict)]
        template = _launch_template(group)
        found.append(
            {
                "name": group.get("AutoScalingGroupName", ""),
                "arn": group.get("AutoScalingGroupARN", ""),
                "zones": list(group.get("AvailabilityZones") or []),
                "load_balancers": list(group.get("LoadBalancerNames") or []),
                "target_groups": list(group.get("TargetGroupARNs") or []),
                "health_check_type": group.get("HealthCheckType", ""),
                "launch_configuration": group.get("LaunchConfigurationName", ""),
                "launch_template": template.get("LaunchTemplateName")
                or template.get("LaunchTemplateId", ""),
                "instance_types": sorted(
                    {o["InstanceType"] for o in overrides if o.get("InstanceType")}
                ),
                "attribute_based": any(o.get("InstanceRequirements") for o in overrides),
            }
        )
    return found


@collector(
    "autoscaling.launch_configurations",
    service="autoscaling",
    api_calls=("autoscaling:DescribeLaunchConfigurations",),
)
def launch_configurations(api: Api, region: str) -> list[dict[str, Any]]:
    """Each launch configuration: name, ARN, IMDS token setting and whether it gives
    instances a public IP address (None when it leaves that to the subnet)."""
    return [
        {
            "name": lc.get("LaunchConfigurationName", ""),
            "arn": lc.get("LaunchConfigurationARN", ""),
            "http_tokens": (lc.get("MetadataOptions") or {}).get("HttpTokens", ""),
            "public_ip": lc.get("AssociatePublicIpAddress"),
        }
        for lc in api.pages(
            "autoscaling", None, "describe_launch_configurations", "LaunchConfigurations"
        )
    ]
