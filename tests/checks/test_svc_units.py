"""Service checks over hand-made collected data: the edge cases the demo does not show."""

from __future__ import annotations

from datetime import date

import pytest

from srm_tui.aws.collect import envvars
from srm_tui.checks.lambda_fn import deprecated_since
from srm_tui.checks.resource_policy import public_statements, service_statements_without_source
from srm_tui.checks.secret_names import name_suggests_secret, suspicious
from srm_tui.model import Status
from tests.checks.engine_helpers import by_suffix, checks, run

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"


def _policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(principal, condition=None, **extra):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "x:Y", "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    statement.update(extra)
    return statement


# --- resource policies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "public"),
    [
        (_allow("*"), True),
        (_allow({"AWS": "*"}), True),
        (_allow({"AWS": ["arn:aws:iam::111122223333:root", "*"]}), True),
        (_allow({"AWS": "arn:aws:iam::111122223333:root"}), False),
        (_allow("*", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}), False),
        (_allow("*", {"StringEquals": {"AWS:SourceAccount": "111122223333"}}), False),
        (_allow("*", {"StringEquals": {"kms:CallerAccount": "111122223333"}}), False),
        (_allow("*", {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}), True),
        (_allow("*", {"StringLike": {"aws:PrincipalOrgID": "*"}}), True),
        (_allow("*", {"Bool": {"aws:SecureTransport": "true"}}), True),
        ({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}, False),
        ({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "*"}, True),
    ],
)
def test_public_statements(statement, public):
    assert bool(public_statements(_policy(statement))) is public


def test_public_statements_tolerates_odd_documents():
    assert public_statements(None) == []
    assert public_statements({"Statement": _allow("*")}) != []  # a single statement, not a list
    assert public_statements({"Statement": ["junk", 3]}) == []


def test_service_grant_needs_a_source_account():
    s3 = {"Service": "s3.amazonaws.com"}
    loose = _policy(_allow(s3, {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}))
    tight = _policy(_allow(s3, {"StringEquals": {"AWS:SourceAccount": "111122223333"}}))
    other = _policy(_allow({"Service": "sns.amazonaws.com"}))
    assert service_statements_without_source(loose, ["s3.amazonaws.com"])
    assert not service_statements_without_source(tight, ["s3.amazonaws.com"])
    assert not service_statements_without_source(other, ["s3.amazonaws.com"])


# --- environment variables -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("dbPassword", True),
        ("stripe-api-key", True),
        ("GITHUB_TOKEN", True),
        ("CLIENT_SECRET", True),
        ("AWS_ACCESS_KEY_ID", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("ECS_ENGINE_AUTH_DATA", True),
        ("DB_PASSWORD_SECRET_ARN", False),
        ("TOKEN_URL", False),
        ("SECRET_NAME", False),
        ("KMS_KEY_ID", False),
        ("PARTITION_KEY", False),
        ("PASSENGER_COUNT", False),
        ("LOG_LEVEL", False),
    ],
)
def test_name_suggests_secret(name, secret):
    assert name_suggests_secret(name) is secret


def test_envvars_keep_no_value():
    described = envvars.describe(
        {
            "HOME_URL": "https://example.com",
            "SETTINGS": "AKIAIOSFODNN7EXAMPLE",
            "DATABASE_URL": "postgres://app:s3cr3t-value@db.internal:5432/app",
            "API_KEY": "arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf",
        }
    )
    assert "s3cr3t-value" not in repr(described)
    assert "AKIAIOSFODNN7EXAMPLE" not in repr(described)
    assert all(set(d) == {"name", "credential_value", "reference_value"} for d in described)
    found = suspicious(described)
    assert found == [
        "SETTINGS (value shaped like a credential)",
        "DATABASE_URL (value shaped like a credential)",
    ]


# --- Lambda --------------------------------------------------------------------------


def test_deprecated_since_depends_on_the_day():
    assert deprecated_since("python3.9", date(2025, 12, 14)) is None
    assert deprecated_since("python3.9", date(2025, 12, 15)) == date(2025, 12, 15)
    assert deprecated_since("python3.13", date(2026, 11, 28)) is None
    assert deprecated_since("someday-runtime", date(2030, 1, 1)) is None


def _function(name, runtime="python3.13", role="arn:aws:iam::123456789012:role/r", env=()):
    return {
        "name": name,
        "arn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        "runtime": runtime,
        "package_type": "Zip" if runtime else "Image",
        "role": role,
        "environment": envvars.describe(dict(env)),
    }


def test_container_image_functions_have_no_runtime_to_judge():
    data = {"lambda.functions": [_function("img", runtime=""), _function("old", "nodejs16.x")]}
    findings = run("lambda.deprecated_runtime", data)
    assert by_suffix(findings, ":img").status is Status.NOT_APPLICABLE
    old = by_suffix(findings, ":old")
    assert old.status is Status.FAIL and "2024-06-12" in old.detail


