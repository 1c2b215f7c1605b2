"""The service checks against the emulated demo account (moto in-process).

The seeds promise that every check has a passing and a failing resource across the two
demo regions; collectors of operations the emulator lacks must raise (so the engine
reports an error) rather than yield a pass or a fail.
"""

from __future__ import annotations

import contextlib
import json

import boto3
import pytest
from moto import mock_aws

from srm_tui.aws.errors import CollectError
from srm_tui.collected import Unreadable
from srm_tui.demo.seeds import codebuild as codebuild_seed
from srm_tui.demo.seeds import ecs as ecs_seed
from srm_tui.demo.seeds import lambda_fn as lambda_seed
from srm_tui.demo.seeds import opensearch as opensearch_seed
from srm_tui.demo.seeds import secretsmanager as secrets_seed
from srm_tui.demo.seeds import services
from srm_tui.model import Status
from tests.checks.engine_helpers import REGIONS, checks, engine_api, run

# Checks whose collectors the emulator cannot serve (see docs/moto-services.md).
UNSUPPORTED = {
    "accessanalyzer.enabled": "accessanalyzer.analyzers",
    "securityhub.standards_enabled": "securityhub.standards",
    "ssm.instances_managed": "ssm.instance_information",
    "ssm.patch_compliance": "ssm.instance_information",
    "ssm.association_compliance": "ssm.instance_information",
    "ssm.automation_logging": "ssm.service_settings",
    "ssm.document_public_sharing_blocked": "ssm.service_settings",
    "macie.automated_discovery": "macie.automated_discovery",
    "backup.recovery_points_encrypted": "backup.recovery_points",
    "codebuild.report_export_encrypted": "codebuild.report_groups",
    "waf.classic_global_logging": "waf.classic_global",
    "waf.classic_global_rule_conditions": "waf.classic_global",
    "waf.classic_global_rule_group_rules": "waf.classic_global",
    "waf.classic_global_web_acl_rules": "waf.classic_global",
    "waf.classic_regional_rule_conditions": "waf.classic_regional",
    "waf.classic_regional_rule_group_rules": "waf.classic_regional",
    "waf.classic_regional_web_acl_rules": "waf.classic_regional",
    "networkfirewall.policy_rule_groups": "networkfirewall.policies",
    "networkfirewall.stateless_default_full": "networkfirewall.policies",
    "networkfirewall.stateless_default_fragmented": "networkfirewall.policies",
    "networkfirewall.stateless_rule_group_not_empty": "networkfirewall.stateless_rule_groups",
}
# Checks whose passing (or failing) side the emulator cannot show: the status it
# always gives, and why.
ONE_SIDED = {
    # moto drops a stage's clientCertificateId.
    "apigateway.backend_certificate": Status.FAIL,
    # moto reports no ServiceSoftwareOptions: the check cannot tell.
    "opensearch.software_update": Status.ERROR,
}
# Checks whose passing side the emulator cannot show: it cannot change a Redshift
# parameter group, record a Redshift cluster as Multi-AZ, set an EFS backup policy, turn
# on IAM authentication for a Neptune cluster or assign resources to a backup plan (so
# the demo has no plan). Their failing side is asserted.
FAIL_ONLY = {
    "redshift.tls", "redshift.multi_az", "efs.automatic_backups", "neptune.iam_authentication",
    "efs.in_backup_plan",
    # CloudFront's emulator drops OriginAccessControlId from the configuration it keeps.
    "cloudfront.s3_origin_access_control", "cloudfront.lambda_url_origin_access_control",
}  # fmt: skip
# Checks whose failing side the emulator cannot show: everything it makes is new, so no
# rotation is overdue and no secret is old. Their passing side is asserted.
PASS_ONLY = {
    "secretsmanager.rotation_succeeds", "secretsmanager.unused", "secretsmanager.rotated_recently",
}  # fmt: skip
# Replication group members are missing from DescribeCacheClusters: their engine versions
# are unknown, so ElastiCache.6 is not applicable anywhere in the demo.
ONLY_NOT_APPLICABLE = {"elasticache.redis_auth"}
# The emulator cannot create DocumentDB clusters: these checks find nothing to judge.
NOTHING_TO_JUDGE = ("docdb.",)
SERVICES = (
    "guardduty.",
    "securityhub.",
    "accessanalyzer.",
    "macie.",
    "kms.",
    "lambda.",
    "ecr.",
    "ecs.",
    "eks.",
    "rds.",
    "efs.",
    "ssm.",
    "secretsmanager.",
    "dynamodb.",
    "elb.",
    "cloudfront.",
    "elasticache.",
    "backup.",
    "apigateway.",
    "athena.",
    "codebuild.",
    "eventbridge.",
    "kinesis.",
    "opensearch.",
    "sns.",
    "sqs.",
    "stepfunctions.",
    "waf.",
    "redshift.",
    "neptune.",
    "docdb.",
    "acm.",
    "autoscaling.",
    "networkfirewall.",
)
OWN_CHECKS = sorted(c for c in checks() if c.startswith(SERVICES))


