"""The demo organization: the demo account becomes the management account of an
emulated AWS Organization with three member accounts of different postures and one
closed (suspended) account, in nested OUs.

Members are created with ``organizations:CreateAccount``; their resources are made
with the member's own credentials (``sts:AssumeRole`` into the role Organizations
creates), so they live in the member and nowhere else. The same security group and
IAM user names are used in two members on purpose: a finding must never cross
accounts.

Cost: the emulator loads its ~1,300 AWS-managed IAM policies into every account it
creates, seconds each; members are created without them (their postures use policies
of their own), which keeps the demo's start-up fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srm_tui.demo.managed_policies import only_in_the_aws_partition, without_managed_policies

REGION = "us-east-1"
#: The emulator's ids come from its own random generator: seeded with this before the
#: organization is made, the organization, its OUs and its members have the same ids in
#: every demo run, so a review of the demo organization can be scanned again later (a
#: scan refuses credentials of another organization than the review's).
ID_SEED = 20260301
ROLE = "OrganizationAccountAccessRole"
SHARED_GROUP = "web"  # the same security group name in two members
SHARED_USER = "deploy"  # the same IAM user name in two members


@dataclass(frozen=True, slots=True)
class Member:
    """One member account of the demo organization."""

    name: str
    ou: tuple[str, ...]  # OU names from below the root
    posture: str  # "strict" | "mixed" | "open" | "closed"


MEMBERS = (
    Member("production", ("Workloads", "Production"), "strict"),
    Member("development", ("Workloads", "Development"), "mixed"),
    Member("sandbox", ("Sandbox",), "open"),
    Member("retired", ("Sandbox",), "closed"),
)


@dataclass(frozen=True, slots=True)
class DemoOrganization:
    """The emulated organization as seeded: its id and its members' ids by name."""

    id: str
    root: str
    accounts: dict[str, str]
    ous: dict[tuple[str, ...], str]


class MemberSession:
    """``client(service, region_name=...)`` acting in one member account. The service
    models are read once for every member (a fresh session would read them again)."""

    def __init__(self, endpoint_url: str, credentials: dict[str, Any], loader: Any) -> None:
        import boto3
        import botocore.session

        core = botocore.session.get_session()
        core.register_component("data_loader", loader)
        core.set_credentials(
            credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
        )
        self._session = boto3.Session(botocore_session=core, region_name=REGION)
        self.endpoint_url = endpoint_url
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region_name: str | None = None, **_: Any) -> Any:
        key = (service, region_name or REGION)
        if key not in self._clients:
            client = self._session.client(
                service, region_name=key[1], endpoint_url=self.endpoint_url
            )
            if service == "s3control" and self.endpoint_url:
                from srm_tui.aws.session import strip_account_host

                client.meta.events.register("before-sign.s3-control", strip_account_host)
            self._clients[key] = client
        return self._clients[key]


def seed_organization(
    session: Any, members: tuple[Member, ...] = MEMBERS, extra: int = 0
) -> DemoOrganization:
    """Create the organization with ``session``'s account as management account, its
    OUs and members, and seed each member; ``extra`` adds that many more members with
    the mixed posture (for the benchmarks)."""
    org = session.client("organizations", region_name=REGION)
    everyone = list(members) + [
        Member(f"team-{n:03d}", ("Workloads", "Teams"), "mixed") for n in range(1, extra + 1)
    ]
    accounts: dict[str, str] = {}
    _seed_ids()
    # The emulator loads its AWS-managed policies into an account's IAM when it first
    # creates it, which CreateAccount does (for the member role): members go without,
    # and so does the stray account CreateOrganization makes for its own bookkeeping.
    with without_managed_policies():
        organization = org.create_organization(FeatureSet="ALL")["Organization"]
        root = org.list_roots()["Roots"][0]["Id"]
        ous: dict[tuple[str, ...], str] = {}
        for member in everyone:
            parent = _ou(org, root, member.ou, ous)
            created = org.create_account(
                AccountName=member.name, Email=f"{member.name}@example.com"
            )
            account_id = created["CreateAccountStatus"]["AccountId"]
            org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
            accounts[member.name] = account_id
    only_in_the_aws_partition()
    sts = session.client("sts", region_name=REGION)
    loader = _loader(session)
    for member in everyone:
        if member.posture == "closed":
            continue
        answer = sts.assume_role(
            RoleArn=f"arn:aws:iam::{accounts[member.name]}:role/{ROLE}",
            RoleSessionName="srm-tui-demo-seed",
        )
        POSTURES[member.posture](
            MemberSession(session.endpoint_url, answer["Credentials"], loader),
            accounts[member.name],
        )
    for member in everyone:
        if member.posture == "closed":
            org.close_account(AccountId=accounts[member.name])
    return DemoOrganization(organization["Id"], root, accounts, ous)


