"""Demo seed: Lambda functions, one well kept and one neglected, in each region.

The neglected one runs a deprecated runtime, carries a database password and an
access key in its environment (fake values), lets anyone invoke it, runs with a role
that may do anything, and sits in a single Availability Zone of its VPC.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

#: Fake secret values planted in the demo; tests prove none of them leaves the scanner.
PLANTED_VALUES = ("demo-Pa55word-not-real", "q8Vx2mZ/4TnLr7Wk9yHb3Jd6Fs1Gp0Ua5Ce8Rt2N")

_TRUST = json.dumps(
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
)


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 'ok'\n")
    return buffer.getvalue()


def _roles(iam: Any) -> tuple[str, str]:
    narrow = iam.create_role(RoleName="demo-orders-fn-role", AssumeRolePolicyDocument=_TRUST)
    iam.put_role_policy(
        RoleName="demo-orders-fn-role",
        PolicyName="read-orders-table",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                        "Resource": "arn:aws:dynamodb:*:*:table/orders*",
                    }
                ],
            }
        ),
    )
    broad = iam.create_role(RoleName="demo-legacy-fn-role", AssumeRolePolicyDocument=_TRUST)
    iam.put_role_policy(
        RoleName="demo-legacy-fn-role",
        PolicyName="do-anything",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )
    return narrow["Role"]["Arn"], broad["Role"]["Arn"]


def _vpc(session: Any, region: str, zones: int) -> dict[str, Any]:
    """A VPC configuration on the default VPC's subnets in ``zones`` zones."""
    ec2 = session.client("ec2", region_name=region)
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])[
        "Subnets"
    ]
    chosen = sorted(subnets, key=lambda s: s["AvailabilityZone"])[:zones]
    group = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [chosen[0]["VpcId"]]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]
    return {"SubnetIds": [s["SubnetId"] for s in chosen], "SecurityGroupIds": [group]}


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-api-N`` (passes every Lambda check, in two
    Availability Zones) and ``legacy-report-N`` (fails every one)."""
    account_id = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    narrow, broad = _roles(session.client("iam", region_name=regions[0]))
    code = _code()
    for region in regions:
        client = session.client("lambda", region_name=region)
        for n in range(scale):
            good = client.create_function(
                FunctionName=f"orders-api-{n}",
                Runtime="python3.12",
                Role=narrow,
                Handler="handler.handler",
                Code={"ZipFile": code},
                VpcConfig=_vpc(session, region, zones=2),
                Environment={
                    "Variables": {
                        "TABLE_NAME": "orders",
                        "DB_PASSWORD_SECRET_ARN": f"arn:aws:secretsmanager:{region}:"
                        f"{account_id}:secret:orders-db-AbCdEf",
                    }
                },
            )
            client.add_permission(
                FunctionName=good["FunctionName"],
                StatementId="uploads-bucket",
                Action="lambda:InvokeFunction",
                Principal="s3.amazonaws.com",
                SourceArn="arn:aws:s3:::demo-uploads",
                SourceAccount=account_id,
            )
            bad = client.create_function(
                FunctionName=f"legacy-report-{n}",
                Runtime="python3.7",
                Role=broad,
                Handler="handler.handler",
                Code={"ZipFile": code},
                VpcConfig=_vpc(session, region, zones=1),
                Environment={
                    "Variables": {
                        "DB_PASSWORD": PLANTED_VALUES[0],
                        "REPORT_SETTINGS": PLANTED_VALUES[1],
                    }
                },
            )
            client.add_permission(
                FunctionName=bad["FunctionName"],
                StatementId="anyone",
                Action="lambda:InvokeFunction",
                Principal="*",
            )
