"""The checks srm-tui runs: an explicit list of check modules, gathered once by id.
Adding a check module means adding it here (and its texts in
``srm_tui/catalog/checks/``)."""

from __future__ import annotations

from srm_tui.checks import (
    accessanalyzer,
    account,
    acm,
    apigateway,
    athena,
    autoscaling,
    backup,
    cloudfront,
    cloudtrail,
    cloudwatch,
    codebuild,
    config,
    docdb,
    dynamodb,
    ec2,
    ec2_launch,
    ecr,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    eventbridge,
    guardduty,
    iam,
    kinesis,
    kms,
    lambda_fn,
    macie,
    neptune,
    networkfirewall,
    opensearch,
    rds,
    rds_clusters,
    rds_events,
    redshift,
    s3,
    secretsmanager,
    securityhub,
    sns,
    sqs,
    ssm,
    stepfunctions,
    vpc,
    waf,
)
from srm_tui.checks.context import gather

MODULES = (
    accessanalyzer, account, cloudfront, cloudtrail, cloudwatch, config, dynamodb, ec2, ecr,
    ecs, efs, eks, elb, guardduty, iam, kms, lambda_fn, macie, rds, s3, secretsmanager,
    securityhub, ssm,
    docdb, neptune, rds_clusters, rds_events, redshift,
)  # fmt: skip
MODULES += (
    apigateway, athena, codebuild, eventbridge, kinesis, opensearch, sns, sqs, stepfunctions,
    waf,
    acm, autoscaling, ec2_launch, networkfirewall, vpc,
)  # fmt: skip
MODULES += (backup, elasticache)

FUNCTIONS = gather(MODULES)
