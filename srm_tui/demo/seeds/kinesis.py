"""Demo seed: Kinesis data streams, one encrypted and kept a week, one neither."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``clickstream-N`` (KMS encryption, 168 hours) and
    ``debug-N`` (unencrypted, the default 24 hours)."""
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("kinesis", region_name=region)
        for n in range(scale):
            client.create_stream(StreamName=f"clickstream-{n}", ShardCount=1)
            client.start_stream_encryption(
                StreamName=f"clickstream-{n}", EncryptionType="KMS", KeyId="alias/aws/kinesis"
            )
            client.increase_stream_retention_period(
                StreamName=f"clickstream-{n}", RetentionPeriodHours=168
            )
            client.create_stream(StreamName=f"debug-{n}", ShardCount=1)
