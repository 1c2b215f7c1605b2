"""The IAM permissions srm-tui needs, generated from what the checks call: the
read-only policy of the identity that scans (``srm-tui policy``), and the member
accounts' read-only role as a CloudFormation template (``policy --format
cloudformation``), ready to deploy to every account with a StackSet.

Every action comes from the checks' collectors (``checklist.api_calls``) plus the few
calls the scan itself makes, so the policy can never lag behind a check.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from srm_tui.aws.organization import ACTIONS as ORGANIZATION_ACTIONS

#: What the scan calls besides the collectors: who am I, which regions are enabled.
SCAN_ACTIONS = ("sts:GetCallerIdentity", "ec2:DescribeRegions")
#: The role the template creates, by default (a name the member accounts do not have).
TEMPLATE_ROLE = "SrmTuiReadOnly"
#: AWS limits a managed policy to 6,144 characters (whitespace not counted): each of
#: the template's policies stays well below.
POLICY_CHARACTERS = 5500
MAX_POLICIES = 10  # managed policies per role, by default


def check_actions() -> list[str]:
    """Every action the checks and the scan of one account call, sorted."""
    from srm_tui import checklist

    return sorted({*checklist.load().api_calls(), *SCAN_ACTIONS})


def management_actions() -> list[str]:
    """What the identity that runs the scan needs: every check's actions plus the
    read-only Organizations calls an organization scan makes."""
    return sorted({*check_actions(), *ORGANIZATION_ACTIONS})


def policy_document(actions: Sequence[str]) -> dict[str, Any]:
    """An IAM policy allowing exactly ``actions`` on every resource."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "SrmTuiReadOnly", "Effect": "Allow", "Action": list(actions), "Resource": "*"}
        ],
    }


def _chunks(actions: Sequence[str]) -> list[list[str]]:
    """``actions`` split so that each policy document stays under POLICY_CHARACTERS."""
    base = len(json.dumps(policy_document([]), separators=(",", ":")))
    chunks: list[list[str]] = [[]]
    size = base
    for action in actions:
        cost = len(action) + 3  # quotes and a comma
        if chunks[-1] and size + cost > POLICY_CHARACTERS:
            chunks.append([])
            size = base
        chunks[-1].append(action)
        size += cost
    if len(chunks) > MAX_POLICIES:
        raise ValueError(f"{len(actions)} actions need more than {MAX_POLICIES} managed policies")
    return chunks


def member_role_template(actions: Sequence[str] | None = None) -> dict[str, Any]:
    """A CloudFormation template (as a dict) for the member accounts' read-only role:
    the least-privilege policy (split into managed policies under AWS's size limit),
    trusted by the management account given as a parameter, with an optional
    external id. It names no account of its own, so one StackSet deploys it to every
    account of an organization or OU."""
    actions = check_actions() if actions is None else sorted(actions)
    chunks = _chunks(actions)
    policies = {
        f"ReadOnlyPolicy{n}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "Description": f"srm-tui read-only checks, part {n} of {len(chunks)}",
                "Roles": [{"Ref": "ReadOnlyRole"}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": f"SrmTuiReadOnly{n}",
                            "Effect": "Allow",
                            "Action": chunk,
                            "Resource": "*",
                        }
                    ],
                },
            },
        }
        for n, chunk in enumerate(chunks, 1)
    }
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${ManagementAccountId}:root"}},
        "Action": "sts:AssumeRole",
        "Condition": {
            "Fn::If": [
                "HasExternalId",
                {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
                {"Ref": "AWS::NoValue"},
            ]
        },
    }
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": {"Ref": "RoleName"},
            "Description": "Read-only access for srm-tui's Shared Responsibility review",
            "MaxSessionDuration": 3600,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
        },
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            "srm-tui: a read-only role for the Shared Responsibility review, assumed from the "
            "management account (deploy to every member account with a StackSet; scan with "
            "'srm-tui scan FILE --organization --role-name ROLE')."
        ),
        "Parameters": {
            "ManagementAccountId": {
                "Type": "String",
                "AllowedPattern": "^[0-9]{12}$",
                "Description": "The account srm-tui runs from (the management account or a "
                "delegated administrator); its principals may assume the role.",
            },
            "RoleName": {
                "Type": "String",
                "Default": TEMPLATE_ROLE,
                "AllowedPattern": "^[A-Za-z0-9+=,.@_-]{1,64}$",
                "Description": "The role's name: give it to srm-tui as --role-name.",
            },
            "ExternalId": {
                "Type": "String",
                "Default": "",
                "NoEcho": True,
                "Description": "Optional: the role then requires this external id "
                "(give it to srm-tui as --external-id).",
            },
        },
        "Conditions": {"HasExternalId": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExternalId"}, ""]}]}},
        "Resources": {"ReadOnlyRole": role, **policies},
        "Outputs": {
            "RoleArn": {
                "Description": "The role srm-tui assumes in this account",
                "Value": {"Fn::GetAtt": ["ReadOnlyRole", "Arn"]},
            }
        },
    }


def template_text(actions: Sequence[str] | None = None) -> str:
    """The template as JSON text (which CloudFormation, and any YAML reader, accepts)."""
    return json.dumps(member_role_template(actions), indent=2) + "\n"
