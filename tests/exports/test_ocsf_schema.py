"""report --format ocsf read against the OCSF 1.5 schema itself (not only py-ocsf-models,
which accepts any integer or string): the units of its timestamps, what its enum values
mean, and finding ids that stay the same when the review is exported again."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from srm_tui.report import ocsf


def _events(report):
    return json.loads(ocsf.render(report))


def test_times_are_milliseconds_since_the_epoch(trusted_report):
    """OCSF's ``timestamp_t`` is "the number of milliseconds since the Epoch"
    (dictionary.json, types): seconds would put every finding in January 1970."""
    a = trusted_report.assessment
    events = _events(trusted_report)
    scanned = a.scan.finished or a.updated
    finding = next(e for e in events if e["compliance"]["control"] == "iam.root_mfa")
    assert finding["time"] == int(scanned.timestamp() * 1000)
    answer = a.answers["s_ir_plan"]
    plan = next(e for e in events if e["compliance"]["control"] == "s_ir_plan")
    assert plan["time"] == int((answer.attested or answer.answered or a.updated).timestamp() * 1000)
    for event in events:
        assert datetime.fromtimestamp(event["time"] / 1000, UTC).year >= 2020
