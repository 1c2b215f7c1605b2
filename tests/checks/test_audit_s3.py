"""S3, AWS Backup, SNS and SQS checks against their controls' published definitions:
the edge cases where a verdict used to differ from what the control's own text gives."""

from __future__ import annotations

from srm_tui.model import Status
from tests.checks.engine_helpers import REGION, by_resource, run

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE


def buckets(*names: str, region: str = REGION) -> list[dict]:
    return [{"name": n, "arn": f"arn:aws:s3:::{n}", "region": region} for n in names]


def by_bucket(findings) -> dict[str, Status]:
    return {r.rsplit(":", 1)[-1]: s for r, s in by_resource(findings).items()}


def _deny_http(name: str, principal: object = "*", secure: object = "false") -> dict:
    return {"Statement": [{
        "Effect": "Deny", "Principal": principal, "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": secure}},
    }]}  # fmt: skip


def test_tls_only_needs_the_deny_to_apply_to_everyone():
    # S3.5 / CIS 3.1.1: the compliant policy denies Principal "*"; a Deny for one role
    # leaves every other caller on plain HTTP. ["false"] is the same test as "false".
    policies = {
        "everyone": _deny_http("everyone"),
        "aws-star": _deny_http("aws-star", principal={"AWS": "*"}),
        "listed": _deny_http("listed", secure=["false"]),
        "one-role": _deny_http("one-role", principal={"AWS": "arn:aws:iam::123456789012:role/app"}),
    }
    data = {"s3.buckets": buckets(*policies), "s3.bucket_policies": policies}
    assert by_bucket(run("s3.bucket_tls_only", data)) == {
        "everyone": P, "aws-star": P, "listed": P, "one-role": F,
    }  # fmt: skip


def test_mfa_delete_needs_versioning_enabled_too():
    # CIS 3.1.2 audit: get-bucket-versioning must show Status and MfaDelete Enabled.
    versions = {
        "both": {"Status": "Enabled", "MFADelete": "Enabled"},
        "suspended": {"Status": "Suspended", "MFADelete": "Enabled"},
        "no-mfa": {"Status": "Enabled", "MFADelete": "Disabled"},
        "never": {},
    }
    data = {"s3.buckets": buckets(*versions), "s3.bucket_versioning": versions}
    assert by_bucket(run("s3.bucket_mfa_delete", data)) == {
        "both": P, "suspended": F, "no-mfa": F, "never": F,
    }  # fmt: skip
