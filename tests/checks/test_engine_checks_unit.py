"""Each check of IAM, account, S3, EC2/VPC, CloudTrail, Config and CloudWatch over
hand-made collected data: a passing and a failing resource each, no AWS at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from srm_tui import checklist
from srm_tui.catalog.frameworks import is_known
from srm_tui.checks.cloudwatch import MONITORS, pattern_matches
from srm_tui.collected import Unreadable
from srm_tui.demo.seeds.cloudtrail import CIS_FILTERS
from srm_tui.model import Status
from tests.checks.engine_helpers import by_resource, run, statuses

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
NOW = datetime.now(UTC)
ENGINE_SERVICES = ("iam", "account", "s3", "ec2", "cloudtrail", "config", "cloudwatch")


def days_ago(n: int) -> str:
    return (NOW - timedelta(days=n)).isoformat()


def user_row(name: str, **values: str) -> dict[str, str]:
    row = {
        "user": name,
        "arn": f"arn:aws:iam::123456789012:user/{name}",
        "password_enabled": "false",
        "password_last_used": "N/A",
        "password_last_changed": "N/A",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_1_last_rotated": "N/A",
        "access_key_1_last_used_date": "N/A",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "N/A",
        "access_key_2_last_used_date": "N/A",
    }
    row.update(values)
    return row


def arn(name: str) -> str:
    return f"arn:aws:iam::123456789012:user/{name}"


# --- metadata ----------------------------------------------------------------------


def test_at_least_thirty_five_engine_checks_with_complete_metadata() -> None:
    metas = [m for m in checklist.load().metas() if m.service in ENGINE_SERVICES]
    assert len(metas) >= 35
    for meta in metas:
        assert meta.title and meta.severity and meta.responsibility
        assert "https://docs.aws.amazon.com/" in meta.remediation, meta.id
        assert meta.api_calls, meta.id
        assert meta.frameworks, meta.id


def test_every_framework_id_of_every_check_exists() -> None:
    unknown = [
        (m.id, key, ident)
        for m in checklist.load().metas()
        for key, ids in m.frameworks.items()
        for ident in ids
        if not is_known(key, ident)
    ]
    assert unknown == []


def test_planned_ids_are_implemented() -> None:
    planned = [
        "iam.root_access_keys",
        "iam.root_mfa",
        "iam.root_hardware_mfa",
        "iam.root_recent_use",
        "iam.password_min_length",
        "iam.password_reuse",
        "iam.user_mfa",
        "iam.unused_credentials",
        "iam.access_key_rotation",
        "iam.user_direct_policies",
        "iam.admin_policies",
        "iam.support_role",
        "iam.instance_roles",
        "iam.expired_certificates",
        "iam.cloudshell_full_access",
        "account.security_contact",
        "account.contact_details",
        "s3.account_public_access_block",
        "s3.bucket_public_access_block",
        "s3.bucket_tls_only",
        "s3.bucket_public_policy",
        "s3.bucket_mfa_delete",
        "s3.bucket_versioning",
        "s3.bucket_default_encryption",
        "s3.bucket_access_logging",
        "s3.object_write_logging",
        "s3.object_read_logging",
        "ec2.ebs_default_encryption",
        "ec2.ebs_volume_encryption",
        "ec2.public_snapshots",
        "ec2.public_amis",
        "ec2.sg_admin_ports_ipv4",
        "ec2.sg_admin_ports_ipv6",
        "ec2.sg_cifs",
        "ec2.default_sg_restricts",
        "ec2.nacl_admin_ports",
        "ec2.imdsv2",
        "ec2.instance_public_ip",
        "ec2.vpc_flow_logs",
        "ec2.vpc_peering_routes",
        "ec2.vpc_endpoints",
        "cloudtrail.multi_region",
        "cloudtrail.log_validation",
        "cloudtrail.kms_encryption",
        "cloudtrail.bucket_access_logging",
        "cloudtrail.cloudwatch_logs",
        "config.enabled",
    ]
    planned += [f"cloudwatch.alarm_{m.id}" for m in MONITORS]
    assert len(MONITORS) == 15
    assert sorted(set(planned) - set(checklist.load().ids())) == []


# --- IAM ---------------------------------------------------------------------------

ROOT = "arn:aws:iam::123456789012:root"


@pytest.mark.parametrize(
    ("check_id", "summary", "expected"),
    [
        ("iam.root_access_keys", {"AccountAccessKeysPresent": 0}, P),
        ("iam.root_access_keys", {"AccountAccessKeysPresent": 1}, F),
        ("iam.root_mfa", {"AccountMFAEnabled": 1}, P),
        ("iam.root_mfa", {"AccountMFAEnabled": 0}, F),
    ],
)
def test_root_summary_checks(check_id: str, summary: dict[str, int], expected: Status) -> None:
    found = run(check_id, {"iam.account_summary": summary, **STANDALONE})
    assert statuses(found) == [expected]
    assert found[0].resource == ROOT


# A standalone account (no organization): root MFA always applies.
STANDALONE = {
    "iam.credential_report": [],
    "iam.root_access": {"member": False, "management_account": "", "features": None},
}


def test_root_hardware_mfa() -> None:
    virtual = [{"SerialNumber": "arn:aws:iam::123456789012:mfa/root-account-mfa-device",
                "User": {"Arn": ROOT}}]  # fmt: skip
    on = {"AccountMFAEnabled": 1}
    assert statuses(
        run(
            "iam.root_hardware_mfa",
            {"iam.account_summary": on, "iam.virtual_mfa_devices": [], **STANDALONE},
        )
    ) == [P]
    assert statuses(
        run(
            "iam.root_hardware_mfa",
            {"iam.account_summary": on, "iam.virtual_mfa_devices": virtual, **STANDALONE},
        )
    ) == [F]
    off = {"AccountMFAEnabled": 0}
    assert statuses(
        run(
            "iam.root_hardware_mfa",
            {"iam.account_summary": off, "iam.virtual_mfa_devices": [], **STANDALONE},
        )
    ) == [F]


def test_root_recent_use() -> None:
    old = user_row("<root_account>", password_last_used=days_ago(200))
    recent = user_row("<root_account>", password_last_used=days_ago(3))
    assert statuses(run("iam.root_recent_use", {"iam.credential_report": [old]})) == [P]
    found = run("iam.root_recent_use", {"iam.credential_report": [recent]})
    assert statuses(found) == [F] and "3 days" in found[0].detail
    # The emulator's report has no root row: that is "could not tell", not a pass.
    assert statuses(run("iam.root_recent_use", {"iam.credential_report": []})) == [E]


@pytest.mark.parametrize(
    ("check_id", "policy", "expected"),
    [
        ("iam.password_min_length", {"MinimumPasswordLength": 14}, P),
        ("iam.password_min_length", {"MinimumPasswordLength": 8}, F),
        ("iam.password_min_length", None, F),
        ("iam.password_reuse", {"PasswordReusePrevention": 24}, P),
        ("iam.password_reuse", {"PasswordReusePrevention": 5}, F),
        ("iam.password_reuse", None, F),
    ],
)
def test_password_policy(check_id: str, policy: dict[str, int] | None, expected: Status) -> None:
    assert statuses(run(check_id, {"iam.password_policy": policy})) == [expected]


def test_user_mfa() -> None:
    report = [
        user_row("alice", password_enabled="true", mfa_active="true"),
        user_row("bob", password_enabled="true", mfa_active="false"),
        user_row("robot", access_key_1_active="true"),
    ]
    result = by_resource(run("iam.user_mfa", {"iam.credential_report": report}))
    assert result == {arn("alice"): P, arn("bob"): F}
    assert statuses(run("iam.user_mfa", {"iam.credential_report": [user_row("robot")]})) == [NA]


def test_unused_credentials() -> None:
    report = [
        user_row("fresh", password_enabled="true", password_last_used=days_ago(2)),
        user_row("stale", password_enabled="true", password_last_used=days_ago(60)),
        user_row("never", access_key_1_active="true", access_key_1_last_rotated=days_ago(50)),
        user_row("new-key", access_key_1_active="true", access_key_1_last_rotated=days_ago(3)),
        user_row("nothing"),
    ]
    result = by_resource(run("iam.unused_credentials", {"iam.credential_report": report}))
    assert result == {arn("fresh"): P, arn("stale"): F, arn("never"): F, arn("new-key"): P}


def test_access_key_rotation() -> None:
    report = [
        user_row("new", access_key_1_active="true", access_key_1_last_rotated=days_ago(10)),
        user_row("old", access_key_2_active="true", access_key_2_last_rotated=days_ago(200)),
        user_row("inactive", access_key_1_last_rotated=days_ago(400)),
    ]
    result = by_resource(run("iam.access_key_rotation", {"iam.credential_report": report}))
    assert result == {arn("new"): P, arn("old"): F}


def details(**parts: list[dict]) -> dict[str, list[dict]]:
    base: dict[str, list[dict]] = {"users": [], "groups": [], "roles": [], "policies": []}
    base.update(parts)
    return base


def test_user_direct_policies() -> None:
    users = [
        {"Arn": arn("grouped"), "AttachedManagedPolicies": [], "UserPolicyList": []},
        {"Arn": arn("direct"), "AttachedManagedPolicies": [{"PolicyName": "s3-read"}]},
        {"Arn": arn("inline"), "UserPolicyList": [{"PolicyName": "deploy"}]},
    ]
    result = by_resource(
        run("iam.user_direct_policies", {"iam.authorization_details": details(users=users)})
    )
    assert result == {arn("grouped"): P, arn("direct"): F, arn("inline"): F}


def test_admin_policies() -> None:
    def policy(name: str, statement: dict) -> dict:
        return {
            "Arn": f"arn:aws:iam::123456789012:policy/{name}",
            "AttachmentCount": 1,
            "PolicyVersionList": [
                {
                    "IsDefaultVersion": False,
                    "Document": {
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
                    },
                },
                {"IsDefaultVersion": True, "Document": json.dumps({"Statement": [statement]})},
            ],
        }

    policies = [
        policy("admin", {"Effect": "Allow", "Action": ["*"], "Resource": "*"}),
        policy("narrow", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
    ]
    result = by_resource(
        run("iam.admin_policies", {"iam.authorization_details": details(policies=policies)})
    )
    assert result == {
        "arn:aws:iam::123456789012:policy/admin": F,
        "arn:aws:iam::123456789012:policy/narrow": P,
    }


def test_support_role_and_cloudshell() -> None:
    role = {
        "Arn": "arn:aws:iam::123456789012:role/help",
        "AttachedManagedPolicies": [
            {"PolicyName": "AWSSupportAccess", "PolicyArn": "arn:aws:iam::aws:policy/AWSSupportAccess"},
            {"PolicyName": "AWSCloudShellFullAccess",
             "PolicyArn": "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"},
        ],
    }  # fmt: skip
    with_role = {"iam.authorization_details": details(roles=[role])}
    without = {
        "iam.authorization_details": details(roles=[{"Arn": "r", "AttachedManagedPolicies": []}])
    }
    assert statuses(run("iam.support_role", with_role)) == [P]
    assert statuses(run("iam.support_role", without)) == [F]
    assert by_resource(run("iam.cloudshell_full_access", with_role)) == {role["Arn"]: F}
    assert statuses(run("iam.cloudshell_full_access", without)) == [P]


def test_instance_roles() -> None:
    instances = [
        {"InstanceId": "i-1", "IamInstanceProfile": {"Arn": "arn:aws:iam::1:instance-profile/app"}},
        {"InstanceId": "i-2"},
    ]
    found = run("iam.instance_roles", {"ec2.instances": instances}, region="eu-west-1")
    assert by_resource(found) == {
        "arn:aws:ec2:eu-west-1:123456789012:instance/i-1": P,
        "arn:aws:ec2:eu-west-1:123456789012:instance/i-2": F,
    }


def test_expired_certificates() -> None:
    certs = [
        {"Arn": "arn:aws:iam::1:server-certificate/old", "Expiration": NOW - timedelta(days=1)},
        {"Arn": "arn:aws:iam::1:server-certificate/new", "Expiration": NOW + timedelta(days=90)},
    ]
    result = by_resource(run("iam.expired_certificates", {"iam.server_certificates": certs}))
    assert result == {certs[0]["Arn"]: F, certs[1]["Arn"]: P}
    assert statuses(run("iam.expired_certificates", {"iam.server_certificates": []})) == [NA]


# --- account -----------------------------------------------------------------------


def test_contacts() -> None:
    full = {k: {"EmailAddress": f"{k}@example.com"} for k in ("SECURITY", "BILLING", "OPERATIONS")}
    none = dict.fromkeys(("SECURITY", "BILLING", "OPERATIONS"))
    assert statuses(run("account.security_contact", {"account.alternate_contacts": full})) == [P]
    assert statuses(run("account.security_contact", {"account.alternate_contacts": none})) == [F]
    assert statuses(run("account.contact_details", {"account.alternate_contacts": full})) == [P]
    partial = {**full, "OPERATIONS": None}
    found = run("account.contact_details", {"account.alternate_contacts": partial})
    assert statuses(found) == [F] and "operations" in found[0].detail


# --- S3 ----------------------------------------------------------------------------

GOOD, BAD, HIDDEN = "good-bucket", "bad-bucket", "hidden-bucket"


def buckets(*names: str) -> list[dict[str, str]]:
    return [{"name": n, "arn": f"arn:aws:s3:::{n}", "region": "eu-west-1"} for n in names]


def s3_run(check_id: str, **collected: dict) -> dict[str, Status]:
    data = {"s3.buckets": buckets(*next(iter(collected.values())).keys())}
    data.update({f"s3.{k}": v for k, v in collected.items()})
    return {r.split(":::")[1]: s for r, s in by_resource(run(check_id, data)).items()}


BPA = dict.fromkeys(
    ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
)


def test_account_public_access_block() -> None:
    assert statuses(
        run("s3.account_public_access_block", {"s3.account_public_access_block": BPA})
    ) == [P]
    half = {**BPA, "RestrictPublicBuckets": False}
    assert statuses(
        run("s3.account_public_access_block", {"s3.account_public_access_block": half})
    ) == [F]
    assert statuses(
        run("s3.account_public_access_block", {"s3.account_public_access_block": None})
    ) == [F]


def test_bucket_public_access_block_and_item_errors() -> None:
    result = s3_run(
        "s3.bucket_public_access_block",
        bucket_public_access_blocks={
            GOOD: BPA,
            BAD: None,
            HIDDEN: Unreadable("access denied to s3:GetBucketPublicAccessBlock"),
        },
    )
    assert result == {GOOD: P, BAD: F, HIDDEN: E}


def tls_policy(effect: str = "Deny", secure: str = "false") -> dict:
    return {"Statement": [{"Effect": effect, "Principal": "*", "Action": "s3:*",
                           "Condition": {"Bool": {"aws:SecureTransport": secure}}}]}  # fmt: skip


def test_bucket_tls_only() -> None:
    result = s3_run(
        "s3.bucket_tls_only",
        bucket_policies={GOOD: tls_policy(), BAD: tls_policy(secure="true"), "no-policy": None},
    )
    assert result == {GOOD: P, BAD: F, "no-policy": F}


def test_bucket_public_policy() -> None:
    public = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}
    narrowed = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
                               "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}  # fmt: skip
    acl_public = [
        {
            "Grantee": {"URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ",
        }
    ]
    policies = {GOOD: narrowed, BAD: public, "acl": None, HIDDEN: Unreadable("denied")}
    acls = {GOOD: [], BAD: [], "acl": acl_public, HIDDEN: []}
    data = {
        "s3.buckets": buckets(*policies),
        "s3.bucket_policies": policies,
        "s3.bucket_acls": acls,
    }
    result = {
        r.split(":::")[1]: s for r, s in by_resource(run("s3.bucket_public_policy", data)).items()
    }
    assert result == {GOOD: P, BAD: F, "acl": F, HIDDEN: E}


def test_bucket_versioning_and_mfa_delete() -> None:
    versions = {
        GOOD: {"Status": "Enabled", "MFADelete": "Enabled"},
        BAD: {"Status": "Suspended"},
        "new": {},
    }
    assert s3_run("s3.bucket_versioning", bucket_versioning=versions) == {GOOD: P, BAD: F, "new": F}
    assert s3_run("s3.bucket_mfa_delete", bucket_versioning=versions) == {GOOD: P, BAD: F, "new": F}


def test_bucket_default_encryption_and_logging() -> None:
    rules = [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    assert s3_run("s3.bucket_default_encryption", bucket_encryption={GOOD: rules, BAD: None}) == {
        GOOD: P,
        BAD: F,
    }
    logging = {GOOD: {"TargetBucket": "logs"}, BAD: {}}
    assert s3_run("s3.bucket_access_logging", bucket_logging=logging) == {GOOD: P, BAD: F}


def trail(**values: object) -> dict:
    base = {
        "Name": "t",
        "TrailARN": "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
        "HomeRegion": "us-east-1",
        "IsMultiRegionTrail": True,
        "status": {"IsLogging": True},
        "selectors": {"EventSelectors": [], "AdvancedEventSelectors": []},
    }
    base.update(values)
    return base


def test_object_level_logging() -> None:
    selectors = {"EventSelectors": [
        {"ReadWriteType": "WriteOnly", "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]},
        {"ReadWriteType": "All", "DataResources": [{"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::{GOOD}/"]}]},
    ]}  # fmt: skip
    data = {
        "s3.buckets": buckets(GOOD, BAD),
        ("cloudtrail.trails", "us-east-1"): [trail(selectors=selectors)],
    }
    writes = by_resource(run("s3.object_write_logging", data))
    reads = by_resource(run("s3.object_read_logging", data))
    assert writes == {f"arn:aws:s3:::{GOOD}": P, f"arn:aws:s3:::{BAD}": P}
    assert reads == {f"arn:aws:s3:::{GOOD}": P, f"arn:aws:s3:::{BAD}": F}
    stopped = {
        **data,
        ("cloudtrail.trails", "us-east-1"): [
            trail(selectors=selectors, status={"IsLogging": False})
        ],
    }
    assert set(by_resource(run("s3.object_write_logging", stopped)).values()) == {F}


def test_object_logging_with_advanced_selectors() -> None:
    advanced = {"AdvancedEventSelectors": [{"FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        {"Field": "readOnly", "Equals": ["false"]},
    ]}]}  # fmt: skip
    data = {
        "s3.buckets": buckets(GOOD),
        ("cloudtrail.trails", "us-east-1"): [trail(selectors=advanced)],
    }
    assert statuses(run("s3.object_write_logging", data)) == [P]
    assert statuses(run("s3.object_read_logging", data)) == [F]


# --- EC2 / VPC ---------------------------------------------------------------------


def group(
    gid: str, name: str = "g", ingress: list | None = None, egress: list | None = None
) -> dict:
    return {"GroupId": gid, "GroupName": name, "VpcId": "vpc-1",
            "IpPermissions": ingress or [], "IpPermissionsEgress": egress or []}  # fmt: skip


def rule(
    port_from: int | None, port_to: int | None, cidr: str = "", v6: str = "", proto: str = "tcp"
) -> dict:
    r: dict = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": []}
    if port_from is not None:
        r.update(FromPort=port_from, ToPort=port_to)
    if cidr:
        r["IpRanges"] = [{"CidrIp": cidr}]
    if v6:
        r["Ipv6Ranges"] = [{"CidrIpv6": v6}]
    return r


def ec2_run(check_id: str, data: dict) -> dict[str, Status]:
    return {
        r.rsplit("/", 1)[-1]: s
        for r, s in by_resource(run(check_id, data, region="us-east-1")).items()
    }


def test_security_group_checks() -> None:
    groups = [
        group("sg-web", ingress=[rule(443, 443, "0.0.0.0/0", "::/0")]),
        group("sg-ssh4", ingress=[rule(20, 25, "0.0.0.0/0")]),
        group("sg-rdp6", ingress=[rule(3389, 3389, v6="::/0")]),
        group("sg-all", ingress=[rule(None, None, "0.0.0.0/0", proto="-1")]),
        group("sg-inside", ingress=[rule(22, 22, "10.0.0.0/8"), rule(445, 445, "10.0.0.0/8")]),
        group("sg-cifs", ingress=[rule(445, 445, "0.0.0.0/0")]),
    ]
    data = {"ec2.security_groups": groups}
    assert ec2_run("ec2.sg_admin_ports_ipv4", data) == {
        "sg-web": P, "sg-ssh4": F, "sg-rdp6": P, "sg-all": F, "sg-inside": P, "sg-cifs": P,
    }  # fmt: skip
    assert ec2_run("ec2.sg_admin_ports_ipv6", data) == {
        "sg-web": P, "sg-ssh4": P, "sg-rdp6": F, "sg-all": P, "sg-inside": P, "sg-cifs": P,
    }  # fmt: skip
    assert ec2_run("ec2.sg_cifs", data) == {
        "sg-web": P, "sg-ssh4": P, "sg-rdp6": P, "sg-all": F, "sg-inside": P, "sg-cifs": F,
    }  # fmt: skip


def test_default_security_group() -> None:
    groups = [
        group("sg-a", "default"),
        group("sg-b", "default", ingress=[rule(None, None, proto="-1")]),
        group("sg-c", "other", ingress=[rule(22, 22, "0.0.0.0/0")]),
    ]
    assert ec2_run("ec2.default_sg_restricts", {"ec2.security_groups": groups}) == {
        "sg-a": P,
        "sg-b": F,
    }


def entry(
    number: int, action: str, port: int | None = None, proto: str = "6", cidr: str = "0.0.0.0/0"
) -> dict:
    e = {
        "RuleNumber": number,
        "RuleAction": action,
        "Protocol": proto,
        "Egress": False,
        "CidrBlock": cidr,
    }
    if port is not None:
        e["PortRange"] = {"From": port, "To": port}
    return e


def test_nacl_admin_ports() -> None:
    acls = [
        {"NetworkAclId": "acl-default", "Entries": [entry(100, "allow", proto="-1"), entry(32767, "deny", proto="-1")]},
        {"NetworkAclId": "acl-tidy", "Entries": [entry(10, "deny", 22), entry(20, "deny", 3389),
                                                 entry(100, "allow", proto="-1")]},
        {"NetworkAclId": "acl-office", "Entries": [entry(10, "allow", 22, cidr="203.0.113.0/24")]},
    ]  # fmt: skip
    assert ec2_run("ec2.nacl_admin_ports", {"ec2.network_acls": acls}) == {
        "acl-default": F, "acl-tidy": P, "acl-office": P,
    }  # fmt: skip


def test_ebs_checks() -> None:
    assert statuses(
        run("ec2.ebs_default_encryption", {"ec2.ebs_default_encryption": True}, "us-east-1")
    ) == [P]
    assert statuses(
        run("ec2.ebs_default_encryption", {"ec2.ebs_default_encryption": False}, "us-east-1")
    ) == [F]
    attached = [{"InstanceId": "i-1", "State": "attached"}]
    volumes = [
        {"VolumeId": "vol-1", "Encrypted": True, "State": "in-use", "Attachments": attached},
        {"VolumeId": "vol-2", "Encrypted": False, "State": "in-use", "Attachments": attached},
        # EC2.3 judges attached volumes only.
        {"VolumeId": "vol-3", "Encrypted": False, "State": "available", "Attachments": []},
    ]
    assert ec2_run("ec2.ebs_volume_encryption", {"ec2.volumes": volumes}) == {
        "vol-1": P,
        "vol-2": F,
        "vol-3": NA,
    }
    snaps = [{"SnapshotId": "snap-1", "public": False}, {"SnapshotId": "snap-2", "public": True},
             {"SnapshotId": "snap-3", "public": Unreadable("access denied to ec2:DescribeSnapshotAttribute")}]  # fmt: skip
    assert ec2_run("ec2.public_snapshots", {"ec2.snapshots": snaps}) == {
        "snap-1": P,
        "snap-2": F,
        "snap-3": E,
    }
    images = [{"ImageId": "ami-1", "Public": False}, {"ImageId": "ami-2", "Public": True}]
    assert ec2_run("ec2.public_amis", {"ec2.images": images}) == {"ami-1": P, "ami-2": F}


def test_instance_checks() -> None:
    instances = [
        {"InstanceId": "i-good", "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"}},
        {"InstanceId": "i-bad", "PublicIpAddress": "198.51.100.7",
         "MetadataOptions": {"HttpTokens": "optional", "HttpEndpoint": "enabled"}},
    ]  # fmt: skip
    assert ec2_run("ec2.imdsv2", {"ec2.instances": instances}) == {"i-good": P, "i-bad": F}
    assert ec2_run("ec2.instance_public_ip", {"ec2.instances": instances}) == {
        "i-good": P,
        "i-bad": F,
    }
    assert statuses(run("ec2.imdsv2", {"ec2.instances": []}, "us-east-1")) == [NA]


def test_vpc_checks() -> None:
    vpcs = [{"VpcId": "vpc-a"}, {"VpcId": "vpc-b"}]
    data = {
        "ec2.vpcs": vpcs,
        "ec2.flow_logs": [{"ResourceId": "vpc-a", "TrafficType": "ALL", "FlowLogStatus": "ACTIVE"}],
        "ec2.vpc_endpoints": [{"VpcId": "vpc-a", "ServiceName": "com.amazonaws.us-east-1.s3"}],
    }
    assert ec2_run("ec2.vpc_flow_logs", data) == {"vpc-a": P, "vpc-b": F}
    assert ec2_run("ec2.vpc_endpoints", data) == {"vpc-a": P, "vpc-b": F}


def test_vpc_peering_routes() -> None:
    pcx = {"VpcPeeringConnectionId": "pcx-1", "AccepterVpcInfo": {"CidrBlock": "10.20.0.0/16"},
           "RequesterVpcInfo": {"CidrBlock": "10.10.0.0/16"}}  # fmt: skip
    tables = [
        {"RouteTableId": "rtb-narrow", "Routes": [{"DestinationCidrBlock": "10.20.1.0/24", "VpcPeeringConnectionId": "pcx-1"}]},
        {"RouteTableId": "rtb-wide", "Routes": [{"DestinationCidrBlock": "10.0.0.0/8", "VpcPeeringConnectionId": "pcx-1"}]},
        {"RouteTableId": "rtb-none", "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]},
    ]  # fmt: skip
    data = {"ec2.route_tables": tables, "ec2.peering_connections": [pcx]}
    assert ec2_run("ec2.vpc_peering_routes", data) == {"rtb-narrow": P, "rtb-wide": F}


# --- CloudTrail and Config ---------------------------------------------------------


def test_multi_region_trail() -> None:
    def result(*trails: dict) -> list[Status]:
        return statuses(
            run("cloudtrail.multi_region", {("cloudtrail.trails", "us-east-1"): list(trails)})
        )

    assert result(trail()) == [P]
    assert result(trail(IsMultiRegionTrail=False)) == [F]
    assert result(trail(status={"IsLogging": False})) == [F]
    only_data = {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False}]}
    assert result(trail(selectors=only_data)) == [F]
    assert result(trail(status=Unreadable("access denied to cloudtrail:GetTrailStatus"))) == [E]


def test_per_trail_checks() -> None:
    good = trail(Name="good", TrailARN="arn:good", LogFileValidationEnabled=True, KmsKeyId="arn:key",
                 CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:1:log-group:g:*")  # fmt: skip
    bad = trail(Name="bad", TrailARN="arn:bad")
    data = {"cloudtrail.trails": [good, bad]}
    for check_id in (
        "cloudtrail.log_validation",
        "cloudtrail.kms_encryption",
        "cloudtrail.cloudwatch_logs",
    ):
        assert by_resource(run(check_id, data, region="us-east-1")) == {
            "arn:good": P,
            "arn:bad": F,
        }, check_id


def test_trail_bucket_access_logging() -> None:
    good = trail(TrailARN="arn:good", S3BucketName=GOOD)
    bad = trail(TrailARN="arn:bad", S3BucketName=BAD)
    foreign = trail(TrailARN="arn:foreign", S3BucketName="elsewhere")
    data = {
        ("cloudtrail.trails", "us-east-1"): [good, bad, foreign],
        "s3.buckets": buckets(GOOD, BAD),
        "s3.bucket_logging": {GOOD: {"TargetBucket": "logs"}, BAD: {}},
    }
    assert by_resource(run("cloudtrail.bucket_access_logging", data)) == {
        "arn:good": P, "arn:bad": F, "arn:foreign": NA,
    }  # fmt: skip


def test_config_enabled() -> None:
    recorder = {"name": "default", "recordingGroup": {"allSupported": True}}
    good = {"recorders": [recorder], "status": [{"name": "default", "recording": True}],
            "channels": [{"name": "default"}]}  # fmt: skip
    assert statuses(run("config.enabled", {"config.recorders": good}, "us-east-1")) == [P]
    stopped = {**good, "status": [{"name": "default", "recording": False}]}
    assert statuses(run("config.enabled", {"config.recorders": stopped}, "us-east-1")) == [F]
    none = {"recorders": [], "status": [], "channels": []}
    assert statuses(run("config.enabled", {"config.recorders": none}, "us-east-1")) == [F]


# --- CloudWatch alarms (CIS 5.1-5.15) -----------------------------------------------


def filter_pattern(monitor) -> str:
    """A readable CloudWatch Logs filter pattern made of the monitor's terms, joined as
    CIS joins them: the required ones by &&, any one of the others by ||."""
    parts = []
    for term in monitor.terms:
        text = term.replace("NOTEXISTS", " NOT EXISTS").replace(
            "Failedauthentication", '"Failed authentication"'
        )
        text = text.replace("!=", " != ") if "!=" in text else text.replace("=", " = ", 1)
        parts.append(f"({text})")
    required, alternatives = parts[: monitor.required], parts[monitor.required :]
    if alternatives:
        required.append("(" + " || ".join(alternatives) + ")")
    return "{ " + " && ".join(required) + " }"


GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"


def monitoring_data(
    monitor, *, alarm: bool = True, subscribed: bool = True, pattern: str | None = None
) -> dict:
    filters = [{
        "filterName": "f", "logGroupName": "trail-logs",
        "filterPattern": pattern if pattern is not None else filter_pattern(monitor),
        "metricTransformations": [{"metricName": "m", "metricNamespace": "ns"}],
    }]  # fmt: skip
    alarms = (
        [{"AlarmName": "a", "MetricName": "m", "Namespace": "ns", "AlarmActions": [TOPIC]}]
        if alarm
        else []
    )
    subs = [{"TopicArn": TOPIC, "Protocol": "email", "confirmed": True}] if subscribed else []
    region = "us-east-1"
    return {
        ("cloudtrail.trails", region): [trail(CloudWatchLogsLogGroupArn=GROUP_ARN)],
        ("logs.metric_filters", region): filters,
        ("cloudwatch.alarms", region): alarms,
        ("sns.subscriptions", region): subs,
    }


@pytest.mark.parametrize("monitor", MONITORS, ids=lambda m: m.cis)
def test_alarm_checks_pass_and_fail(monitor) -> None:
    check_id = f"cloudwatch.alarm_{monitor.id}"
    assert statuses(run(check_id, monitoring_data(monitor))) == [P]
    assert statuses(run(check_id, monitoring_data(monitor, alarm=False))) == [F]
    assert statuses(run(check_id, monitoring_data(monitor, subscribed=False))) == [F]
    assert statuses(
        run(check_id, monitoring_data(monitor, pattern='{ $.eventName = "Nothing" }'))
    ) == [F]


def test_the_published_cis_filters_of_the_demo_satisfy_their_checks_only() -> None:
    by_id = {m.id: m for m in MONITORS}
    for name, _, pattern in CIS_FILTERS:
        matched = [m.id for m in MONITORS if pattern_matches(pattern, m.terms)]
        assert matched == [by_id[name].id], (name, matched)


def test_filter_patterns_match_whatever_the_spacing() -> None:
    cis_text = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
    assert pattern_matches(cis_text, MONITORS[0].terms)
    assert not pattern_matches('{ $.errorCode = "AccessDenied*" }', MONITORS[0].terms)
    root = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
    assert pattern_matches(root, MONITORS[2].terms)


def test_a_check_broken_by_odd_data_gives_an_error_not_a_crash() -> None:
    found = run("ec2.imdsv2", {"ec2.instances": [{"no": "id"}]}, region="us-east-1")
    assert statuses(found) == [E]
    assert "could not read" in found[0].detail
