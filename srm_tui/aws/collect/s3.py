"""S3: buckets in the scanned regions and, per bucket, each setting the checks read.

A bucket's setting that cannot be read is ``Unreadable`` in place of the value, so
one denied bucket does not hide the others.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import token_pages
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable, load_document

# ListBuckets pages only when asked to (MaxBuckets), and AWS refuses an unpaged listing
# in an account whose bucket quota is above 10,000: always ask, with the largest page.
_PAGED = {"PageSize": 10_000}


@collector(
    "s3.buckets",
    service="s3",
    scope="global",
    api_calls=("s3:ListAllMyBuckets", "s3:GetBucketLocation"),
    in_use=lambda buckets: bool(buckets),
)
def buckets(api: Api, region: str) -> list[dict[str, Any]]:
    """Buckets whose region is one of the scan's: name, arn, region, created."""
    listed = api.pages("s3", region, "list_buckets", "Buckets", PaginationConfig=_PAGED)
    where = {b["Name"]: b["BucketRegion"] for b in listed if b.get("BucketRegion")}
    unknown = [b["Name"] for b in listed if b["Name"] not in where]
    if unknown:
        where.update(_regions_of(api, region, unknown))
    return [
        {
            "name": bucket["Name"],
            "arn": f"arn:{api.partition}:s3:::{bucket['Name']}",
            "region": where[bucket["Name"]],
            "created": bucket.get("CreationDate"),
        }
        for bucket in listed
        if where.get(bucket["Name"]) in api.regions
    ]


# A region no scan asks about, to tell whether the endpoint honours ListBuckets'
# region filter: its answer must not hold the scanned regions' buckets.
_PROBE_REGION = "ap-southeast-4"


def _regions_of(api: Api, region: str, names: list[str]) -> dict[str, str]:
    # One filtered listing per scanned region instead of one GetBucketLocation per
    # bucket; a bucket the filter does not place, or an endpoint that ignores or
    # rejects the filter, falls back to asking the bucket itself.
    found: dict[str, list[str]] | None = {}
    try:
        for scanned in api.regions:
            for bucket in api.pages(
                "s3",
                region,
                "list_buckets",
                "Buckets",
                BucketRegion=scanned,
                PaginationConfig=_PAGED,
            ):
                found.setdefault(bucket["Name"], []).append(scanned)
        if found and _PROBE_REGION not in api.regions:
            probe = api.pages(
                "s3", region, "list_buckets", "Buckets", BucketRegion=_PROBE_REGION,
                PaginationConfig=_PAGED,
            )  # fmt: skip
            if {b["Name"] for b in probe} & found.keys():
                found = None  # the filter is ignored: no placement can be trusted
    except ClientError:
        found = None
    where: dict[str, str] = {}
    for name in names:
        places = [] if found is None else found.get(name, [])
        if len(places) == 1:
            where[name] = places[0]
        elif found is None or places:
            where[name] = _location(api, region, name)
        # else: listed in no scanned region, so outside the scan
    return where


def _location(api: Api, region: str, name: str) -> str:
    location = api.call("s3", region, "get_bucket_location", Bucket=name)
    where = location.get("LocationConstraint") or "us-east-1"
    return "eu-west-1" if where == "EU" else where


def _per_bucket(api: Api, operation: str, missing: tuple[str, ...], pick) -> dict[str, Any]:
    def one(bucket: dict[str, Any]) -> Any:
        answer = api.detail(
            "s3", bucket["region"], operation, missing=missing, Bucket=bucket["name"]
        )
        return answer if answer is None or isinstance(answer, Unreadable) else pick(answer)

    buckets = api.data("s3.buckets")
    return dict(zip([b["name"] for b in buckets], api.each(one, buckets), strict=True))


