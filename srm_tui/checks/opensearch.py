"""OpenSearch Service checks, one per domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import CheckFunction, Context, check
from srm_tui.model import Finding

# (check id, domain field that must be true, what passes, what fails)
_SETTINGS = (
    ("opensearch.encrypted_at_rest", "encrypted_at_rest", "encrypted at rest",
     "not encrypted at rest"),
    ("opensearch.in_vpc", "in_vpc", "reachable only inside its VPC",
     "public endpoint (not in a VPC)"),
    ("opensearch.node_to_node_encryption", "node_to_node", "traffic between nodes is encrypted",
     "traffic between nodes is not encrypted"),
    ("opensearch.error_logging", "error_logs", "error logs go to CloudWatch Logs",
     "error logs are not published to CloudWatch Logs"),
    ("opensearch.audit_logging", "audit_logs", "audit logs go to CloudWatch Logs",
     "audit logs are not published to CloudWatch Logs"),
    ("opensearch.fine_grained_access", "fine_grained", "fine-grained access control enabled",
     "fine-grained access control disabled"),
)  # fmt: skip


def _setting(field: str, yes: str, no: str) -> Any:
    def run(ctx: Context) -> Iterable[Finding]:
        for domain in ctx.data("opensearch.domains"):
            yield ctx.ok(domain["arn"], yes) if domain[field] else ctx.fail(domain["arn"], no)

    return run


SETTING_CHECKS: tuple[CheckFunction, ...] = tuple(
    check(check_id, needs=("opensearch.domains",))(_setting(field, yes, no))
    for check_id, field, yes, no in _SETTINGS
)


@check("opensearch.three_data_nodes", needs=("opensearch.domains",))
def three_data_nodes(ctx: Context) -> Iterable[Finding]:
    for domain in ctx.data("opensearch.domains"):
        count, zones = domain["instance_count"], domain["zone_awareness"]
        if count >= 3 and zones:
            yield ctx.ok(domain["arn"], f"{count} data nodes, zone awareness on")
        else:
            problems = [f"{count} data node(s)"] if count < 3 else []
            problems += [] if zones else ["zone awareness off"]
            yield ctx.fail(domain["arn"], ", ".join(problems))


@check("opensearch.tls_policy", needs=("opensearch.domains",))
def tls_policy(ctx: Context) -> Iterable[Finding]:
    policies = tuple(ctx.param("tls_policies"))
    for domain in ctx.data("opensearch.domains"):
        policy = domain["tls_policy"] or "none"
        if not domain["enforce_https"]:
            yield ctx.fail(domain["arn"], f"HTTPS is not enforced (TLS policy {policy})")
        elif policy not in policies:
            yield ctx.fail(domain["arn"], f"TLS policy {policy}, not {' or '.join(policies)}")
        else:
            yield ctx.ok(domain["arn"], f"HTTPS enforced with {policy}")


@check("opensearch.software_update", needs=("opensearch.domains",))
def software_update(ctx: Context) -> Iterable[Finding]:
    for domain in ctx.data("opensearch.domains"):
        waiting = domain["update_available"]
        if waiting is None:
            yield ctx.error(domain["arn"], "the endpoint did not report the service software state")
        elif waiting:
            yield ctx.fail(domain["arn"], "a service software update is available, not installed")
        else:
            yield ctx.ok(domain["arn"], "runs the latest service software")
