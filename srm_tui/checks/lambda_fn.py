"""Lambda checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import srm_tui.aws.collect.lambda_fn  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.checks.resource_policy import public_statements, service_statements_without_source
from srm_tui.checks.secret_names import suspicious
from srm_tui.model import Finding

#: Runtime -> the day Lambda deprecated it (or plans to), from the Lambda runtimes page
#: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
DEPRECATION = {
    "nodejs": date(2016, 10, 31),
    "nodejs4.3": date(2020, 3, 5),
    "nodejs4.3-edge": date(2019, 4, 30),
    "nodejs6.10": date(2019, 8, 12),
    "nodejs8.10": date(2020, 3, 6),
    "nodejs10.x": date(2021, 7, 30),
    "nodejs12.x": date(2023, 3, 31),
    "nodejs14.x": date(2023, 12, 4),
    "nodejs16.x": date(2024, 6, 12),
    "nodejs18.x": date(2025, 9, 1),
    "nodejs20.x": date(2026, 4, 30),
    "nodejs22.x": date(2027, 4, 30),
    "python2.7": date(2021, 7, 15),
    "python3.6": date(2022, 7, 18),
    "python3.7": date(2023, 12, 4),
    "python3.8": date(2024, 10, 14),
    "python3.9": date(2025, 12, 15),
    "ruby2.5": date(2021, 7, 30),
    "ruby2.7": date(2023, 12, 7),
    "ruby3.2": date(2026, 3, 31),
    "java8": date(2024, 1, 8),
    "go1.x": date(2024, 1, 8),
    "provided": date(2024, 1, 8),
    "dotnetcore1.0": date(2019, 7, 30),
    "dotnetcore2.0": date(2019, 5, 30),
    "dotnetcore2.1": date(2022, 1, 5),
    "dotnetcore3.1": date(2023, 4, 3),
    "dotnet5.0": date(2022, 5, 10),
    "dotnet6": date(2024, 12, 20),
    "dotnet7": date(2024, 5, 14),
    "dotnet8": date(2026, 11, 10),
}


def deprecated_since(runtime: str, today: date) -> date | None:
    """The day ``runtime`` was deprecated, or None if it is supported on ``today``."""
    when = DEPRECATION.get(runtime)
    return when if when is not None and when <= today else None


@check(
    "lambda.public_policy",
    title="Lambda function policies do not allow public invocation",
    service="lambda",
    severity="critical",
    responsibility="customer",
    scope="regional",
    needs=("lambda.policies",),
    frameworks={
        "cis-aws-7.0": ["2.21"],
        "aws-fsbp": ["Lambda.1"],
        "nist-csf-2.0": ["PR.AA"],
        "iso-27017": ["9.4.1"],
    },
    remediation=(
        "Remove permissions granted to '*' from the function policy (aws lambda "
        "remove-permission), or narrow them with a source account, ARN or organisation; give "
        "S3 triggers a source account. "
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"
    ),
)
def public_policy(ctx: Context) -> Iterable[Finding]:
    for arn, policy in sorted(ctx.data("lambda.policies").items()):
        if policy is None:
            yield ctx.ok(arn, "no resource-based policy")
            continue
        public = public_statements(policy)
        loose = service_statements_without_source(policy, ("s3.amazonaws.com",))
        if public:
            yield ctx.fail(arn, "anyone may invoke: " + "; ".join(public))
        elif loose:
            yield ctx.fail(arn, "S3 grant without a source account: " + "; ".join(loose))
        else:
            yield ctx.ok(arn, "policy grants named principals only")


@check(
    "lambda.deprecated_runtime",
    title="Lambda functions use a supported runtime",
    service="lambda",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("lambda.functions",),
    frameworks={
        "aws-fsbp": ["Lambda.2"],
        "nist-csf-2.0": ["PR.PS", "ID.RA"],
        "iso-27017": ["12.6.1"],
    },
    remediation=(
        "Move the function to a current runtime of its language and redeploy it; deprecated "
        "runtimes get no security patches. "
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
    ),
)
def deprecated_runtime(ctx: Context) -> Iterable[Finding]:
    today = date.today()
    for function in ctx.data("lambda.functions"):
        runtime = function["runtime"]
        if not runtime:
            yield ctx.na(function["arn"], "container image: the image's base decides")
        elif since := deprecated_since(runtime, today):
            yield ctx.fail(function["arn"], f"runtime {runtime} deprecated since {since}")
        else:
            yield ctx.ok(function["arn"], f"runtime {runtime}")


@check(
    "lambda.env_secrets",
    title="Lambda environment variables hold no secrets in the clear",
    service="lambda",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("lambda.functions",),
    frameworks={"nist-csf-2.0": ["PR.DS", "PR.AA"], "iso-27017": ["9.2.4"]},
    remediation=(
        "Keep secrets in AWS Secrets Manager or SSM Parameter Store (SecureString) and read "
        "them at run time; put only their names or ARNs in the environment. "
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html"
    ),
    description="Reports variable names only, never a value.",
)
def env_secrets(ctx: Context) -> Iterable[Finding]:
    for function in ctx.data("lambda.functions"):
        found = suspicious(function["environment"])
        if found:
            yield ctx.fail(function["arn"], "possible secrets: " + ", ".join(found))
        else:
            count = len(function["environment"])
            yield ctx.ok(function["arn"], f"{count} variable(s), none looks like a secret")


ADMIN_POLICY_NAMES = frozenset({"AdministratorAccess"})


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def grants_everything(document: Any) -> bool:
    """True when a policy document allows every action on every resource."""
    if not isinstance(document, Mapping):
        return False
    for statement in _as_list(document.get("Statement")):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = {str(a) for a in _as_list(statement.get("Action"))}
        resources = {str(r) for r in _as_list(statement.get("Resource"))}
        if actions & {"*", "*:*"} and "*" in resources and not statement.get("Condition"):
            return True
    return False


def admin_policies(role: Mapping[str, Any]) -> list[str]:
    """Names of the role's policies that grant full administrative access."""
    found = [
        p["name"] or p["arn"]
        for p in role.get("managed", [])
        if p["arn"].rsplit("/", 1)[-1] in ADMIN_POLICY_NAMES or grants_everything(p["document"])
    ]
    found += [
        f"{p['name']} (inline)" for p in role.get("inline", []) if grants_everything(p["document"])
    ]
    return found


@check(
    "lambda.admin_execution_role",
    title="Lambda execution roles are not administrators",
    service="lambda",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("lambda.functions", "lambda.execution_roles"),
    frameworks={"nist-csf-2.0": ["PR.AA"], "iso-27017": ["9.2.3"]},
    remediation=(
        "Give each function its own role with only the actions and resources it uses; detach "
        'AdministratorAccess and policies allowing "*" on "*". '
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
    ),
)
def admin_execution_role(ctx: Context) -> Iterable[Finding]:
    roles = ctx.data("lambda.execution_roles")
    for function in ctx.data("lambda.functions"):
        role = roles.get(function["role"])
        if role is None or not role["exists"]:
            yield ctx.na(function["arn"], f"execution role {function['role']} not found")
            continue
        admin = admin_policies(role)
        if admin:
            yield ctx.fail(
                function["arn"],
                f"role {function['role'].rsplit('/', 1)[-1]} grants full access via "
                + ", ".join(admin),
            )
        else:
            yield ctx.ok(function["arn"], "execution role is not an administrator")
