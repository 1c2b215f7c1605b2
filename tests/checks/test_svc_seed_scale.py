"""The demo seeds grow with ``scale`` (the benchmarks use it)."""

from __future__ import annotations

import boto3
from moto import mock_aws

from tests.checks.engine_helpers import REGIONS


def test_seeds_scale_for_benchmarks():
    from srm_tui.demo.seeds import ecr, lambda_fn, rds

    with mock_aws():
        session = boto3.Session(
            region_name=REGIONS[0], aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        for module in (lambda_fn, ecr, rds):
            module.seed(session, list(REGIONS), scale=3)
        region = REGIONS[1]
        functions = session.client("lambda", region_name=region).list_functions()["Functions"]
        repos = session.client("ecr", region_name=region).describe_repositories()["repositories"]
        dbs = session.client("rds", region_name=region).describe_db_instances()["DBInstances"]
    assert (len(functions), len(repos), len(dbs)) == (6, 6, 6)
