"""Demo seed: IAM users, groups, policies and roles, some well kept, some not.

The root user cannot be emulated: the emulator reports no root MFA and no root row
in the credential report, so the root checks show a fail and an error in the demo.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

ORDER = 10

_ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
_READ_S3 = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}
    ],
}
_EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
_ACCOUNT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "sts:AssumeRole"}
    ],
}  # fmt: skip
AWS_POLICY = "arn:aws:iam::aws:policy/"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Users with and without MFA, direct and group policies, an admin policy, a
    support role, a CloudShell role, an instance profile and a weak password policy."""
    iam = session.client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=8, PasswordReusePrevention=24, RequireSymbols=True
    )
    admin = iam.create_policy(PolicyName="full-admin", PolicyDocument=json.dumps(_ADMIN))
    read = iam.create_policy(PolicyName="s3-read", PolicyDocument=json.dumps(_READ_S3))
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=admin["Policy"]["Arn"])
    iam.create_group(GroupName="analysts")
    iam.attach_group_policy(GroupName="analysts", PolicyArn=read["Policy"]["Arn"])

    # alice: console with MFA, permissions through a group only.
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="demo-Alice-2026!")
    iam.add_user_to_group(UserName="alice", GroupName="admins")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    iam.enable_mfa_device(
        UserName="alice", SerialNumber=device["SerialNumber"],
        AuthenticationCode1="123456", AuthenticationCode2="654321",
    )  # fmt: skip
    # bob: console without MFA and a policy attached to the user.
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="demo-Bob-2026!")
    iam.attach_user_policy(UserName="bob", PolicyArn=read["Policy"]["Arn"])
    # ci-deploy: an access key and an inline policy of its own.
    iam.create_user(UserName="ci-deploy")
    iam.create_access_key(UserName="ci-deploy")
    iam.put_user_policy(
        UserName="ci-deploy", PolicyName="deploy", PolicyDocument=json.dumps(_READ_S3)
    )
    # carol: an analyst through the group, with a key.
    iam.create_user(UserName="carol")
    iam.add_user_to_group(UserName="carol", GroupName="analysts")
    iam.create_access_key(UserName="carol")

    iam.create_role(RoleName="support-team", AssumeRolePolicyDocument=json.dumps(_ACCOUNT_TRUST))
    iam.attach_role_policy(RoleName="support-team", PolicyArn=AWS_POLICY + "AWSSupportAccess")
    iam.create_role(
        RoleName="cloudshell-users", AssumeRolePolicyDocument=json.dumps(_ACCOUNT_TRUST)
    )
    iam.attach_role_policy(
        RoleName="cloudshell-users", PolicyArn=AWS_POLICY + "AWSCloudShellFullAccess"
    )
    iam.create_role(RoleName="app-instance", AssumeRolePolicyDocument=json.dumps(_EC2_TRUST))
    iam.create_instance_profile(InstanceProfileName="app-instance")
    iam.add_role_to_instance_profile(InstanceProfileName="app-instance", RoleName="app-instance")

    for n in range(scale - 1):
        # Benchmark growth: users with a key each, half of them in a group.
        name = f"bench-user-{n:05d}"
        iam.create_user(UserName=name)
        iam.create_access_key(UserName=name)
        if n % 2:
            iam.add_user_to_group(UserName=name, GroupName="analysts")