def test_admin_execution_roles():
    role = "arn:aws:iam::123456789012:role/{}"
    data = {
        "lambda.functions": [
            _function("managed", role=role.format("managed")),
            _function("custom", role=role.format("custom")),
            _function("conditioned", role=role.format("conditioned")),
            _function("gone", role=role.format("gone")),
            # Roles are judged once each: functions sharing one get its verdict.
            _function("managed-too", role=role.format("managed")),
            _function("conditioned-too", role=role.format("conditioned")),
        ],
        "lambda.execution_roles": {
            role.format("managed"): {
                "exists": True,
                "managed": [
                    {
                        "arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                        "name": "AdministratorAccess",
                        "document": None,
                    }
                ],
                "inline": [],
            },
            role.format("custom"): {
                "exists": True,
                "managed": [
                    {
                        "arn": "arn:aws:iam::123456789012:policy/everything",
                        "name": "everything",
                        "document": _policy(
                            {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}
                        ),
                    }
                ],
                "inline": [],
            },
            role.format("conditioned"): {
                "exists": True,
                "managed": [],
                "inline": [
                    {
                        "name": "ip-bound",
                        "document": _policy(
                            {
                                "Effect": "Allow",
                                "Action": "*",
                                "Resource": "*",
                                "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
                            },
                            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                        ),
                    }
                ],
            },
            role.format("gone"): {"exists": False, "managed": [], "inline": []},
        },
    }
    findings = run("lambda.admin_execution_role", data)
    assert by_suffix(findings, ":managed").status is Status.FAIL
    assert "everything" in by_suffix(findings, ":custom").detail
    assert by_suffix(findings, ":conditioned").status is Status.PASS
    assert by_suffix(findings, ":gone").status is Status.NOT_APPLICABLE
    assert by_suffix(findings, ":managed-too").status is Status.FAIL
    assert by_suffix(findings, ":conditioned-too").status is Status.PASS


def test_lambda_policy_s3_trigger_without_source_account_fails():
    s3 = {"Service": "s3.amazonaws.com"}
    data = {
        "lambda.policies": {
            ARN + "1": _policy(_allow(s3, {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}})),
            ARN + "2": None,
        }
    }
    findings = run("lambda.public_policy", data)
    assert by_suffix(findings, ":f1").status is Status.FAIL
    assert by_suffix(findings, ":f2").status is Status.PASS


# --- KMS, ECR, EKS, ECS, RDS, Secrets Manager ----------------------------------------


def _key(key_id, manager="CUSTOMER", rotation=None, state="Enabled", policy=None):
    return {
        "id": key_id,
        "arn": f"arn:aws:kms:us-east-1:123456789012:key/{key_id}",
        "manager": manager,
        "state": state,
        "spec": "SYMMETRIC_DEFAULT",
        "origin": "AWS_KMS",
        "rotation": rotation,
        "policy": policy,
    }


def test_kms_skips_aws_managed_keys_and_explains_inapplicable_ones():
    data = {
        "kms.keys": [
            _key("aws", manager="AWS", rotation=None),
            _key("off", state="Disabled", policy=_policy(_allow({"AWS": "arn:aws:iam::1:root"}))),
        ]
    }
    rotation = run("kms.key_rotation", data)
    assert [f.status for f in rotation] == [Status.NOT_APPLICABLE]
    assert "Disabled" in rotation[0].detail
    assert [f.status for f in run("kms.key_policy_public", data)] == [Status.PASS]


def _repo(name, scan_on_push=False):
    return {
        "name": name,
        "arn": f"arn:aws:ecr:us-east-1:123456789012:repository/{name}",
        "scan_on_push": scan_on_push,
        "tag_mutability": "MUTABLE",
        "lifecycle_policy": None,
        "policy": None,
    }


def test_ecr_registry_rules_decide_scanning():
    repos = [_repo("shop/web"), _repo("tools/ci", scan_on_push=True)]
    enhanced = {
        "scan_type": "ENHANCED",
        "rules": [{"frequency": "CONTINUOUS_SCAN", "filters": ["shop/*"]}],
    }
    basic = {"scan_type": "BASIC", "rules": [{"frequency": "SCAN_ON_PUSH", "filters": ["*"]}]}
    with_enhanced = run(
        "ecr.scan_on_push", {"ecr.repositories": repos, "ecr.registry_scanning": enhanced}
    )
    assert by_suffix(with_enhanced, "shop/web").status is Status.PASS
    # Under enhanced scanning the repository's own flag is ignored by ECR.
    assert by_suffix(with_enhanced, "tools/ci").status is Status.FAIL
    with_basic = run(
        "ecr.scan_on_push", {"ecr.repositories": repos, "ecr.registry_scanning": basic}
    )
    assert {f.status for f in with_basic} == {Status.PASS}