def _seed_ids() -> None:
    # The emulator runs in this process (its server too): its generator is here.
    from moto.moto_api._internal import mock_random

    mock_random.seed(ID_SEED)


def _loader(session: Any) -> Any:
    """The seed session's reader of service models (it has read most of them already),
    else a new one shared by every member."""
    import botocore.loaders

    found = getattr(getattr(session, "_session", None), "_session", None)
    try:
        return found.get_component("data_loader")  # type: ignore[union-attr]
    except Exception:
        return botocore.loaders.create_loader()


def _ou(org: Any, root: str, names: tuple[str, ...], ous: dict[tuple[str, ...], str]) -> str:
    parent = root
    for depth in range(1, len(names) + 1):
        key = names[:depth]
        if key not in ous:
            made = org.create_organizational_unit(ParentId=parent, Name=names[depth - 1])
            ous[key] = made["OrganizationalUnit"]["Id"]
        parent = ous[key]
    return parent


# --- postures --------------------------------------------------------------------------


def _strict(member: MemberSession, account_id: str) -> None:
    """Production: locked down. A password policy, a multi-region trail with log
    validation, a private encrypted bucket, the account's public access block, a
    security group open to nothing."""
    iam = member.client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True,
        RequireUppercaseCharacters=True, RequireLowercaseCharacters=True,
        PasswordReusePrevention=24, MaxPasswordAge=90,
    )  # fmt: skip
    s3 = member.client("s3")
    bucket = f"production-trail-{account_id}"
    s3.create_bucket(Bucket=bucket)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=_BLOCK_ALL)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    member.client("s3control").put_public_access_block(
        AccountId=account_id, PublicAccessBlockConfiguration=_BLOCK_ALL
    )
    trail = member.client("cloudtrail")
    trail.create_trail(
        Name="organization-audit", S3BucketName=bucket, IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )  # fmt: skip
    trail.start_logging(Name="organization-audit")
    ec2 = member.client("ec2")
    ec2.create_security_group(GroupName=SHARED_GROUP, Description="web tier, behind the balancer")


def _mixed(member: MemberSession, account_id: str) -> None:
    """Development: a user with an access key and no MFA, SSH open to the world in a
    security group called like production's, an unencrypted bucket."""
    iam = member.client("iam")
    iam.create_user(UserName=SHARED_USER)
    iam.create_access_key(UserName=SHARED_USER)
    ec2 = member.client("ec2")
    group = ec2.create_security_group(GroupName=SHARED_GROUP, Description="web tier")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[_open_port(22)],
    )
    member.client("s3").create_bucket(Bucket=f"development-builds-{account_id}")


def _open(member: MemberSession, account_id: str) -> None:
    """Sandbox: an administrator user without MFA, every port open, a public bucket."""
    iam = member.client("iam")
    iam.create_user(UserName=SHARED_USER)
    iam.create_access_key(UserName=SHARED_USER)
    iam.put_user_policy(
        UserName=SHARED_USER,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )
    ec2 = member.client("ec2")
    group = ec2.create_security_group(GroupName=SHARED_GROUP, Description="anything goes")
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    bucket = f"sandbox-share-{account_id}"
    s3 = member.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )


def _open_port(port: int) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }


_BLOCK_ALL = {
    "BlockPublicAcls": True, "IgnorePublicAcls": True,
    "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
}  # fmt: skip

POSTURES: dict[str, Callable[[MemberSession, str], None]] = {
    "strict": _strict,
    "mixed": _mixed,
    "open": _open,
}
