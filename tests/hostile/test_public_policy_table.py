"""Public or not: real resource-policy shapes, each judged the way IAM Access Analyzer
and S3 Block Public Access judge them, by the one policy module and by every check
that reads a resource policy (S3, KMS, Lambda, ECR).

A condition narrows a statement open to anyone only when it restricts the caller to
known accounts, organizations, VPCs, endpoints or IP ranges: negated operators,
``...IfExists``, ``ForAllValues``, wildcard values and ranges covering the internet
narrow nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from srm_tui.checks.resource_policy import public_statements
from srm_tui.model import Status
from tests.checks.engine_helpers import run

ORG = "o-a1b2c3d4e5"
ME = "111122223333"
OTHER = "444455556666"
BUCKET = "arn:aws:s3:::shop-assets"


def allow(condition: dict[str, Any] | None = None, principal: Any = "*", **extra: Any) -> dict:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal}
    statement["Action"] = extra.pop("Action", "s3:GetObject")
    statement["Resource"] = extra.pop("Resource", BUCKET + "/*")
    if condition is not None:
        statement["Condition"] = condition
    statement.update(extra)
    return statement


def deny(condition: dict[str, Any], **extra: Any) -> dict:
    statement = {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}
    statement.update(extra)
    statement["Condition"] = condition
    return statement


def policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


PUBLIC = {
    "no condition at all": policy(allow()),
    "AWS wildcard principal": policy(allow(principal={"AWS": "*"})),
    "wildcard among named principals": policy(
        allow(principal={"AWS": [f"arn:aws:iam::{ME}:root", "*"]})
    ),
    "wildcard account in the principal ARN": policy(
        allow(principal={"AWS": "arn:aws:iam::*:root"})
    ),
    "NotPrincipal in an Allow": policy(
        {
            "Effect": "Allow",
            "NotPrincipal": {"AWS": f"arn:aws:iam::{ME}:root"},
            "Action": "s3:*",
            "Resource": "*",
        }
    ),
    "key open to * under StringNotEquals aws:PrincipalAccount": policy(
        allow(
            {"StringNotEquals": {"aws:PrincipalAccount": ME}},
            principal={"AWS": "*"},
            Action="kms:*",
            Resource="*",
        )
    ),
    "StringNotEquals kms:CallerAccount": policy(
        allow({"StringNotEquals": {"kms:CallerAccount": ME}}, Action="kms:Decrypt", Resource="*")
    ),
    "ArnNotLike aws:SourceArn": policy(
        allow(
            {"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::shop-uploads"}},
            Action="lambda:InvokeFunction",
        )
    ),
    "ArnNotEquals aws:PrincipalArn": policy(
        allow({"ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ME}:role/ci"}})
    ),
    "StringNotLike aws:PrincipalArn": policy(
        allow({"StringNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ME}:*"}})
    ),
    "StringNotEqualsIgnoreCase aws:PrincipalOrgID": policy(
        allow(
            {"StringNotEqualsIgnoreCase": {"aws:PrincipalOrgID": ORG}}, Action="ecr:BatchGetImage"
        )
    ),
    "NotIpAddress lets in every other address": policy(
        allow({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
    ),
    "StringEqualsIfExists aws:PrincipalOrgID (anonymous callers have none)": policy(
        allow({"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG}})
    ),
    "ArnLikeIfExists aws:SourceArn": policy(
        allow({"ArnLikeIfExists": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{ME}:alerts"}})
    ),
    "ForAllValues holds when the key is absent": policy(
        allow({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ORG}}, Action="sqs:SendMessage")
    ),
    "ForAnyValue with a negated operator": policy(
        allow({"ForAnyValue:StringNotLike": {"aws:PrincipalOrgPaths": f"{ORG}/*"}})
    ),
    "whole IPv4 internet": policy(allow({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})),
    "whole IPv6 internet": policy(allow({"IpAddress": {"aws:SourceIp": "::/0"}})),
    "both internets": policy(allow({"IpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}})),
    "two halves make the internet": policy(
        allow({"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}})
    ),
    "one office and the internet": policy(
        allow({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "0.0.0.0/0"]}})
    ),
    "a block wider than /8": policy(allow({"IpAddress": {"aws:SourceIp": "64.0.0.0/3"}})),
    "an IPv6 block wider than /32": policy(allow({"IpAddress": {"aws:SourceIp": "2001:db8::/16"}})),
    "StringEquals aws:PrincipalAccount *": policy(
        allow({"StringEquals": {"aws:PrincipalAccount": "*"}})
    ),
    "StringLike aws:SourceAccount with a wildcard": policy(
        allow({"StringLike": {"aws:SourceAccount": "1111*"}})
    ),
    "ArnLike aws:PrincipalArn with any account": policy(
        allow({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}, Action="kms:Decrypt")
    ),
    "ArnLike aws:PrincipalArn arn:aws:iam::*": policy(
        allow({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}})
    ),
    "ArnLike aws:SourceArn on any account's topic": policy(
        allow(
            {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:*:alerts"}},
            Action="sqs:SendMessage",
        )
    ),
    "StringLike aws:SourceArn on any bucket": policy(
        allow({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, Action="lambda:InvokeFunction")
    ),
    "StringLike aws:SourceOwner *": policy(
        allow({"StringLike": {"aws:SourceOwner": "*"}}, Action="sns:Publish")
    ),
    "a policy variable as the account": policy(
        allow({"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}})
    ),
    "StringLike aws:PrincipalOrgID o-*": policy(
        allow({"StringLike": {"aws:PrincipalOrgID": "o-*"}})
    ),
    "ForAnyValue:StringLike aws:PrincipalOrgPaths o-*/*": policy(
        allow({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/*"}})
    ),
    "StringLike aws:SourceVpce vpce-*": policy(allow({"StringLike": {"aws:SourceVpce": "vpce-*"}})),
    "only TLS required": policy(allow({"Bool": {"aws:SecureTransport": "true"}})),
    "Null only asks for some organization": policy(
        allow({"Null": {"aws:PrincipalOrgID": "false"}})
    ),
    "kms:ViaService alone: any account through the service": policy(
        allow(
            {"StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}},
            Action="kms:Decrypt",
            Resource="*",
        )
    ),
    "function URL with IAM auth for any account": policy(
        allow(
            {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
            Action="lambda:InvokeFunctionUrl",
        )
    ),
    "aws:username repeats across accounts": policy(
        allow({"StringEquals": {"aws:username": "alice"}})
    ),
    "aws:ResourceAccount restricts the resource, not the caller": policy(
        allow(
            {"StringEquals": {"aws:ResourceAccount": ME}},
            Action="secretsmanager:GetSecretValue",
            Resource="*",
        )
    ),
    "one narrowed statement, one open": policy(
        allow({"StringEquals": {"aws:PrincipalOrgID": ORG}}), allow(Sid="Website")
    ),
    "the Deny covers other actions": policy(
        allow(), deny({"StringNotEquals": {"aws:PrincipalOrgID": ORG}}, Action="s3:PutObject")
    ),
    "the Deny also needs plain HTTP": policy(
        allow(),
        deny(
            {
                "StringNotEquals": {"aws:PrincipalOrgID": ORG},
                "Bool": {"aws:SecureTransport": "false"},
            }
        ),
    ),
    "the Deny names the whole internet": policy(
        allow(), deny({"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}})
    ),
    "the Deny covers another bucket": policy(
        allow(),
        deny({"StringNotEquals": {"aws:PrincipalOrgID": ORG}}, Resource="arn:aws:s3:::other/*"),
    ),
}

NOT_PUBLIC = {
    "the default key policy: the account root": policy(
        allow(principal={"AWS": f"arn:aws:iam::{ME}:root"}, Action="kms:*", Resource="*")
    ),
    "a named other account": policy(
        allow(principal={"AWS": f"arn:aws:iam::{OTHER}:root"}, Action="ecr:BatchGetImage")
    ),
    "the EBS key grant: kms:CallerAccount with kms:ViaService": policy(
        allow(
            {
                "StringEquals": {
                    "kms:CallerAccount": ME,
                    "kms:ViaService": "ec2.us-east-1.amazonaws.com",
                }
            },
            Action=["kms:Encrypt", "kms:Decrypt"],
            Resource="*",
        )
    ),
    "StringEquals aws:PrincipalOrgID": policy(allow({"StringEquals": {"aws:PrincipalOrgID": ORG}})),
    "StringEqualsIgnoreCase aws:PrincipalOrgID": policy(
        allow({"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": ORG.upper()}})
    ),
    "ForAnyValue:StringEquals aws:PrincipalOrgID": policy(
        allow({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ORG}})
    ),
    "ForAnyValue:StringLike aws:PrincipalOrgPaths under one OU": policy(
        allow(
            {
                "ForAnyValue:StringLike": {
                    "aws:PrincipalOrgPaths": f"{ORG}/r-ab12/ou-ab12-11111111/*"
                }
            }
        )
    ),
    "StringEquals aws:PrincipalAccount, two accounts": policy(
        allow({"StringEquals": {"aws:PrincipalAccount": [ME, OTHER]}})
    ),
    "an account id written as a number": policy(
        allow({"StringEquals": {"aws:PrincipalAccount": int(ME)}})
    ),
    "a mixed-case condition key": policy(allow({"StringEquals": {"AWS:SourceAccount": ME}})),
    "StringEquals aws:SourceVpce": policy(
        allow({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})
    ),
    "StringEquals aws:SourceVpc": policy(
        allow({"StringEquals": {"aws:SourceVpc": "vpc-111bbb22"}})
    ),
    "two office ranges": policy(
        allow({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}})
    ),
    "one address": policy(allow({"IpAddress": {"aws:SourceIp": "198.51.100.7"}})),
    "a private /8": policy(allow({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
    "an IPv6 /48": policy(allow({"IpAddress": {"aws:SourceIp": "2001:db8:1234::/48"}})),
    "ArnLike aws:PrincipalArn, roles of one account": policy(
        allow(
            {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ME}:role/app-*"}}, Action="kms:Decrypt"
        )
    ),
    "ArnEquals aws:PrincipalArn": policy(
        allow({"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/reader"}})
    ),
    "ArnLike aws:SourceArn, one account's topic": policy(
        allow(
            {"ArnLike": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{ME}:alerts"}},
            Action="sqs:SendMessage",
        )
    ),
    "ArnEquals aws:SourceArn, one bucket": policy(
        allow(
            {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::shop-uploads"}},
            Action="lambda:InvokeFunction",
        )
    ),
    "StringEquals aws:SourceOwner": policy(
        allow({"StringEquals": {"aws:SourceOwner": ME}}, Action="sns:Publish")
    ),
    "StringLike aws:userid of one role's sessions": policy(
        allow({"StringLike": {"aws:userid": "AROAEXAMPLEID12345678:*"}})
    ),
    "StringEquals s3:DataAccessPointAccount (access point delegation)": policy(
        allow({"StringEquals": {"s3:DataAccessPointAccount": ME}}, Action="*")
    ),
    "a service principal with a source account": policy(
        allow(
            {
                "StringEquals": {"aws:SourceAccount": ME},
                "ArnLike": {"aws:SourceArn": "arn:aws:s3:::shop-uploads"},
            },
            principal={"Service": "s3.amazonaws.com"},
            Action="lambda:InvokeFunction",
        )
    ),
    "a service principal with a source rule": policy(
        allow(
            {"ArnLike": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ME}:rule/nightly"}},
            principal={"Service": "events.amazonaws.com"},
            Action="lambda:InvokeFunction",
        )
    ),
    "a narrowing test beside a loose one": policy(
        allow(
            {
                "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"},
                "Bool": {"aws:SecureTransport": "true"},
            }
        )
    ),
    "only Deny statements": policy(deny({"Bool": {"aws:SecureTransport": "false"}}, Action="s3:*")),
    "deny everyone outside the organization": policy(
        allow(), deny({"StringNotEquals": {"aws:PrincipalOrgID": ORG}}, Action="s3:*")
    ),
    "deny everyone outside one endpoint, on the bucket's objects": policy(
        allow(),
        deny(
            {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
            Action="s3:*",
            Resource=[BUCKET, BUCKET + "/*"],
        ),
    ),
    "deny every address outside the office": policy(
        allow(principal={"AWS": "*"}, Action="kms:*", Resource="*"),
        deny({"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}),
    ),
}


def _as_each_check(document: dict) -> dict[str, list[Status]]:
    """The statuses each check that reads a resource policy gives this policy."""
    name = BUCKET.rsplit(":", 1)[1]
    s3 = {
        "s3.buckets": [{"name": name, "arn": BUCKET, "region": "us-east-1", "created": None}],
        "s3.bucket_policies": {name: document},
        "s3.bucket_acls": {name: []},
    }
    key = {
        "id": "k1", "arn": f"arn:aws:kms:us-east-1:{ME}:key/k1", "manager": "CUSTOMER",
        "state": "Enabled", "spec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS",
        "rotation": True, "policy": document,
    }  # fmt: skip
    repo = {
        "name": "r", "arn": f"arn:aws:ecr:us-east-1:{ME}:repository/r", "scan_on_push": True,
        "tag_mutability": "IMMUTABLE", "lifecycle_policy": None, "policy": document,
    }  # fmt: skip
    function = f"arn:aws:lambda:us-east-1:{ME}:function:f"
    return {
        "s3.bucket_public_policy": [f.status for f in run("s3.bucket_public_policy", s3)],
        "kms.key_policy_public": [
            f.status for f in run("kms.key_policy_public", {"kms.keys": [key]})
        ],
        "ecr.public_repository_policy": [
            f.status for f in run("ecr.public_repository_policy", {"ecr.repositories": [repo]})
        ],
        "lambda.public_policy": [
            f.status for f in run("lambda.public_policy", {"lambda.policies": {function: document}})
        ],
    }


def test_the_table_is_large_and_holds_both_verdicts() -> None:
    assert len(PUBLIC) >= 20 and len(NOT_PUBLIC) >= 20
    assert len(PUBLIC) + len(NOT_PUBLIC) >= 40


@pytest.mark.parametrize("shape", sorted(PUBLIC))
def test_public_shapes_are_public_for_every_check(shape: str) -> None:
    document = PUBLIC[shape]
    assert public_statements(document), shape
    for check_id, found in _as_each_check(document).items():
        assert found == [Status.FAIL], (check_id, found)


@pytest.mark.parametrize("shape", sorted(NOT_PUBLIC))
def test_narrowed_shapes_are_not_public_for_any_check(shape: str) -> None:
    document = NOT_PUBLIC[shape]
    assert public_statements(document) == [], shape
    for check_id, found in _as_each_check(document).items():
        assert found == [Status.PASS], (check_id, found)


def test_a_policy_that_cannot_be_read_is_never_a_pass() -> None:
    for document in ("{not json", '["a list"]', 42):
        found = _as_each_check(document)  # type: ignore[arg-type]
        for check_id, statuses in found.items():
            assert Status.PASS not in statuses, (check_id, document, statuses)
            assert statuses and all(s is Status.ERROR for s in statuses), (check_id, statuses)


def test_the_labels_name_the_open_statement() -> None:
    found = public_statements(
        policy(allow({"StringEquals": {"aws:PrincipalOrgID": ORG}}), allow(Sid="Website"))
    )
    assert found == ["statement Website allows s3:GetObject"]
