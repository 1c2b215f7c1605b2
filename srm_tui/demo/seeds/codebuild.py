"""Demo seed: CodeBuild projects, from careful to careless.

The careless one carries fake credentials in its Bitbucket URL and a plaintext
variable; tests prove neither value leaves the scanner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Fake values planted in a project; tests prove they never reach collected data.
PLANTED_VALUES = ("demo-bb-app-password-7c1d", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY01")

_ENVIRONMENT = {
    "type": "LINUX_CONTAINER",
    "image": "aws/codebuild/standard:7.0",
    "computeType": "BUILD_GENERAL1_SMALL",
}


def _project(client: Any, name: str, role: str, location: str, variables: list, logs: dict) -> None:
    client.create_project(
        name=name,
        source={"type": "BITBUCKET", "location": location},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={**_ENVIRONMENT, "environmentVariables": variables},
        serviceRole=role,
        logsConfig=logs,
    )


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``web-build-N`` (OAuth-style URL, key from Secrets
    Manager, CloudWatch and encrypted S3 logs), ``legacy-build-N`` (credentials in the
    URL, a plaintext access key, unencrypted S3 logs) and ``scratch-build-N`` (no logs
    at all)."""
    account = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/demo-codebuild-role"
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("codebuild", region_name=region)
        secret = f"arn:aws:secretsmanager:{region}:{account}:secret:deploy-key-AbCdEf"
        for n in range(scale):
            _project(
                client, f"web-build-{n}", role, "https://bitbucket.org/example/web.git",
                [{"name": "AWS_SECRET_ACCESS_KEY", "value": secret, "type": "SECRETS_MANAGER"}],
                {
                    "cloudWatchLogs": {"status": "ENABLED"},
                    "s3Logs": {"status": "ENABLED", "location": "demo-build-logs/web"},
                },
            )  # fmt: skip
            _project(
                client, f"legacy-build-{n}", role,
                f"https://ci-bot:{PLANTED_VALUES[0]}@bitbucket.org/example/legacy.git",
                [{"name": "AWS_SECRET_ACCESS_KEY", "value": PLANTED_VALUES[1],
                  "type": "PLAINTEXT"}],
                {
                    "cloudWatchLogs": {"status": "DISABLED"},
                    "s3Logs": {
                        "status": "ENABLED",
                        "location": "demo-build-logs/legacy",
                        "encryptionDisabled": True,
                    },
                },
            )  # fmt: skip
            _project(
                client, f"scratch-build-{n}", role, "https://bitbucket.org/example/scratch.git",
                [],
                {"cloudWatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": "DISABLED"}},
            )  # fmt: skip
