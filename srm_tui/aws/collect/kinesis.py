"""Kinesis Data Streams: encryption and retention of each stream."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


@collector(
    "kinesis.streams",
    service="kinesis",
    api_calls=("kinesis:ListStreams", "kinesis:DescribeStreamSummary"),
    in_use=bool,
)
def streams(api: Api, region: str) -> list[dict[str, Any]]:
    """Each stream: name, ARN, encryption type (NONE or KMS) and retention in hours;
    ``summary`` is Unreadable when AWS refused to describe the stream."""

    def one(name: str) -> dict[str, Any]:
        arn = f"arn:{api.partition}:kinesis:{region}:{api.account_id}:stream/{name}"
        answer = api.detail("kinesis", None, "describe_stream_summary", StreamName=name)
        if isinstance(answer, Unreadable):
            return {"name": name, "arn": arn, "summary": answer}
        summary = answer.get("StreamDescriptionSummary") or {}
        return {
            "name": name,
            "arn": summary.get("StreamARN", arn),
            "encryption": str(summary.get("EncryptionType") or "NONE"),
            "retention_hours": int(summary.get("RetentionPeriodHours") or 0),
        }

    names = api.pages("kinesis", None, "list_streams", "StreamNames")
    return api.each(one, names)
