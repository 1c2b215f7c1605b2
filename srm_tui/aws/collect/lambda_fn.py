"""Lambda: functions (environment reduced to names), their resource policies and
what their execution roles may do."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.collect import envvars
from srm_tui.aws.collect.pages import error_code, items, load_document, shared
from srm_tui.aws.collectors import collector


def _function(raw: dict[str, Any]) -> dict[str, Any]:
    variables = (raw.get("Environment") or {}).get("Variables") or {}
    return {
        "name": raw.get("FunctionName", ""),
        "arn": raw.get("FunctionArn", ""),
        "runtime": raw.get("Runtime", ""),
        "package_type": raw.get("PackageType", "Zip"),
        "role": raw.get("Role", ""),
        # The values are dropped here: only names and facts about them are kept.
        "environment": envvars.describe(variables),
    }


@collector(
    "lambda.functions",
    service="lambda",
    api_calls=("lambda:ListFunctions",),
    in_use=bool,
)
def functions(api: Any, region: str) -> list[dict[str, Any]]:
    """Each function: name, ARN, runtime, execution role and environment variable names."""
    return [_function(f) for f in items(api.client("lambda"), "list_functions", "Functions")]


@collector(
    "lambda.policies",
    service="lambda",
    api_calls=("lambda:ListFunctions", "lambda:GetPolicy"),
)
def policies(api: Any, region: str) -> dict[str, Any]:
    """Function ARN -> its resource-based policy (a dict), or None when it has none."""
    client = api.client("lambda")

    def one(arn: str) -> Any:
        try:
            policy = client.get_policy(FunctionName=arn)["Policy"]
        except ClientError as error:
            if error_code(error) != "ResourceNotFoundException":
                raise
            return None
        return load_document(policy) if isinstance(policy, str) else policy

    arns = [f["arn"] for f in shared(api, "lambda.functions", region)]
    # One call per function: a few at a time, as for buckets, since each waits on AWS.
    each = getattr(api, "each", None)
    found = each(one, arns) if callable(each) else [one(arn) for arn in arns]
    return dict(zip(arns, found, strict=True))


def _document(value: Any) -> Any:
    # IAM returns policy documents URL-encoded; botocore usually decodes them already.
    if isinstance(value, str):
        return load_document(value)
    return value


def _role(iam: Any, role_name: str) -> dict[str, Any]:
    managed = []
    for attached in items(
        iam, "list_attached_role_policies", "AttachedPolicies", RoleName=role_name
    ):
        arn = attached["PolicyArn"]
        document = None
        # AWS managed policies are known by name; only customer policies are read.
        if ":aws:policy/" not in arn:
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            document = _document(
                iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"][
                    "Document"
                ]
            )
        managed.append({"arn": arn, "name": attached.get("PolicyName", ""), "document": document})
    inline = [
        {
            "name": name,
            "document": _document(
                iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
            ),
        }
        for name in items(iam, "list_role_policies", "PolicyNames", RoleName=role_name)
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
)
def execution_roles(api: Any, region: str) -> dict[str, Any]:
    """Role ARN -> the policies of each execution role used by the region's functions
    (managed: ARN, name and, for customer managed ones, the default version's document;
    inline: name and document). A role that no longer exists is ``{"exists": False}``."""
    roles = {f["role"] for f in shared(api, "lambda.functions", region)}
    iam = api.client("iam")
    found: dict[str, Any] = {}
    for arn in sorted(r for r in roles if r):
        try:
            found[arn] = _role(iam, arn.rsplit("/", 1)[-1])
        except ClientError as error:
            if error_code(error) != "NoSuchEntity":
                raise
            found[arn] = {"exists": False, "managed": [], "inline": []}
    return found
