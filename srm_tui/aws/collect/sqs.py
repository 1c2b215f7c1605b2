"""SQS: queues with their encryption at rest and access policy."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.sns import policy_document
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

_ATTRIBUTES = ["QueueArn", "Policy", "SqsManagedSseEnabled", "KmsMasterKeyId"]
_PAGE = 1000  # ListQueues' largest page


@collector(
    "sqs.queues",
    service="sqs",
    api_calls=("sqs:ListQueues", "sqs:GetQueueAttributes"),
    in_use=bool,
)
def queues(api: Api, region: str) -> list[dict[str, Any]]:
    """Each queue: URL, ARN, SQS-managed encryption, KMS key (id or alias, "" when
    none) and access policy (None when it has none). ``attributes`` is Unreadable when
    AWS refused the queue's attributes (or the queue vanished since it was listed)."""

    def one(url: str) -> dict[str, Any]:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        arn = f"arn:{api.partition}:sqs:{region}:{api.account_id}:{name}"
        answer = api.detail(
            "sqs", None, "get_queue_attributes", QueueUrl=url, AttributeNames=_ATTRIBUTES
        )
        if isinstance(answer, Unreadable):
            return {"url": url, "arn": arn, "attributes": answer}
        attributes = answer.get("Attributes") or {}
        return {
            "url": url,
            "arn": attributes.get("QueueArn", arn),
            "sqs_managed_sse": str(attributes.get("SqsManagedSseEnabled", "")).lower() == "true",
            "kms_key": str(attributes.get("KmsMasterKeyId") or ""),
            "policy": policy_document(attributes.get("Policy")),
        }

    # Without MaxResults, ListQueues answers at most 1,000 queues and no NextToken: the
    # page size makes it page, so an account with more queues is read whole.
    urls = api.pages("sqs", None, "list_queues", "QueueUrls", PaginationConfig={"PageSize": _PAGE})
    return api.each(one, urls)
