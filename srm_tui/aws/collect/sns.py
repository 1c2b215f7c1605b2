"""SNS: topics and their access policies."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable, load_document


def policy_document(text: Any) -> Any:
    """A resource policy given as JSON text: the document, None when there is none, or
    Unreadable when it cannot be read."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return load_document(text)
    except ValueError as exc:
        return Unreadable(f"the policy is not readable JSON ({exc})")


@collector(
    "sns.topics",
    service="sns",
    api_calls=("sns:ListTopics", "sns:GetTopicAttributes"),
    in_use=bool,
)
def topics(api: Api, region: str) -> list[dict[str, Any]]:
    """Each topic: ARN and its access policy (None when it has none; Unreadable when
    AWS refused the topic's attributes or the policy is not JSON)."""

    def one(arn: str) -> dict[str, Any]:
        answer = api.detail("sns", None, "get_topic_attributes", TopicArn=arn)
        if isinstance(answer, Unreadable):
            return {"arn": arn, "policy": answer}
        return {
            "arn": arn,
            "policy": policy_document((answer.get("Attributes") or {}).get("Policy")),
        }

    arns = [
        t["TopicArn"] for t in api.pages("sns", None, "list_topics", "Topics") if t.get("TopicArn")
    ]
    return api.each(one, arns)
