"""Demo seed: Athena work groups, one publishing its metrics to CloudWatch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``analytics-N`` publishes query metrics, ``adhoc-N``
    does not (nor does the emulator's ``primary`` work group)."""
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("athena", region_name=region)
        for n in range(scale):
            for name, metrics in ((f"analytics-{n}", True), (f"adhoc-{n}", False)):
                client.create_work_group(
                    Name=name, Configuration={"PublishCloudWatchMetricsEnabled": metrics}
                )
