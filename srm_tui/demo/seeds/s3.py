"""Demo seed: buckets in both regions, from locked down to wide open."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

ORDER = 20

BPA_ON = {
    "BlockPublicAcls": True, "IgnorePublicAcls": True,
    "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
}  # fmt: skip


def log_bucket(region: str) -> str:
    """The access-log bucket of a region."""
    return f"demo-access-logs-{region}"


TRAIL_BUCKET = "demo-cloudtrail-logs"


def _create(s3: Any, name: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def _tls_only(name: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyPlainHttp",
                    "Effect": "Deny",
                    # {"AWS": "*"} rather than "*": the emulator's log delivery
                    # check cannot read a plain string principal.
                    "Principal": {"AWS": "*"},
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _locked_down(s3: Any, name: str, region: str, log_to: str | None) -> None:
    _create(s3, name, region)
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=BPA_ON)
    s3.put_bucket_policy(Bucket=name, Policy=_tls_only(name))
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if log_to:
        s3.put_bucket_logging(
            Bucket=name,
            BucketLoggingStatus={
                "LoggingEnabled": {"TargetBucket": log_to, "TargetPrefix": f"{name}/"}
            },
        )


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """A log bucket per region, a well-kept data bucket, the trail's bucket and a public
    website bucket with none of the protections."""
    for region in regions[:2]:
        s3 = session.client("s3", region_name=region)
        _locked_down(s3, log_bucket(region), region, None)
        s3.put_bucket_acl(Bucket=log_bucket(region), ACL="log-delivery-write")
    home, other = regions[0], regions[-1]
    s3 = session.client("s3", region_name=home)
    _locked_down(s3, TRAIL_BUCKET, home, log_bucket(home))
    s3_other = session.client("s3", region_name=other)
    _locked_down(s3_other, "demo-customer-data", other, log_bucket(other))

    # A website bucket left open: public policy and ACL, no encryption, no TLS rule.
    site = "demo-public-website"
    _create(s3, site, home)
    s3.put_bucket_acl(Bucket=site, ACL="public-read")
    s3.put_bucket_policy(
        Bucket=site,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{site}/*",
                    }
                ],
            }
        ),
    )
    s3.put_bucket_versioning(Bucket=site, VersioningConfiguration={"Status": "Suspended"})

    for n in range(scale - 1):
        # Benchmark growth: plain private buckets, alternating regions.
        region = regions[n % len(regions)]
        client = session.client("s3", region_name=region)
        name = f"demo-bench-{n:05d}"
        _create(client, name, region)
        if n % 2:
            client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=BPA_ON)
