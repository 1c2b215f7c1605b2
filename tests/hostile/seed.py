"""An emulated account whose names, tags, descriptions and policies are hostile:
terminal escape sequences, Markdown and HTML metacharacters, huge and deeply nested
values. XML services cannot carry C0 control characters at all (XML 1.0 forbids
them), so those get the markup and the C1 and bidirectional characters XML allows;
JSON services and policy documents get everything."""

from __future__ import annotations

import json
from typing import Any

MARKUP = (
    "|# <script>alert(1)</script> <img src=x onerror=alert(2)> `tick` "
    "[x](javascript:alert(3)) *b* _i_ &amp; --- \\"
)
# Invisible characters that hide or reorder text: word joiner, Arabic letter mark,
# Mongolian vowel separator, soft hyphen, a line separator and two tag characters
# (hidden ASCII "AB").
HIDDEN = "\u2060\u061c\u180e\u00ad\u2028\U000e0041\U000e0042"
# Clear the screen, home the cursor, set the window title, C1 CSI, backspace, a bare
# carriage return, right-to-left override, and the invisible characters above.
ESCAPES = "\x1b[2J\x1b[H\x1b]0;pwned\x07\x9b31m\x08\r\u202e" + HIDDEN
XML_SAFE = "\x9b31m\u202e" + HIDDEN
HUGE = "A" * 100_000
DEEP = 3000  # deeper than Python's recursion limit
NESTED = 300  # within it, yet deep


def nested(depth: int) -> dict[str, Any]:
    value: Any = "b"
    for _ in range(depth):
        value = {"a": value}
    return value


def policy(sid: str, condition: Any = None, principal: Any = "*") -> str:
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "*",
    }
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def deep_policy_text(depth: int) -> str:
    # json.dumps itself cannot write what it cannot read back: build the text.
    head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
    head += '"Action":"s3:GetObject","Resource":"*","Condition":'
    return head + '{"a":' * depth + '"b"' + "}" * depth + "}]}"


def seed(session: Any, region: str = "us-east-1") -> None:
    """Create the hostile resources in ``region``."""
    iam = session.client("iam", region_name=region)
    iam.create_user(
        UserName="mallory-" + "<b>|#`x`",
        Tags=[{"Key": "note" + XML_SAFE, "Value": MARKUP + XML_SAFE}],
    )
    role = iam.create_role(
        RoleName="hostile-fn-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]

    ec2 = session.client("ec2", region_name=region)
    group = ec2.create_security_group(
        GroupName="sg " + MARKUP + XML_SAFE, Description=MARKUP + XML_SAFE
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": MARKUP}]}],
    )  # fmt: skip

    s3 = session.client("s3", region_name=region)
    for bucket, text in (
        ("hostile-sid", policy("open" + ESCAPES + MARKUP)),
        ("hostile-principal", policy("p", principal={"AWS": "arn:aws:iam::1:" + ESCAPES})),
        ("hostile-deep", deep_policy_text(DEEP)),
        ("hostile-nested", policy("n", condition={"StringEquals": nested(NESTED)})),
        ("hostile-huge", policy("h" + HUGE)),
        ("plain-bucket", policy("fine", principal={"AWS": "arn:aws:iam::123456789012:root"})),
    ):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_policy(Bucket=bucket, Policy=text)

    lam = session.client("lambda", region_name=region)
    lam.create_function(
        FunctionName="hostile-fn",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        Description=HUGE,
        Environment={"Variables": {"DB_PASSWORD" + ESCAPES + MARKUP: "value-never-shown"}},
    )

    secrets = session.client("secretsmanager", region_name=region)
    secrets.create_secret(
        Name="secret" + ESCAPES + MARKUP,
        SecretString="value-never-shown",
        Description=ESCAPES + HUGE,
        Tags=[{"Key": "k" + ESCAPES, "Value": MARKUP + HUGE}],
    )
    kms = session.client("kms", region_name=region)
    kms.create_key(Description=ESCAPES + MARKUP)
    logs = session.client("logs", region_name=region)
    logs.create_log_group(logGroupName="group" + ESCAPES + MARKUP)
