"""Demo seed: ECS task definitions, from careful to careless."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Fake value planted in a container environment; tests prove it never leaves the scanner.
PLANTED_VALUE = "demo-token-9f8e7d6c5b4a"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``web-N`` (awsvpc, unprivileged, secrets by reference),
    ``node-exporter-N`` (host network as a non-root user) and ``log-agent-N`` (host
    network, a privileged container, a root container and a token in the environment)."""
    account_id = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    for region in regions:
        ecs = session.client("ecs", region_name=region)
        for n in range(scale):
            ecs.register_task_definition(
                family=f"web-{n}",
                networkMode="awsvpc",
                containerDefinitions=[
                    {
                        "name": "web",
                        "image": "public.ecr.aws/nginx/nginx:1.27",
                        "memory": 512,
                        "user": "101",
                        "environment": [{"name": "LOG_LEVEL", "value": "info"}],
                        "secrets": [
                            {
                                "name": "DB_PASSWORD",
                                "valueFrom": f"arn:aws:secretsmanager:{region}:{account_id}"
                                ":secret:web-db-AbCdEf",
                            }
                        ],
                    }
                ],
            )
            ecs.register_task_definition(
                family=f"node-exporter-{n}",
                networkMode="host",
                containerDefinitions=[
                    {
                        "name": "exporter",
                        "image": "quay.io/prometheus/node-exporter:v1.8.2",
                        "memory": 128,
                        "user": "65534",
                    }
                ],
            )
            ecs.register_task_definition(
                family=f"log-agent-{n}",
                networkMode="host",
                containerDefinitions=[
                    {
                        "name": "collector",
                        "image": "example/log-collector:3",
                        "memory": 256,
                        "privileged": True,
                    },
                    {
                        "name": "shipper",
                        "image": "example/log-shipper:3",
                        "memory": 256,
                        "environment": [{"name": "API_TOKEN", "value": PLANTED_VALUE}],
                    },
                ],
            )