def _regions(check_id: str) -> tuple[str, ...]:
    # A global check runs once; its collectors were run from the first region.
    return REGIONS if checks()[check_id].meta.scope == "regional" else REGIONS[:1]


def _run(check_id: str, collected: dict, region: str) -> list:
    """The check's findings for ``region``, as the engine evaluates it: a global check
    once, seeing every region's data (WAF reads each region's web ACLs) and the global
    collectors' under "global"."""
    needs = checks()[check_id].needs
    if checks()[check_id].meta.scope == "regional":
        return run(check_id, {n: collected[region][n] for n in needs}, region)
    data: dict = {(n, r): collected[r][n] for n in needs for r in REGIONS}
    data |= {(n, "global"): collected[REGIONS[0]][n] for n in needs if _is_global(n)}
    return run(check_id, data, "global", regions=REGIONS)


def _is_global(collector: str) -> bool:
    from srm_tui.aws.collect.index import COLLECTORS

    return COLLECTORS[collector].scope == "global"


@pytest.fixture(scope="module")
def demo():
    """The seeded account: (session, {region: {collector: data or CollectError}}),
    collected through the scan engine's own Api (memoised, errors classified)."""
    with mock_aws():
        session = boto3.Session(
            region_name=REGIONS[0], aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        services.seed(session, list(REGIONS))
        names = {n for c in OWN_CHECKS for n in checks()[c].needs}
        collected: dict[str, dict[str, object]] = {}
        for region in REGIONS:
            api = engine_api(region)
            collected[region] = {}
            for name in sorted(names):
                try:
                    collected[region][name] = api.data(name, region)
                except CollectError as error:  # the emulator lacks some operations
                    collected[region][name] = error
        yield session, collected


def test_every_supported_check_passes_and_fails_somewhere(demo):
    _, collected = demo
    for check_id in OWN_CHECKS:
        if check_id in UNSUPPORTED:
            continue
        found = []
        for region in _regions(check_id):
            data = {n: collected[region][n] for n in checks()[check_id].needs}
            failed = [n for n, v in data.items() if isinstance(v, BaseException)]
            assert not failed, (check_id, region, failed, [data[n] for n in failed])
            found += _run(check_id, collected, region)
        kinds = {f.status for f in found}
        if check_id in ONE_SIDED:
            assert kinds == {ONE_SIDED[check_id]}, (check_id, found)
            continue
        if check_id.startswith(NOTHING_TO_JUDGE):
            assert found == [], (check_id, found)
            continue
        if check_id in ONLY_NOT_APPLICABLE:
            assert kinds == {Status.NOT_APPLICABLE}, (check_id, found)
            continue
        wanted = {Status.FAIL} if check_id in FAIL_ONLY else {Status.PASS, Status.FAIL}
        wanted = {Status.PASS} if check_id in PASS_ONLY else wanted
        assert wanted <= kinds, (check_id, found)
        assert all(f.resource.startswith("arn:aws:") for f in found), check_id


# Macie's automated discovery is read only where Macie is on (the second demo region).
ONLY_WHERE_USED = {"macie.automated_discovery": REGIONS[1]}
# A vault whose recovery points cannot be listed is that vault's error, not the region's.
PER_RESOURCE = {"backup.recovery_points"}


def test_collectors_the_emulator_lacks_raise(demo):
    _, collected = demo
    for name in set(UNSUPPORTED.values()) - PER_RESOURCE:
        for region in REGIONS:
            error = collected[region][name]
            if name in ONLY_WHERE_USED and region != ONLY_WHERE_USED[name]:
                assert not error, (name, region, error)  # nothing there to read
                continue
            assert isinstance(error, CollectError), (name, region, error)
            # A global collector's reason names no region: it ran once, account-wide.
            assert _is_global(name) or region in error.reason


def test_a_vault_the_emulator_cannot_list_is_an_error_for_that_vault(demo):
    _, collected = demo
    (vault,) = collected[REGIONS[0]]["backup.recovery_points"]
    assert isinstance(vault["points"], Unreadable)
    assert "backup:ListRecoveryPointsByBackupVault" in vault["points"].reason
    findings = run("backup.recovery_points_encrypted", collected[REGIONS[0]], REGIONS[0])
    assert [f.status for f in findings] == [Status.ERROR]
    assert collected[REGIONS[1]]["backup.recovery_points"] == []


def test_regional_settings_differ_between_regions(demo):
    _, collected = demo
    first = {
        c: [f.status for f in run(c, collected[REGIONS[0]], REGIONS[0])]
        for c in ("guardduty.enabled", "securityhub.enabled", "macie.enabled")
    }
    second = {c: [f.status for f in run(c, collected[REGIONS[1]], REGIONS[1])] for c in first}
    assert first == {
        "guardduty.enabled": [Status.PASS],
        "securityhub.enabled": [Status.PASS],
        "macie.enabled": [Status.FAIL],
    }
    assert second == {
        "guardduty.enabled": [Status.FAIL],
        "securityhub.enabled": [Status.FAIL],
        "macie.enabled": [Status.PASS],
    }


def test_lambda_findings_name_variables_never_values(demo):
    _, collected = demo
    findings = run("lambda.env_secrets", collected[REGIONS[0]], REGIONS[0])
    bad = next(f for f in findings if ":function:legacy-report-0" in f.resource)
    assert bad.status is Status.FAIL
    assert "DB_PASSWORD" in bad.detail and "REPORT_SETTINGS" in bad.detail
    good = next(f for f in findings if ":function:orders-api-0" in f.resource)
    assert good.status is Status.PASS  # a secret's ARN in the environment is fine


def test_no_planted_secret_value_reaches_collected_data_or_findings(demo):
    _, collected = demo
    planted = (
        *lambda_seed.PLANTED_VALUES, ecs_seed.PLANTED_VALUE, *secrets_seed.PLANTED_VALUES,
        *codebuild_seed.PLANTED_VALUES, opensearch_seed.PLANTED_VALUE,
    )  # fmt: skip
    texts = [json.dumps(collected, default=repr)]
    for check_id in OWN_CHECKS:
        if check_id in UNSUPPORTED:
            continue
        for region in _regions(check_id):
            texts += [repr(f) for f in _run(check_id, collected, region)]
    everything = "\n".join(texts)
    for value in planted:
        assert value not in everything
    # The values were really there to be found.
    session, _ = demo
    env = session.client("lambda", region_name=REGIONS[0]).get_function_configuration(
        FunctionName="legacy-report-0"
    )["Environment"]["Variables"]
    assert lambda_seed.PLANTED_VALUES[0] in env.values()


def test_cluster_snapshots_are_collected(demo):
    _, collected = demo
    snapshots = collected[REGIONS[0]]["rds.snapshots"]
    cluster = [s for s in snapshots if s["kind"] == "cluster" and "analytics-" in s["id"]]
    assert {s["type"] for s in cluster} == {"manual", "automated"}
    cluster = [s for s in cluster if s["type"] == "manual"]
    assert [s["id"] for s in cluster] == ["analytics-0-monthly"]
    assert cluster[0]["encrypted"] and cluster[0]["restore"] == []
    assert cluster[0]["arn"].startswith("arn:aws:rds:us-east-1:")


def test_collectors_call_only_listed_read_only_actions_and_each_call_once(demo):
    from srm_tui.aws.actions import is_read_only
    from srm_tui.aws.collect.index import COLLECTORS
    from srm_tui.aws.ledger import Ledger
    from srm_tui.aws.session import AwsSession

    names = sorted({n for c in OWN_CHECKS for n in checks()[c].needs} - {"ec2.instances"})
    region = REGIONS[1]
    ledger = Ledger()
    session = AwsSession(ledger=ledger)  # one session: its clients are reused
    for name in names:
        before = ledger.calls()
        # A fresh Api has an empty memo, so the collector really runs. What the
        # emulator lacks still made its (listed) call.
        api = engine_api(region, session)
        with contextlib.suppress(CollectError):
            api.data(name, region)
        actions = {call.action for call in ledger.calls() - before}
        assert actions, name
        unlisted = actions - set(COLLECTORS[name].api_calls)
        assert not unlisted, (name, unlisted)
        assert all(is_read_only(a) for a in actions), name
    # All of them through one Api: shared results are fetched once.
    ledger = Ledger()
    api = engine_api(region, AwsSession(ledger=ledger))
    for name in names:
        with contextlib.suppress(CollectError):
            api.data(name, region)
    assert ledger.repeated() == []
