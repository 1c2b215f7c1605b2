"""Demo seed: SNS topics and SQS queues, each with a private and a public access policy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _open_to_anyone(arn: str, action: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": action,
                 "Resource": arn}
            ],
        }
    )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: topic ``orders-N`` (SNS's default policy, limited to
    the account) and ``public-alerts-N`` (anyone may subscribe); queue ``orders-N``
    (SSE-SQS, no policy) and ``inbox-N`` (unencrypted, anyone may send)."""
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        sns = session.client("sns", region_name=region)
        sqs = session.client("sqs", region_name=region)
        for n in range(scale):
            sns.create_topic(Name=f"orders-{n}")
            topic = sns.create_topic(Name=f"public-alerts-{n}")["TopicArn"]
            sns.set_topic_attributes(
                TopicArn=topic,
                AttributeName="Policy",
                AttributeValue=_open_to_anyone(topic, "sns:Subscribe"),
            )
            sqs.create_queue(QueueName=f"orders-{n}", Attributes={"SqsManagedSseEnabled": "true"})
            url = sqs.create_queue(
                QueueName=f"inbox-{n}", Attributes={"SqsManagedSseEnabled": "false"}
            )["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            sqs.set_queue_attributes(
                QueueUrl=url, Attributes={"Policy": _open_to_anyone(arn, "sqs:SendMessage")}
            )
