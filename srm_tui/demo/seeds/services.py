"""The demo seeds of the detection, data, container, serverless and secret services,
in one call.

Each seed takes ``session`` (anything with ``client(service, region_name=...)``
pointed at the emulator), the demo's regions (the first two are used for "on here,
off there" settings) and ``scale`` (copies of each resource, for benchmarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds import (
    acm,
    apigateway,
    athena,
    autoscaling,
    backup,
    cloudfront,
    codebuild,
    dynamodb,
    ecr,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    eventbridge,
    guardduty,
    kinesis,
    kms,
    lambda_fn,
    macie,
    networkfirewall,
    opensearch,
    rds,
    rds_clusters,
    rds_engines,
    redshift,
    secretsmanager,
    securityhub,
    sns_sqs,
    ssm,
    stepfunctions,
    waf,
)

SEEDS = (
    guardduty,
    securityhub,
    macie,
    kms,
    lambda_fn,
    ecr,
    ecs,
    eks,
    rds,
    efs,
    secretsmanager,
    dynamodb,
    elb,
    cloudfront,
    rds_engines,
    rds_clusters,
    redshift,
)
SEEDS += (
    apigateway,
    athena,
    codebuild,
    eventbridge,
    kinesis,
    opensearch,
    sns_sqs,
    stepfunctions,
    waf,
    acm,
    autoscaling,
    networkfirewall,
)
SEEDS += (ssm, elasticache, backup)


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Run every seed of these services."""
    for module in SEEDS:
        module.seed(session, regions, scale)