def test_eks_public_endpoint_limited_to_cidrs_still_fails():
    cluster = {
        "name": "c",
        "arn": "arn:aws:eks:us-east-1:123456789012:cluster/c",
        "public_endpoint": True,
        "private_endpoint": True,
        "public_cidrs": ["203.0.113.0/24"],
        "encrypted_resources": [],
        "logging": ["api", "audit"],
    }
    (endpoint,) = run("eks.public_endpoint", {"eks.clusters": [cluster]})
    assert endpoint.status is Status.FAIL and "203.0.113.0/24" in endpoint.detail
    (logs,) = run("eks.control_plane_logging", {"eks.clusters": [cluster]})
    assert logs.status is Status.PASS and "authenticator" in logs.detail


def _task(network_mode, *containers):
    return {
        "family": "t",
        "arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/t:3",
        "revision": 3,
        "network_mode": network_mode,
        "containers": [
            {"name": n, "privileged": p, "user": u, "environment": [], "secrets": []}
            for n, p, u in containers
        ],
    }


@pytest.mark.parametrize(
    ("user", "privileged", "expected"),
    [
        ("", None, Status.FAIL),
        ("root", False, Status.FAIL),
        ("0:0", False, Status.FAIL),
        ("1000:1000", False, Status.PASS),
        ("", True, Status.PASS),  # ECS.1 leaves privileged containers to ECS.4
    ],
)
def test_ecs_host_network_user(user, privileged, expected):
    (finding,) = run(
        "ecs.host_network_user", {"ecs.task_definitions": [_task("host", ("c", privileged, user))]}
    )
    assert finding.status is expected


def _db(**changes):
    db = {
        "id": "db",
        "arn": "arn:aws:rds:us-east-1:123456789012:db:db",
        "engine": "aurora-postgresql",
        "cluster": "",
        "encrypted": True,
        "public": False,
        "multi_az": False,
        "auto_minor_upgrade": True,
        "backup_retention": 0,
        "read_replica_of": "",
        "deletion_protection": False,
    }
    db.update(changes)
    return db


def test_rds_cluster_members_and_replicas():
    member = run("rds.multi_az", {"rds.instances": [_db(cluster="orders")]})
    assert member[0].status is Status.NOT_APPLICABLE
    replica = run("rds.backup_retention", {"rds.instances": [_db(read_replica_of="src")]})
    assert replica[0].status is Status.NOT_APPLICABLE
    (off,) = run("rds.backup_retention", {"rds.instances": [_db()]})
    assert off.status is Status.FAIL and "disabled" in off.detail
    (member,) = run("rds.deletion_protection", {"rds.instances": [_db(cluster="orders")]})
    assert member.status is Status.NOT_APPLICABLE


def test_secrets_managed_by_another_service_are_judged_like_any_other():
    # The Config rule behind SecretsManager.1 names no exception for managed secrets.
    secret = {
        "name": "rds!db-1",
        "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf",
        "rotation": False,
        "rotation_days": None,
        "last_rotated": "",
        "owning_service": "rds",
    }
    (finding,) = run("secretsmanager.rotation", {"secretsmanager.secrets": [secret]})
    assert finding.status is Status.FAIL and "managed by rds" in finding.detail
    rotated = {**secret, "rotation": True, "rotation_days": 7}
    (finding,) = run("secretsmanager.rotation", {"secretsmanager.secrets": [rotated]})
    assert finding.status is Status.PASS


def test_dynamodb_point_in_time_recovery():
    tables = [
        {"name": "a", "arn": "arn:aws:dynamodb:us-east-1:123456789012:table/a", "pitr": "ENABLED"},
        {"name": "b", "arn": "arn:aws:dynamodb:us-east-1:123456789012:table/b", "pitr": "DISABLED"},
    ]
    findings = run("dynamodb.point_in_time_recovery", {"dynamodb.tables": tables})
    assert by_suffix(findings, "table/a").status is Status.PASS
    assert by_suffix(findings, "table/b").status is Status.FAIL


# --- metadata ------------------------------------------------------------------------

SERVICE_PREFIXES = (
    "guardduty.", "securityhub.", "accessanalyzer.", "macie.", "kms.", "lambda.", "ecr.",
    "ecs.", "eks.", "rds.", "efs.", "ssm.", "secretsmanager.", "dynamodb.", "elb.",
    "cloudfront.",
)  # fmt: skip


def test_service_check_metadata_is_complete_and_real():
    from srm_tui.catalog.frameworks import is_known

    own = {cid: c for cid, c in checks().items() if cid.startswith(SERVICE_PREFIXES)}
    assert len(own) >= 36
    for cid, found in own.items():
        meta = found.meta
        assert "https://docs.aws.amazon.com/" in meta.remediation, cid
        assert meta.frameworks, cid
        for key, ids in meta.frameworks.items():
            for ident in ids:
                assert is_known(key, ident), (cid, key, ident)
        assert meta.api_calls, cid
        # Read-only: every action lists, describes or gets.
        for action in meta.api_calls:
            verb = action.split(":", 1)[1]
            assert verb.startswith(("List", "Describe", "Get")), (cid, action)
