"""EKS checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.eks  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide"
_ALL_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")


@check(
    "eks.public_endpoint",
    title="EKS cluster endpoints are not publicly accessible",
    service="eks",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("eks.clusters",),
    frameworks={"aws-fsbp": ["EKS.1"], "nist-csf-2.0": ["PR.IR", "PR.AA"], "iso-27017": ["13.1.1"]},
    remediation=(
        "Enable private endpoint access and disable public access, or at least limit public "
        f"access to known CIDR blocks. {_DOCS}/cluster-endpoint.html"
    ),
)
def public_endpoint(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        if not cluster["public_endpoint"]:
            yield ctx.ok(cluster["arn"], "endpoint is private")
        elif cluster["public_cidrs"] and "0.0.0.0/0" not in cluster["public_cidrs"]:
            yield ctx.fail(
                cluster["arn"],
                "endpoint is public, limited to " + ", ".join(cluster["public_cidrs"]),
            )
        else:
            yield ctx.fail(cluster["arn"], "endpoint is public to the whole internet")


@check(
    "eks.secrets_encryption",
    title="EKS clusters encrypt Kubernetes secrets with a KMS key",
    service="eks",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("eks.clusters",),
    frameworks={"aws-fsbp": ["EKS.3"], "nist-csf-2.0": ["PR.DS"], "iso-27017": ["10.1.1"]},
    remediation=(
        "Associate a KMS key with the cluster to envelope-encrypt Kubernetes secrets "
        f"(aws eks associate-encryption-config). {_DOCS}/enable-kms.html"
    ),
)
def secrets_encryption(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        if "secrets" in cluster["encrypted_resources"]:
            yield ctx.ok(cluster["arn"], "secrets are encrypted with a KMS key")
        else:
            yield ctx.fail(cluster["arn"], "secrets are not encrypted with a KMS key")


@check(
    "eks.control_plane_logging",
    title="EKS clusters send audit logs of the control plane to CloudWatch",
    service="eks",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("eks.clusters",),
    frameworks={"aws-fsbp": ["EKS.8"], "nist-csf-2.0": ["DE.CM", "PR.PS"], "iso-27017": ["12.4.1"]},
    remediation=(
        "Enable control plane logging, at least the audit log (and authenticator). "
        f"{_DOCS}/control-plane-logs.html"
    ),
)
def control_plane_logging(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        missing = [kind for kind in _ALL_LOGS if kind not in cluster["logging"]]
        if "audit" in cluster["logging"]:
            extra = f" (not enabled: {', '.join(missing)})" if missing else ""
            yield ctx.ok(cluster["arn"], "audit logging enabled" + extra)
        else:
            yield ctx.fail(
                cluster["arn"], "audit logging disabled; not enabled: " + ", ".join(missing)
            )
