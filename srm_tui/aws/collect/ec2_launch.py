"""EC2 launch settings, per region: the default version of each launch template and the
Spot Fleet requests.

Launch data carries user data, which often holds bootstrap secrets: only the metadata
options, the public-address flags of the network interfaces and the encryption flags
of the EBS volumes are kept.
"""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# Spot Fleet requests that no longer launch anything.
_ENDED = ("cancelled", "cancelled_running", "cancelled_terminating", "failed")


def _volumes(mappings: Any) -> list[bool | None]:
    """The ``Encrypted`` flag of each EBS volume (None where it is not set)."""
    found = []
    for mapping in mappings or []:
        ebs = (mapping or {}).get("Ebs")
        if isinstance(ebs, dict):
            value = ebs.get("Encrypted")
            found.append(value if isinstance(value, bool) else None)
    return found


@collector(
    "ec2.launch_templates",
    service="ec2",
    api_calls=("ec2:DescribeLaunchTemplateVersions",),
)
def launch_templates(api: Api, region: str) -> list[dict[str, Any]]:
    """The default version of every launch template (one listing: without a template
    id, ``$Default`` asks for the default version of each): id, name, version, IMDS
    token setting, public-address flags of its interfaces and its EBS volumes'
    encryption flags."""
    found = []
    for version in api.pages(
        "ec2", None, "describe_launch_template_versions", "LaunchTemplateVersions",
        Versions=["$Default"],
    ):  # fmt: skip
        data = version.get("LaunchTemplateData") or {}
        found.append(
            {
                "id": version.get("LaunchTemplateId", ""),
                "name": version.get("LaunchTemplateName", ""),
                "version": version.get("VersionNumber"),
                "http_tokens": (data.get("MetadataOptions") or {}).get("HttpTokens", ""),
                "public_ip": [
                    ni.get("AssociatePublicIpAddress")
                    for ni in data.get("NetworkInterfaces") or []
                    if isinstance(ni, dict)
                ],
                "volumes": _volumes(data.get("BlockDeviceMappings")),
            }
        )
    return found


@collector("ec2.spot_fleet_requests", service="ec2", api_calls=("ec2:DescribeSpotFleetRequests",))
def spot_fleet_requests(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Spot Fleet request still in force: id, whether it gives launch parameters
    (rather than only launch templates) and the encryption flags of the EBS volumes
    those parameters attach."""
    found = []
    for request in api.pages(
        "ec2", None, "describe_spot_fleet_requests", "SpotFleetRequestConfigs"
    ):
        if request.get("SpotFleetRequestState") in _ENDED:
            continue
        config = request.get("SpotFleetRequestConfig") or {}
        specs = config.get("LaunchSpecifications") or []
        found.append(
            {
                "id": request.get("SpotFleetRequestId", ""),
                "launch_specifications": bool(specs),
                "volumes": [
                    flag
                    for spec in specs
                    if isinstance(spec, dict)
                    for flag in _volumes(spec.get("BlockDeviceMappings"))
                ],
            }
        )
    return found
