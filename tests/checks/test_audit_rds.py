"""The RDS-family checks (RDS, Aurora, DocumentDB, Neptune) against the published
definitions of their controls: the edge cases where an account nobody here built
could get a verdict other than AWS's own."""

from __future__ import annotations

from srm_tui.model import Status
from tests.checks.engine_helpers import checks, run, statuses
from tests.checks.test_cov_data import _cluster, _db

P, F, NA, ERR = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE, Status.ERROR


def test_cloudwatch_logs_skips_instances_that_are_not_running():
    # rds-logging-enabled (RDS.9): instances not available, backing-up,
    # storage-optimization or storage-full are NOT_APPLICABLE.
    dbs = [
        _db("stopped", status="stopped", log_exports=[]),
        _db("creating", status="creating", log_exports=[]),
        _db("full", status="storage-full", log_exports=[]),
        _db("backing", status="backing-up"),
    ]
    found = run("rds.cloudwatch_logs", {"rds.instances": dbs, "rds.clusters": [_cluster()]})
    assert statuses(found) == [NA, NA, F, P]
    assert "stopped" in found[0].detail


def test_cluster_deletion_protection_has_the_controls_severity():
    # Security Hub's control reference gives RDS.7 the severity Medium (it was Low).
    assert checks()["rds.cluster_deletion_protection"].meta.severity == "medium"
