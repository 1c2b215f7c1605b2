"""S3 controls: default encryption as a scope's choice, public read and write once Block
Public Access has had its say, other accounts in bucket policies, ACLs, lifecycle rules
of general purpose and directory buckets, and access points' Block Public Access."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
from moto import mock_aws

from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, by_resource, collect, run, stubbed

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
BPA_ON = dict.fromkeys(
    ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
)
EVERYONE = "http://acs.amazonaws.com/groups/global/AllUsers"


def buckets(*names: str) -> list[dict]:
    return [{"name": n, "arn": f"arn:aws:s3:::{n}", "region": REGION} for n in names]


def statuses_by_bucket(findings) -> dict[str, Status]:
    return {r.rsplit(":", 1)[-1]: s for r, s in by_resource(findings).items()}


def test_default_encryption_requires_kms_only_where_the_scope_asks():
    rules = {
        "kms": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}],
        "dsse": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}],
        "s3": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}],
        "none": None,  # possible on S3-compatible endpoints, no longer on AWS
    }
    data = {"s3.buckets": buckets(*rules), "s3.bucket_encryption": rules}
    assert statuses_by_bucket(run("s3.bucket_default_encryption", data)) == {
        "kms": P, "dsse": P, "s3": P, "none": F,
    }  # fmt: skip
    strict = run("s3.bucket_default_encryption", data, parameters={"require_kms": True})
    assert statuses_by_bucket(strict) == {"kms": P, "dsse": P, "s3": F, "none": F}


def _public_policy(name: str, action: str) -> dict:
    return {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": action,
                           "Resource": f"arn:aws:s3:::{name}/*"}]}  # fmt: skip


def _grants(*permissions: str) -> list[dict]:
    return [{"Grantee": {"Type": "Group", "URI": EVERYONE}, "Permission": p} for p in permissions]


def test_public_read_and_write_count_what_block_public_access_leaves_open():
    policies = {
        "reads": _public_policy("reads", "s3:GetObject"),
        "uploads": _public_policy("uploads", "s3:PutObject"),
        "restricted": _public_policy("restricted", "s3:*"),
        "acl": None,
        "ignored-acl": None,
        "private": None,
    }
    acls = {name: [] for name in policies}
    acls["acl"] = _grants("READ", "WRITE")
    acls["ignored-acl"] = _grants("FULL_CONTROL")
    blocks = {name: None for name in policies}
    blocks["restricted"] = {"RestrictPublicBuckets": True}
    blocks["ignored-acl"] = {"IgnorePublicAcls": True}
    data = {
        "s3.buckets": buckets(*policies),
        "s3.bucket_policies": policies,
        "s3.bucket_acls": acls,
        "s3.bucket_public_access_blocks": blocks,
        "s3.account_public_access_block": None,
    }
    read = statuses_by_bucket(run("s3.bucket_public_read", data))
    write = statuses_by_bucket(run("s3.bucket_public_write", data))
    assert read == {"reads": F, "uploads": P, "restricted": P, "acl": F, "ignored-acl": P,
                    "private": P}  # fmt: skip
    assert write == {"reads": P, "uploads": F, "restricted": P, "acl": F, "ignored-acl": P,
                     "private": P}  # fmt: skip
    # The account's Block Public Access settings neutralise the lot.
    account = {**data, "s3.account_public_access_block": BPA_ON}
    assert set(statuses_by_bucket(run("s3.bucket_public_read", account)).values()) == {P}
    # A bucket whose policy could not be read, and nothing else public: could not tell.
    unreadable = {**data, "s3.bucket_policies": {**policies, "private": Unreadable("denied")}}
    assert statuses_by_bucket(run("s3.bucket_public_read", unreadable))["private"] is E


def test_other_accounts_may_not_change_policies_acls_or_encryption():
    def allow(principal, action):
        return {"Statement": [{"Effect": "Allow", "Principal": principal, "Action": action,
                               "Resource": "*"}]}  # fmt: skip

    partner = {"AWS": "arn:aws:iam::111122223333:root"}
    policies = {
        "partner-acl": allow(partner, "s3:PutObjectAcl"),
        "partner-read": allow(partner, ["s3:GetObject", "s3:ListBucket"]),
        "anyone-put": allow("*", "s3:Put*"),
        "own-account": allow({"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"}, "s3:*"),
        "partner-id": allow({"AWS": "111122223333"}, "s3:PutBucketPolicy"),
        "none": None,
    }
    data = {"s3.buckets": buckets(*policies), "s3.bucket_policies": policies}
    found = run("s3.bucket_cross_account_actions", data)
    assert statuses_by_bucket(found) == {
        "partner-acl": F, "partner-read": P, "anyone-put": F, "own-account": P, "partner-id": F,
        "none": P,
    }  # fmt: skip
    narrowed = run("s3.bucket_cross_account_actions", data,
                   parameters={"blocked_actions": ["s3:DeleteBucketPolicy"]})  # fmt: skip
    assert statuses_by_bucket(narrowed)["partner-acl"] is P


def test_acls_that_grant_beyond_the_owner_fail():
    owner = {"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL",
             "Owner": True}  # fmt: skip
    log = {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"},
           "Permission": "WRITE", "Owner": False}  # fmt: skip
    acls = {"owner-only": [owner], "log-target": [owner, log]}
    found = run("s3.bucket_acl_user_access", {"s3.buckets": buckets(*acls), "s3.bucket_acls": acls})
    assert statuses_by_bucket(found) == {"owner-only": P, "log-target": F}
    assert "LogDelivery" in next(f for f in found if f.status is F).detail


RULE = {"status": "Enabled", "expiration_days": 365,
        "transitions": [{"days": 30, "storage_class": "STANDARD_IA"}]}  # fmt: skip


def test_lifecycle_rules_and_the_scope_targets():
    rules = {"kept": [RULE], "disabled": [{**RULE, "status": "Disabled"}], "none": None}
    data = {"s3.buckets": buckets(*rules), "s3.bucket_lifecycle": rules}
    assert statuses_by_bucket(run("s3.bucket_lifecycle", data)) == {
        "kept": P, "disabled": F, "none": F,
    }  # fmt: skip
    wanted = {"target_transition_days": 30, "target_transition_storage_class": "STANDARD_IA"}
    assert statuses_by_bucket(run("s3.bucket_lifecycle", data, parameters=wanted))["kept"] is P
    other = run("s3.bucket_lifecycle", data, parameters={"target_expiration_days": 90})
    assert statuses_by_bucket(other)["kept"] is F


def test_lifecycle_collector_and_acl_owner_mark_against_the_emulator():
    with mock_aws():
        s3 = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        ).client("s3")
        for name in ("with-rules", "without"):
            s3.create_bucket(Bucket=name)
        s3.put_bucket_lifecycle_configuration(
            Bucket="with-rules",
            LifecycleConfiguration={"Rules": [{
                "ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                "Expiration": {"Days": 7},
                "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}],
            }]},
        )  # fmt: skip
        s3.put_bucket_acl(Bucket="without", ACL="log-delivery-write")
        lifecycle = collect("s3.bucket_lifecycle", "global")
        acls = collect("s3.bucket_acls", "global")
    assert lifecycle["without"] is None
    (rule,) = lifecycle["with-rules"]
    assert rule == {"status": "Enabled", "expiration_days": 7,
                    "transitions": [{"days": 1, "storage_class": "GLACIER"}]}  # fmt: skip
    assert [g["Owner"] for g in acls["with-rules"]] == [True]
    # The owner keeps FULL_CONTROL; the log delivery group gets a grant of its own.
    assert sorted(g["Owner"] for g in acls["without"]) == [False, True]


# --- access points and directory buckets --------------------------------------------


def test_access_points_and_multi_region_access_points_against_the_emulator():
    off = dict.fromkeys(BPA_ON, False)
    with mock_aws():
        session = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        session.client("s3").create_bucket(Bucket="shared-data")
        control = session.client("s3control")
        for name, block in (("internal", BPA_ON), ("partners", off)):
            control.create_access_point(AccountId=ACCOUNT, Name=name, Bucket="shared-data",
                                        PublicAccessBlockConfiguration=block)  # fmt: skip
            control.create_multi_region_access_point(
                AccountId=ACCOUNT, ClientToken=name,
                Details={"Name": f"global-{name}", "PublicAccessBlock": block,
                         "Regions": [{"Bucket": "shared-data"}]},
            )  # fmt: skip
        points = collect("s3.access_points")
        global_points = collect("s3.multi_region_access_points", "global")
    found = run("s3.access_point_block_public_access", {"s3.access_points": points})
    assert {f.resource.rsplit("/", 1)[-1]: f.status for f in found} == {
        "internal": P,
        "partners": F,
    }
    assert found[0].resource.startswith(f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/")
    found = run("s3.multi_region_access_point_block_public_access",
                {"s3.multi_region_access_points": global_points})  # fmt: skip
    assert sorted(f.status for f in found) == [F, P]
    assert all(f.resource.startswith(f"arn:aws:s3::{ACCOUNT}:accesspoint/") for f in found)
    none = run("s3.access_point_block_public_access", {"s3.access_points": []})
    assert [f.status for f in none] == [NA]
    denied = [{"name": "x", "arn": "arn:aws:s3:us-east-1:1:accesspoint/x",
               "block": Unreadable("access denied to s3:GetAccessPoint")}]  # fmt: skip
    assert [f.status for f in run("s3.access_point_block_public_access",
                                  {"s3.access_points": denied})] == [E]  # fmt: skip


def test_directory_buckets_with_the_stubber():
    session, stub = stubbed("s3")
    when = datetime(2026, 5, 1, tzinfo=UTC)
    # One directory bucket, and a general purpose bucket that an endpoint listed too.
    names = ["logs--use1-az4--x-s3", "general-purpose"]
    stub.add_response(
        "list_directory_buckets",
        {"Buckets": [{"Name": n, "CreationDate": when, "BucketRegion": REGION} for n in names]},
        {},
    )
    stub.add_response(
        "get_bucket_lifecycle_configuration",
        {"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 3}}]},
        {"Bucket": names[0]},
    )  # fmt: skip
    with stub:
        found = collect("s3.directory_buckets", session=session)
    stub.assert_no_pending_responses()
    assert [b["name"] for b in found] == names[:1]
    without = {"name": "tmp--use1-az4--x-s3", "arn": "arn:aws:s3express:x", "rules": None}
    findings = run("s3.directory_bucket_lifecycle", {"s3.directory_buckets": [*found, without]})
    assert [f.status for f in findings] == [P, F]
    assert findings[0].resource == f"arn:aws:s3express:{REGION}:{ACCOUNT}:bucket/{names[0]}"
    longer = run("s3.directory_bucket_lifecycle", {"s3.directory_buckets": found},
                 parameters={"target_expiration_days": 30})  # fmt: skip
    assert longer[0].status is F


def test_intended_public_buckets_the_scope_lists_are_left_out_of_the_block_check():
    blocks = {"site": None, "data": BPA_ON}
    data = {"s3.buckets": buckets(*blocks), "s3.bucket_public_access_blocks": blocks}
    assert statuses_by_bucket(run("s3.bucket_public_access_block", data)) == {"site": F, "data": P}
    listed = run("s3.bucket_public_access_block", data,
                 parameters={"excluded_public_buckets": ["site"]})  # fmt: skip
    assert statuses_by_bucket(listed) == {"site": NA, "data": P}


def test_access_point_calls_share_the_fate_of_their_endpoint():
    # s3control puts the account id in front of the host: once the endpoint stops
    # answering, those calls must fail at once like every other, not wait again.
    from srm_tui.aws.session import host_of

    endpoint = "http://127.0.0.1:4566/"
    assert host_of(f"http://{ACCOUNT}.127.0.0.1:4566/v20180820/accesspoint") == host_of(endpoint)
    assert host_of("https://s3.us-east-1.amazonaws.com/x") == "s3.us-east-1.amazonaws.com"