@collector(
    "s3.bucket_policies",
    service="s3",
    scope="global",
    api_calls=("s3:GetBucketPolicy",),
    reads=("s3.buckets",),
)
def bucket_policies(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> its policy document (parsed), None without a policy."""

    def parse(answer: dict[str, Any]) -> Any:
        try:
            return load_document(answer.get("Policy") or "{}")
        except ValueError as exc:
            return Unreadable(f"the bucket policy cannot be read: {exc}")

    return _per_bucket(api, "get_bucket_policy", ("NoSuchBucketPolicy",), parse)


@collector(
    "s3.bucket_public_access_blocks",
    service="s3",
    scope="global",
    api_calls=("s3:GetBucketPublicAccessBlock",),
    reads=("s3.buckets",),
)
def bucket_public_access_blocks(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> its Block Public Access settings, None when not configured."""
    return _per_bucket(
        api, "get_public_access_block", ("NoSuchPublicAccessBlockConfiguration",),
        lambda a: a.get("PublicAccessBlockConfiguration", {}),
    )  # fmt: skip


@collector(
    "s3.bucket_encryption",
    service="s3",
    scope="global",
    api_calls=("s3:GetEncryptionConfiguration",),
    reads=("s3.buckets",),
)
def bucket_encryption(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> default encryption rules, None when none is set."""
    return _per_bucket(
        api, "get_bucket_encryption", ("ServerSideEncryptionConfigurationNotFoundError",),
        lambda a: a.get("ServerSideEncryptionConfiguration", {}).get("Rules", []),
    )  # fmt: skip


@collector(
    "s3.bucket_versioning",
    service="s3",
    scope="global",
    api_calls=("s3:GetBucketVersioning",),
    reads=("s3.buckets",),
)
def bucket_versioning(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> {"Status": ..., "MFADelete": ...} (empty when never enabled)."""
    return _per_bucket(
        api, "get_bucket_versioning", (),
        lambda a: {k: a[k] for k in ("Status", "MFADelete") if k in a},
    )  # fmt: skip


@collector(
    "s3.bucket_logging",
    service="s3",
    scope="global",
    api_calls=("s3:GetBucketLogging",),
    reads=("s3.buckets",),
)
def bucket_logging(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> its server access logging target, or {} when off."""
    return _per_bucket(api, "get_bucket_logging", (), lambda a: a.get("LoggingEnabled") or {})


@collector(
    "s3.bucket_acls",
    service="s3",
    scope="global",
    api_calls=("s3:GetBucketAcl",),
    reads=("s3.buckets",),
)
def bucket_acls(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> its ACL grants (grantee and permission), each marked ``Owner``
    when it is the bucket owner's own grant."""

    def grants(answer: dict[str, Any]) -> list[dict[str, Any]]:
        owner = (answer.get("Owner") or {}).get("ID")
        return [
            {**g, "Owner": bool(owner) and (g.get("Grantee") or {}).get("ID") == owner}
            for g in answer.get("Grants") or []
        ]

    return _per_bucket(api, "get_bucket_acl", (), grants)


@collector(
    "s3.account_public_access_block",
    service="s3control",
    scope="global",
    api_calls=("s3:GetAccountPublicAccessBlock",),
)
def account_public_access_block(api: Api, region: str) -> dict[str, Any] | None:
    """The account-level Block Public Access settings, None when not configured."""
    answer = api.call(
        "s3control", region, "get_public_access_block",
        missing=("NoSuchPublicAccessBlockConfiguration",), AccountId=api.account_id,
    )  # fmt: skip
    return None if answer is None else answer.get("PublicAccessBlockConfiguration", {})


def lifecycle_rules(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """A lifecycle configuration's rules: status, expiration days, transitions."""
    return [
        {
            "status": r.get("Status", ""),
            "expiration_days": (r.get("Expiration") or {}).get("Days"),
            "transitions": [
                {"days": t.get("Days"), "storage_class": t.get("StorageClass", "")}
                for t in r.get("Transitions") or []
            ],
        }
        for r in answer.get("Rules") or []
    ]


@collector(
    "s3.bucket_lifecycle",
    service="s3",
    scope="global",
    api_calls=("s3:GetLifecycleConfiguration",),
    reads=("s3.buckets",),
)
def bucket_lifecycle(api: Api, region: str) -> dict[str, Any]:
    """Bucket name -> its lifecycle rules, None when it has no lifecycle configuration."""
    return _per_bucket(
        api, "get_bucket_lifecycle_configuration", ("NoSuchLifecycleConfiguration",),
        lifecycle_rules,
    )  # fmt: skip


@collector(
    "s3.access_points",
    service="s3control",
    api_calls=("s3:ListAccessPoints", "s3:GetAccessPoint"),
)
def access_points(api: Api, region: str) -> list[dict[str, Any]]:
    """The region's access points of general purpose buckets, each with its own Block
    Public Access settings (``Unreadable`` where that access point refused)."""
    # s3control's listings have a NextToken but no botocore paginator.
    every = token_pages(
        api, "s3control", None, "list_access_points", "AccessPointList", AccountId=api.account_id
    )
    # The listing is the region's own; one naming another region is not this region's
    # to judge (it would be reported twice).
    listed = [p for p in every if _arn_region(p.get("AccessPointArn")) in ("", region)]

    def one(point: dict[str, Any]) -> dict[str, Any]:
        detail = api.detail(
            "s3control", None, "get_access_point", AccountId=api.account_id, Name=point["Name"]
        )
        block = detail if isinstance(detail, Unreadable) else (
            detail.get("PublicAccessBlockConfiguration") or {}
        )  # fmt: skip
        return {
            "name": point["Name"],
            "arn": point.get("AccessPointArn")
            or f"arn:{api.partition}:s3:{region}:{api.account_id}:accesspoint/{point['Name']}",
            "bucket": point.get("Bucket", ""),
            "block": block,
        }

    return api.each(one, listed)


def _arn_region(arn: object) -> str:
    """The region field of an ARN ("" when there is none to read)."""
    parts = arn.split(":") if isinstance(arn, str) else []
    return parts[3] if len(parts) > 5 else ""


# Multi-Region Access Points are managed through this region's control plane only.
_MRAP_REGION = "us-west-2"


@collector(
    "s3.multi_region_access_points",
    service="s3control",
    scope="global",
    api_calls=("s3:ListMultiRegionAccessPoints",),
)
def multi_region_access_points(api: Api, region: str) -> list[dict[str, Any]]:
    """Multi-Region Access Points with their Block Public Access settings."""
    listed = token_pages(
        api, "s3control", _MRAP_REGION, "list_multi_region_access_points", "AccessPoints",
        AccountId=api.account_id,
    )  # fmt: skip
    return [
        {
            "name": p.get("Name", ""),
            "arn": f"arn:{api.partition}:s3::{api.account_id}:accesspoint/{p.get('Alias', '')}",
            "block": p.get("PublicAccessBlock") or {},
        }
        for p in listed
    ]


@collector(
    "s3.directory_buckets",
    service="s3express",  # the s3 client, but S3 Express One Zone's endpoint and actions
    api_calls=("s3express:ListAllMyDirectoryBuckets", "s3express:GetLifecycleConfiguration"),
)
def directory_buckets(api: Api, region: str) -> list[dict[str, Any]]:
    """The region's directory buckets (S3 Express One Zone) with their lifecycle rules
    (None without a lifecycle configuration, ``Unreadable`` where refused)."""
    # Directory bucket names always end in "--x-s3"; an endpoint that answers with
    # general purpose buckets (some emulators do) must not have them judged as such.
    listed = [
        b
        for b in api.pages("s3", None, "list_directory_buckets", "Buckets")
        if str(b.get("Name", "")).endswith("--x-s3")
    ]

    def one(bucket: dict[str, Any]) -> dict[str, Any]:
        name = bucket["Name"]
        answer = api.detail(
            "s3", None, "get_bucket_lifecycle_configuration",
            missing=("NoSuchLifecycleConfiguration",), Bucket=name,
        )  # fmt: skip
        rules = answer if answer is None or isinstance(answer, Unreadable) else (
            lifecycle_rules(answer)
        )  # fmt: skip
        return {
            "name": name,
            "arn": f"arn:{api.partition}:s3express:{region}:{api.account_id}:bucket/{name}",
            "rules": rules,
        }

    return api.each(one, listed)
