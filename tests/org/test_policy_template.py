"""`srm-tui policy`: the scanning identity's read-only policy (now with the
Organizations reads) and the member accounts' role as a CloudFormation template."""

from __future__ import annotations

import json

import boto3
import pytest
import yaml
from moto import mock_aws

from srm_tui import policy
from srm_tui.aws.actions import is_read_only
from srm_tui.aws.organization import ACTIONS


def test_the_policy_adds_the_organization_reads_and_stays_read_only(run_cli) -> None:
    result = run_cli("policy")
    assert result.code == 0
    document = json.loads(result.out)
    actions = document["Statement"][0]["Action"]
    assert set(ACTIONS) <= set(actions)
    assert set(policy.check_actions()) <= set(actions)
    assert all(is_read_only(a) for a in actions)


def test_the_template_is_the_checks_policy_in_read_only_managed_policies(run_cli) -> None:
    result = run_cli("policy", "--format", "cloudformation")
    assert result.code == 0
    template = json.loads(result.out)
    assert yaml.safe_load(result.out) == template  # JSON text is YAML too
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert set(template["Parameters"]) == {"ManagementAccountId", "RoleName", "ExternalId"}
    resources = template["Resources"]
    role = resources["ReadOnlyRole"]
    assert role["Type"] == "AWS::IAM::Role"
    policies = [r for r in resources.values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert 1 <= len(policies) <= policy.MAX_POLICIES
    assert all(p["Properties"]["Roles"] == [{"Ref": "ReadOnlyRole"}] for p in policies)
    granted = []
    for found in policies:
        document = found["Properties"]["PolicyDocument"]
        # AWS's limit for a managed policy, whitespace not counted.
        assert len(json.dumps(document, separators=(",", ":"))) < 6144
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
            granted += statement["Action"]
    assert sorted(granted) == policy.check_actions()
    assert all(is_read_only(a) for a in granted)
    # Members never get the listing of the organization: only what their own checks read.
    listing = {"organizations:ListRoots", "organizations:ListOrganizationalUnitsForParent",
               "organizations:ListAccountsForParent"}  # fmt: skip
    assert not listing & set(granted)
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust[0]["Action"] == "sts:AssumeRole"
    assert "${ManagementAccountId}" in trust[0]["Principal"]["AWS"]["Fn::Sub"]
    assert "sts:ExternalId" in json.dumps(trust[0]["Condition"])


def test_a_long_list_of_actions_is_split_under_the_size_limit() -> None:
    actions = [f"service{n % 40}:DescribeSomethingRatherLong{n}" for n in range(600)]
    template = policy.member_role_template(actions)
    documents = [
        r["Properties"]["PolicyDocument"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::ManagedPolicy"
    ]
    assert len(documents) > 1
    assert all(len(json.dumps(d, separators=(",", ":"))) < 6144 for d in documents)
    assert sorted(a for d in documents for a in d["Statement"][0]["Action"]) == sorted(actions)
    with pytest.raises(ValueError, match="more than"):
        policy.member_role_template([f"s:DescribeX{n:0100d}" for n in range(1000)])


@mock_aws
@pytest.mark.parametrize("external_id", ["", "shared-7788"])
def test_the_template_deploys_and_makes_the_role(external_id: str) -> None:
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    parameters = [{"ParameterKey": "ManagementAccountId", "ParameterValue": "111122223333"}]
    if external_id:
        parameters.append({"ParameterKey": "ExternalId", "ParameterValue": external_id})
    cloudformation.create_stack(
        StackName="srm-tui-role",
        TemplateBody=policy.template_text(),
        Parameters=parameters,
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    iam = boto3.client("iam", region_name="us-east-1")
    role = iam.get_role(RoleName=policy.TEMPLATE_ROLE)["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert "111122223333" in json.dumps(trust)
    assert ("sts:ExternalId" in json.dumps(trust)) == bool(external_id)
    attached = iam.list_attached_role_policies(RoleName=policy.TEMPLATE_ROLE)["AttachedPolicies"]
    granted = set()
    for found in attached:
        version = iam.get_policy(PolicyArn=found["PolicyArn"])["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=found["PolicyArn"], VersionId=version)
        text = document["PolicyVersion"]["Document"]
        text = json.loads(text) if isinstance(text, str) else text
        granted |= {a for s in text["Statement"] for a in s["Action"]}
    assert granted == set(policy.check_actions())
