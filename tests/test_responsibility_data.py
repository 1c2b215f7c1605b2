"""The responsibility data: every service a check covers has a service model and a
layer, so the wizard's matrix and the reports place every check somewhere."""

from __future__ import annotations

from srm_tui import checklist, scan
from srm_tui.aws.collect.index import COLLECTORS
from srm_tui.catalog import responsibility


def _in_use_services() -> set[str]:
    """The service names a scan can record as in use (``scope.services``)."""
    return {
        scan._IN_USE.get(c.name, c.service)
        for c in COLLECTORS.values()
        if c.in_use is not None or c.name in scan._IN_USE
    }


def test_every_service_a_check_covers_has_a_layer_and_a_model() -> None:
    matrix = responsibility.load()
    services = {meta.service for meta in checklist.load().metas()}
    assert services - set(matrix.services) == set()
    without_model = {
        s for s in services if not any(matrix.counts_in(s, model) for model in matrix.models)
    }
    assert without_model == set()


def test_every_service_found_in_use_selects_a_model_or_concerns_them_all() -> None:
    matrix = responsibility.load()
    for service in _in_use_services():
        chosen = matrix.in_use((service,)).models
        every = matrix.services.get(service)
        assert (every is not None and every.every_model) or all(
            service in m.services for m in chosen
        ), service


def test_the_new_services_have_their_columns() -> None:
    matrix = responsibility.load()
    for service, title in [
        ("redshift", "Redshift"), ("docdb", "DocumentDB"), ("neptune", "Neptune"),
        ("elasticache", "ElastiCache"), ("sns", "SNS"), ("sqs", "SQS"),
        ("apigateway", "API Gateway"), ("opensearch", "OpenSearch"),
        ("codebuild", "CodeBuild"), ("stepfunctions", "Step Functions"),
        ("athena", "Athena"), ("kinesis", "Kinesis"), ("networkfirewall", "Network Firewall"),
        ("waf", "WAF"), ("cloudfront", "CloudFront"), ("eventbridge", "EventBridge"),
    ]:  # fmt: skip
        (model, *_) = matrix.in_use((service,)).models
        assert title in model.title, service


def test_a_check_is_placed_by_the_words_of_its_id_then_by_its_service() -> None:
    matrix = responsibility.load()
    assert matrix.layer_of("s3.bucket_versioning", "s3") == "backups"
    assert matrix.layer_of("kms.key_rotation", "kms") == "encryption"
    assert matrix.layer_of("waf.rule_groups_have_rules", "waf") == "network_config"
    assert matrix.layer_of("athena.workgroup_something", "athena") == "data"
    assert matrix.layer_of("unknown.thing", "unknown") == "application"
    # A service for every model counts in each column; another only in its own.
    ec2, s3 = (m for m in matrix.models if m.id in ("ec2", "s3"))
    assert matrix.counts_in("iam", ec2) and matrix.counts_in("iam", s3)
    assert matrix.counts_in("ssm", ec2) and not matrix.counts_in("ssm", s3)
