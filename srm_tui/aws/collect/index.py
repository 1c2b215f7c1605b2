"""The collectors srm-tui runs: an explicit list of modules, gathered once into one
read-only table by name. Adding a collector module means adding it here."""

from __future__ import annotations

from srm_tui.aws.collect import (
    accessanalyzer,
    account,
    acm,
    apigateway,
    athena,
    autoscaling,
    backup,
    backup_plans,
    cloudfront,
    cloudtrail,
    codebuild,
    dynamodb,
    ec2,
    ec2_launch,
    ecr,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    events,
    guardduty,
    iam,
    kinesis,
    kms,
    lambda_fn,
    macie,
    monitoring,
    networkfirewall,
    opensearch,
    rds,
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
from srm_tui.aws.collectors import gather

MODULES = (
    accessanalyzer, account, cloudfront, cloudtrail, dynamodb, ec2, ecr, ecs, efs, eks, elb,
    guardduty, iam, kms, lambda_fn, macie, monitoring, rds, s3, secretsmanager, securityhub, ssm,
    backup_plans, redshift,
)  # fmt: skip
MODULES += (
    apigateway, athena, codebuild, events, kinesis, opensearch, sns, sqs, stepfunctions, waf,
    acm, autoscaling, ec2_launch, networkfirewall, vpc,
)  # fmt: skip
MODULES += (backup, elasticache)

COLLECTORS = gather(MODULES)
