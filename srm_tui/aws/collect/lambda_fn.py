"""Lambda: functions (environment reduced to names), their resource policies and
what their execution roles may do."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect import envvars
from srm_tui.aws.collectors import collector
from srm_tui.collected import load_document


def _function(raw: dict[str, Any]) -> dict[str, Any]:
    variables = (raw.get("Environment") or {}).get("Variables") or {}
    return {
        "name": raw.get("FunctionName", ""),
        "arn": raw.get("FunctionArn", ""),
        "runtime": raw.get("Runtime", ""),
        "package_type": raw.get("PackageType", "Zip"),
        "role": raw.get("Role", ""),
        "vpc_subnets": sorted(str(s) for s in (raw.get("VpcConfig") or {}).get("SubnetIds") or []),
        # The values are dropped here: only names and facts about them are kept.
        "environment": envvars.describe(variables),
    }


@collector(
    "lambda.functions",
    service="lambda",
    api_calls=("lambda:ListFunctions",),
    in_use=bool,
)
def functions(api: Api, region: str) -> list[dict[str, Any]]:
    """Each function: name, ARN, runtime, package type, execution role, the VPC subnets
    it connects to (empty when it is not in a VPC) and environment variable names."""
    return [_function(f) for f in api.pages("lambda", None, "list_functions", "Functions")]


@collector(
    "lambda.policies",
    service="lambda",
    api_calls=("lambda:ListFunctions", "lambda:GetPolicy"),
    reads=("lambda.functions",),
)
def policies(api: Api, region: str) -> dict[str, Any]:
    """Function ARN -> its resource-based policy (a dict), or None when it has none."""

    def one(arn: str) -> Any:
        answer = api.call(
            "lambda", None, "get_policy", missing=("ResourceNotFoundException",), FunctionName=arn
        )
        return None if answer is None else _document(answer["Policy"])

    arns = [f["arn"] for f in api.data("lambda.functions")]
    # One call per function: a few at a time, as for buckets, since each waits on AWS.
    return dict(zip(arns, api.each(one, arns), strict=True))


_FILTER_VALUES = 200  # values per EC2 filter


@collector(
    "lambda.subnet_zones",
    service="lambda",
    api_calls=("lambda:ListFunctions", "ec2:DescribeSubnets"),
    reads=("lambda.functions",),
)
def subnet_zones(api: Api, region: str) -> dict[str, str]:
    """Subnet id -> Availability Zone, for the subnets the region's functions connect
    to. A subnet that no longer exists is absent (a filter, unlike SubnetIds, does not
    fail on it)."""
    wanted = sorted({s for f in api.data("lambda.functions") for s in f["vpc_subnets"]})
    zones: dict[str, str] = {}
    for start in range(0, len(wanted), _FILTER_VALUES):
        chunk = wanted[start : start + _FILTER_VALUES]
        for subnet in api.pages(
            "ec2", None, "describe_subnets", "Subnets",
            Filters=[{"Name": "subnet-id", "Values": chunk}],
        ):  # fmt: skip
            zones[subnet["SubnetId"]] = subnet.get("AvailabilityZone", "")
    return zones


def _document(value: Any) -> Any:
    # IAM returns policy documents URL-encoded; botocore usually decodes them already.
    if isinstance(value, str):
        return load_document(value)
    return value


_GONE = ("NoSuchEntity",)


def _role(api: Api, role_name: str) -> dict[str, Any]:
    """The role's policies; ``exists`` False when IAM no longer knows the role."""
    attached = api.pages(
        "iam", None, "list_attached_role_policies", "AttachedPolicies",
        missing=_GONE, RoleName=role_name,
    )  # fmt: skip
    names = api.pages(
        "iam", None, "list_role_policies", "PolicyNames", missing=_GONE, RoleName=role_name
    )
    if attached is None or names is None:
        return {"exists": False, "managed": [], "inline": []}
    managed = []
    for policy in attached:
        arn = policy["PolicyArn"]
        document = None
        # AWS managed policies are known by name; only customer policies are read.
        if ":aws:policy/" not in arn:
            version = api.call("iam", None, "get_policy", PolicyArn=arn)["Policy"]
            document = _document(
                api.call(
                    "iam", None, "get_policy_version",
                    PolicyArn=arn, VersionId=version["DefaultVersionId"],
                )["PolicyVersion"]["Document"]
            )  # fmt: skip
        managed.append({"arn": arn, "name": policy.get("PolicyName", ""), "document": document})
    inline = [
        {
            "name": name,
            "document": _document(
                api.call("iam", None, "get_role_policy", RoleName=role_name, PolicyName=name)[
                    "PolicyDocument"
                ]
            ),
        }
        for name in names
    ]
    return {"exists": True, "managed": managed, "inline": inline}


@collector(
    "lambda.execution_roles",
    service="lambda",
    api_calls=(
        "lambda:ListFunctions",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
    ),
    reads=("lambda.functions",),
)
def execution_roles(api: Api, region: str) -> dict[str, Any]:
    """Role ARN -> the policies of each execution role used by the region's functions
    (managed: ARN, name and, for customer managed ones, the default version's document;
    inline: name and document). A role that no longer exists is ``{"exists": False}``."""
    roles = {f["role"] for f in api.data("lambda.functions")}
    return {arn: _role(api, arn.rsplit("/", 1)[-1]) for arn in sorted(r for r in roles if r)}
