"""Lambda checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.resource_policy import public_statements, service_statements_without_source
from srm_tui.checks.secret_names import suspicious
from srm_tui.model import Finding

#: Runtime -> the day Lambda deprecated it (or plans to), from the Lambda runtimes page
#: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html. Lambda.2 decides by
#: its ``runtimes`` parameter; these dates only explain a failure.
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
    "python3.10": date(2026, 10, 31),
    "python3.11": date(2027, 6, 30),
    "ruby2.5": date(2021, 7, 30),
    "ruby2.7": date(2023, 12, 7),
    "ruby3.2": date(2026, 3, 31),
    "java8": date(2024, 1, 8),
    # The Amazon Linux 2 Java runtimes (and python3.11 above): moved to June 30, 2027.
    "java8.al2": date(2027, 6, 30),
    "java11": date(2027, 6, 30),
    "java17": date(2027, 6, 30),
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


@check("lambda.public_policy", needs=("lambda.policies",))
def public_policy(ctx: Context) -> Iterable[Finding]:
    for arn, policy in sorted(ctx.data("lambda.policies").items()):
        if policy is None:
            yield ctx.ok(arn, "no resource-based policy")
            continue
        try:
            public = public_statements(policy)
            loose = service_statements_without_source(policy, ("s3.amazonaws.com",))
        except ValueError as exc:
            yield ctx.error(arn, f"the function policy cannot be read: {exc}")
            continue
        if public:
            yield ctx.fail(arn, "anyone may invoke: " + "; ".join(public))
        elif loose:
            yield ctx.fail(arn, "S3 grant without a source account: " + "; ".join(loose))
        else:
            yield ctx.ok(arn, "policy grants named principals only")


def os_only(runtime: str) -> bool:
    """True for the OS-only runtimes (provided, provided.al2, provided.al2023), which
    carry no language version for Lambda to deprecate."""
    return runtime == "provided" or runtime.startswith("provided.")


@check("lambda.deprecated_runtime", needs=("lambda.functions",))
def deprecated_runtime(ctx: Context) -> Iterable[Finding]:
    supported = set(ctx.param("runtimes"))
    today = date.today()
    for function in ctx.data("lambda.functions"):
        runtime = function["runtime"]
        # As Lambda.2 does: container images and OS-only runtimes are not judged.
        if function.get("package_type") == "Image" or not runtime:
            yield ctx.na(function["arn"], "container image: the image's base decides")
        elif os_only(runtime):
            yield ctx.na(function["arn"], f"OS-only runtime {runtime}: the bundled runtime decides")
        elif runtime in supported:
            yield ctx.ok(function["arn"], f"runtime {runtime}")
        else:
            since = deprecated_since(runtime, today)
            why = f"deprecated since {since}" if since else "not in the supported list"
            yield ctx.fail(function["arn"], f"runtime {runtime} {why}")


@check("lambda.env_secrets", needs=("lambda.functions",))
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


@check("lambda.admin_execution_role", needs=("lambda.functions", "lambda.execution_roles"))
def admin_execution_role(ctx: Context) -> Iterable[Finding]:
    roles = ctx.data("lambda.execution_roles")
    # Functions often share a role, and a role's managed policies can list thousands
    # of actions: judge each role once.
    judged: dict[str, list[str]] = {}
    for function in ctx.data("lambda.functions"):
        role = roles.get(function["role"])
        if role is None or not role["exists"]:
            yield ctx.na(function["arn"], f"execution role {function['role']} not found")
            continue
        if function["role"] not in judged:
            judged[function["role"]] = admin_policies(role)
        admin = judged[function["role"]]
        if admin:
            yield ctx.fail(
                function["arn"],
                f"role {function['role'].rsplit('/', 1)[-1]} grants full access via "
                + ", ".join(admin),
            )
        else:
            yield ctx.ok(function["arn"], "execution role is not an administrator")


@check("lambda.multi_az", needs=("lambda.functions", "lambda.subnet_zones"))
def multi_az(ctx: Context) -> Iterable[Finding]:
    minimum = int(ctx.param("availability_zones"))
    zones_of = ctx.data("lambda.subnet_zones")
    for function in ctx.data("lambda.functions"):
        subnets = function["vpc_subnets"]
        if not subnets:
            yield ctx.na(function["arn"], "not connected to a VPC")
            continue
        unknown = [s for s in subnets if not zones_of.get(s)]
        zones = sorted({zones_of[s] for s in subnets if zones_of.get(s)})
        if len(zones) >= minimum:
            yield ctx.ok(function["arn"], f"{len(zones)} Availability Zones: " + ", ".join(zones))
        elif unknown:
            yield ctx.error(
                function["arn"], "subnets not found, zones unknown: " + ", ".join(unknown)
            )
        else:
            yield ctx.fail(
                function["arn"],
                f"{len(zones)} Availability Zone(s) ({', '.join(zones)}), fewer than {minimum}",
            )
