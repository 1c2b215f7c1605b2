"""botocore's service models read once per process and shared by every session (one per
account in an organization scan), safely across threads."""

from __future__ import annotations

import json
import threading
from typing import Any

import boto3
import botocore.session
from botocore.loaders import Loader

from srm_tui.aws.session import SharedLoader, share_models, slim_model

SERVICES = ("ec2", "s3", "iam", "sqs", "lambda", "rds", "kms", "sts")


def _fresh(service: str) -> str:
    """The model as an unshared loader gives it, extras merged, less its documentation
    texts (which the shared loader leaves out), as canonical JSON."""
    return json.dumps(_undocumented(Loader().load_service_model(service, "service-2")),
                      sort_keys=True)  # fmt: skip


def _undocumented(model: dict[str, Any]) -> dict[str, Any]:
    return {k: _no_texts(v) if k in ("operations", "shapes") else v for k, v in model.items()}


def _no_texts(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _no_texts(v) for k, v in node.items()
                if k not in ("documentation", "documentationUrl") or not isinstance(v, str)}  # fmt: skip
    if isinstance(node, list):
        return [_no_texts(v) for v in node]
    return node


def test_sessions_share_one_model() -> None:
    first = share_models(boto3.Session(region_name="us-east-1"))
    second = share_models(boto3.Session(region_name="eu-west-1"))
    one = first.client("ec2", aws_access_key_id="x", aws_secret_access_key="y")
    two = second.client("ec2", aws_access_key_id="x", aws_secret_access_key="y")
    assert isinstance(first._session.get_component("data_loader"), SharedLoader)
    # The same parsed model, not two copies of it.
    assert one.meta.service_model._service_description is (
        two.meta.service_model._service_description
    )


def test_unshared_sessions_parse_their_own() -> None:
    # What the sharing saves: without it each session parses the model again.
    one = boto3.Session(region_name="us-east-1").client(
        "ec2", aws_access_key_id="x", aws_secret_access_key="y"
    )
    two = boto3.Session(region_name="us-east-1").client(
        "ec2", aws_access_key_id="x", aws_secret_access_key="y"
    )
    assert one.meta.service_model._service_description is not (
        two.meta.service_model._service_description
    )


def test_concurrent_loads_give_whole_models() -> None:
    """Many sessions made at once, each creating clients for the same services at the
    same moment through one fresh shared loader: every model equals what a loader of
    its own gives (extras merged once, nothing missing), and no thread fails."""
    loader = SharedLoader()
    sessions = []
    for _ in range(12):
        core = botocore.session.get_session()
        core.register_component("data_loader", loader)
        sessions.append(boto3.Session(botocore_session=core, region_name="us-east-1"))
    start = threading.Barrier(len(sessions))
    seen: dict[int, dict[str, str]] = {}
    failures: list[BaseException] = []

    def work(number: int, session: boto3.Session) -> None:
        try:
            start.wait()
            models = {}
            for service in SERVICES:
                client = session.client(service, aws_access_key_id="x", aws_secret_access_key="y")
                models[service] = json.dumps(
                    client.meta.service_model._service_description, sort_keys=True
                )
            seen[number] = models
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n, s)) for n, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(seen) == len(sessions)
    expected = {service: _fresh(service) for service in SERVICES}
    for models in seen.values():
        assert models == expected


def test_the_data_path_is_honoured(tmp_path, monkeypatch) -> None:
    # A session configured with its own data path gets a loader searching it.
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    session = share_models(boto3.Session(region_name="us-east-1"))
    loader = session._session.get_component("data_loader")
    assert str(tmp_path) in loader.search_paths
    assert session._loader is loader


def test_models_are_kept_without_their_documentation() -> None:
    # What the shared loader keeps of a model is everything botocore calls with: the
    # same operations and shapes, only the help texts gone, its strings shared.
    full = Loader().load_service_model("s3", "service-2")
    kept = SharedLoader().load_service_model("s3", "service-2")
    assert kept == _undocumented(full)
    assert "documentation" in full["operations"]["GetBucketPolicy"]
    assert "documentation" not in kept["operations"]["GetBucketPolicy"]
    shapes = kept["shapes"]
    assert (
        shapes["GetBucketPolicyRequest"]["members"]["Bucket"]["shape"]
        is (shapes["GetBucketAclRequest"]["members"]["Bucket"]["shape"])
    )


def test_a_member_named_documentation_stays() -> None:
    model = {
        "documentation": "help text",
        "clientContextParams": {"Accelerate": {"type": "boolean", "documentation": "read"}},
        "shapes": {
            "Api": {
                "type": "structure",
                "members": {"documentation": {"shape": "Doc", "documentation": "its help"}},
            }
        },
    }
    assert slim_model(model) == {
        "documentation": "help text",
        "clientContextParams": {"Accelerate": {"type": "boolean", "documentation": "read"}},
        "shapes": {"Api": {"type": "structure", "members": {"documentation": {"shape": "Doc"}}}},
    }


def test_a_session_calls_with_the_slim_model() -> None:
    session = share_models(boto3.Session(region_name="us-east-1"))
    client = session.client("s3", aws_access_key_id="x", aws_secret_access_key="y")
    # botocore reads these documentation texts when it makes an S3 client.
    assert client.meta.service_model.client_context_parameters
    operation = client.meta.service_model.operation_model("GetBucketPolicy")
    assert operation.documentation == ""
    assert operation.input_shape.members["Bucket"].type_name == "string"
    assert (
        "documentation"
        not in client.meta.service_model._service_description["shapes"]["GetBucketPolicyRequest"]
    )


def test_the_demo_seeds_with_the_models_its_scan_reads() -> None:
    # `srm-tui demo` seeds the emulator, then scans it: one parse of the models for both.
    from srm_tui.aws.session import AwsSession
    from srm_tui.demo.server import SeedSession

    seeding = SeedSession("http://127.0.0.1:9").client("ec2")
    scanning = AwsSession(endpoint_url="http://127.0.0.1:9").client("ec2", "us-east-1")
    assert seeding.meta.service_model._service_description is (
        scanning.meta.service_model._service_description
    )
