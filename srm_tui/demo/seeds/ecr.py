"""Demo seed: ECR repositories, one well configured and one open to the world."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_LIFECYCLE = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "description": "expire untagged images after 14 days",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 14,
                },
                "action": {"type": "expire"},
            }
        ]
    }
)

_PUBLIC_PULL = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AnyonePulls",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            }
        ],
    }
)


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``shop/web-N`` (scan on push, immutable tags, lifecycle
    policy, no repository policy) and ``legacy/batch-N`` (none of that, public pulls)."""
    for region in regions:
        ecr = session.client("ecr", region_name=region)
        for n in range(scale):
            ecr.create_repository(
                repositoryName=f"shop/web-{n}",
                imageTagMutability="IMMUTABLE",
                imageScanningConfiguration={"scanOnPush": True},
            )
            ecr.put_lifecycle_policy(repositoryName=f"shop/web-{n}", lifecyclePolicyText=_LIFECYCLE)
            ecr.create_repository(repositoryName=f"legacy/batch-{n}")
            ecr.set_repository_policy(repositoryName=f"legacy/batch-{n}", policyText=_PUBLIC_PULL)
