"""Demo seed: ECS task definitions, from careful to careless, and clusters with services
and task sets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Fake value planted in a container environment; tests prove it never leaves the scanner.
PLANTED_VALUE = "demo-token-9f8e7d6c5b4a"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``web-N`` (awsvpc, unprivileged, read-only root, logs,
    secrets by reference), ``node-exporter-N`` (host network as a non-root user) and
    ``log-agent-N`` (host network and process namespace, a privileged container, a root
    container, a token and an access key id in the environment); then clusters and
    services (see ``_services``)."""
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
                        "readonlyRootFilesystem": True,
                        "logConfiguration": {
                            "logDriver": "awslogs",
                            "options": {
                                "awslogs-group": "/ecs/web",
                                "awslogs-region": region,
                                "awslogs-stream-prefix": "web",
                            },
                        },
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
                pidMode="host",
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
                        "environment": [
                            {"name": "API_TOKEN", "value": PLANTED_VALUE},
                            {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"},
                        ],
                    },
                ],
            )
            _services(session, region, n)


def _network(session: Any, region: str, public: str) -> dict[str, Any]:
    ec2 = session.client("ec2", region_name=region)
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])[
        "Subnets"
    ][0]
    group = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [subnet["VpcId"]]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]
    return {
        "awsvpcConfiguration": {
            "subnets": [subnet["SubnetId"]],
            "securityGroups": [group],
            "assignPublicIp": public,
        }
    }


def _services(session: Any, region: str, n: int) -> None:
    """``prod-N`` (Container Insights) runs ``web`` on Fargate LATEST without public
    IPs; ``dev-N`` (no Container Insights) runs ``preview`` on Fargate 1.3.0 with public
    IPs and ``canary`` (external deployments) with one private and one public task set."""
    ecs = session.client("ecs", region_name=region)
    ecs.create_cluster(
        clusterName=f"prod-{n}", settings=[{"name": "containerInsights", "value": "enabled"}]
    )
    ecs.create_cluster(
        clusterName=f"dev-{n}", settings=[{"name": "containerInsights", "value": "disabled"}]
    )
    private, public = _network(session, region, "DISABLED"), _network(session, region, "ENABLED")
    fargate = {"launchType": "FARGATE", "desiredCount": 1, "taskDefinition": f"web-{n}"}
    ecs.create_service(
        cluster=f"prod-{n}", serviceName="web", platformVersion="LATEST",
        networkConfiguration=private, **fargate,
    )  # fmt: skip
    ecs.create_service(
        cluster=f"dev-{n}", serviceName="preview", platformVersion="1.3.0",
        networkConfiguration=public, **fargate,
    )  # fmt: skip
    ecs.create_service(
        cluster=f"dev-{n}", serviceName="canary", taskDefinition=f"web-{n}", desiredCount=1,
        deploymentController={"type": "EXTERNAL"},
    )  # fmt: skip
    for network in (private, public):
        ecs.create_task_set(
            cluster=f"dev-{n}", service="canary", taskDefinition=f"web-{n}",
            launchType="FARGATE", networkConfiguration=network,
        )  # fmt: skip
