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


PARTNER = "111122223333"
_EXPIRE_LOGS = {
    "Rules": [
        {"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": ""},
         "Expiration": {"Days": 365}}
    ]
}  # fmt: skip


def _partner_may_change_acls(name: str) -> str:
    """The TLS rule plus a partner account allowed to change object ACLs (FSBP S3.6)."""
    policy = json.loads(_tls_only(name))
    policy["Statement"].append(
        {
            "Sid": "PartnerDelivery",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
            "Action": ["s3:PutObject", "s3:PutObjectAcl"],
            "Resource": f"arn:aws:s3:::{name}/*",
        }
    )
    return json.dumps(policy)


def _access_points(session: Any, region: str, bucket: str) -> None:
    """An access point that blocks public access and one created without the block."""
    control = session.client("s3control", region_name=region)
    account = session.client("sts", region_name=region).get_caller_identity()["Account"]
    off = dict.fromkeys(BPA_ON, False)
    for name, block in (("demo-data-internal", BPA_ON), ("demo-data-partners", off)):
        control.create_access_point(
            AccountId=account, Name=name, Bucket=bucket, PublicAccessBlockConfiguration=block
        )
    for name, block in (("demo-global-assets", BPA_ON), ("demo-global-open", off)):
        control.create_multi_region_access_point(
            AccountId=account, ClientToken=name,
            Details={"Name": name, "PublicAccessBlock": block, "Regions": [{"Bucket": bucket}]},
        )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """A log bucket per region (with a lifecycle rule), a well-kept data bucket shared
    with a partner account, the trail's bucket, a public website bucket with none of the
    protections, and access points with and without Block Public Access."""
    for region in regions[:2]:
        s3 = session.client("s3", region_name=region)
        _locked_down(s3, log_bucket(region), region, None)
        s3.put_bucket_acl(Bucket=log_bucket(region), ACL="log-delivery-write")
        s3.put_bucket_lifecycle_configuration(
            Bucket=log_bucket(region), LifecycleConfiguration=_EXPIRE_LOGS
        )
    home, other = regions[0], regions[-1]
    s3 = session.client("s3", region_name=home)
    _locked_down(s3, TRAIL_BUCKET, home, log_bucket(home))
    s3_other = session.client("s3", region_name=other)
    _locked_down(s3_other, "demo-customer-data", other, log_bucket(other))
    s3_other.put_bucket_policy(
        Bucket="demo-customer-data", Policy=_partner_may_change_acls("demo-customer-data")
    )
    _access_points(session, home, TRAIL_BUCKET)

    # A website bucket left open: public policy and ACL (read and write), no
    # encryption, no TLS rule.
    site = "demo-public-website"
    _create(s3, site, home)
    owner = s3.get_bucket_acl(Bucket=site)["Owner"]
    everyone = {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}
    s3.put_bucket_acl(
        Bucket=site,
        AccessControlPolicy={
            "Owner": owner,
            "Grants": [
                {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]},
                 "Permission": "FULL_CONTROL"},
                {"Grantee": everyone, "Permission": "READ"},
                {"Grantee": everyone, "Permission": "WRITE"},
            ],
        },
    )  # fmt: skip
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
