"""The checks srm-tui runs: an explicit list of check modules, gathered once by id.
Adding a check module means adding it here (and its texts in
``srm_tui/catalog/checks/``)."""

from __future__ import annotations

from srm_tui.checks import (
    accessanalyzer,
    account,
    backup,
    cloudfront,
    cloudtrail,
    cloudwatch,
    config,
    dynamodb,
    ec2,
    ecr,
    ecs,
    efs,
    eks,
    elasticache,
    elb,
    guardduty,
    iam,
    kms,
    lambda_fn,
    macie,
    rds,
    s3,
    secretsmanager,
    securityhub,
    ssm,
)
from srm_tui.checks.context import gather

MODULES = (
    accessanalyzer, account, cloudfront, cloudtrail, cloudwatch, config, dynamodb, ec2, ecr,
    ecs, efs, eks, elb, guardduty, iam, kms, lambda_fn, macie, rds, s3, secretsmanager,
    securityhub, ssm,
)  # fmt: skip
MODULES += (backup, elasticache)

FUNCTIONS = gather(MODULES)
