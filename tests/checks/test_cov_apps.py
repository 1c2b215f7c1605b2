"""The application, messaging and edge service checks over hand-made collected data:
each FSBP control's passing and failing resource, its parameters and its edge cases
(API Gateway, Athena, CodeBuild, ECS, EKS, EventBridge, Kinesis, Lambda, OpenSearch,
SNS, SQS, Step Functions, WAF)."""

from __future__ import annotations

import pytest

from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import REGIONS, by_resource, by_suffix, checks, run

ACCOUNT = "123456789012"
DENIED = Unreadable("access denied to x:Y")


def _arn(service: str, resource: str, region: str = "us-east-1") -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


def _statuses(check_id: str, data: dict, **options) -> dict[str, Status]:
    return by_resource(run(check_id, data, **options))


def _open_policy(**condition):
    statement = {"Effect": "Allow", "Principal": "*", "Action": "x:Y", "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


# --- API Gateway -----------------------------------------------------------------------


def _method(level="INFO", caching=False, encrypted=False):
    return {"logging_level": level, "caching": caching, "cache_encrypted": encrypted}


def _rest_stage(name, settings=None, **changes):
    stage = {
        "api_id": "a1",
        "api_name": "orders",
        "stage": name,
        "arn": f"arn:aws:apigateway:us-east-1::/restapis/a1/stages/{name}",
        "method_settings": settings or {},
        "client_certificate": False,
        "tracing": False,
        "web_acl": "",
        "integration_types": ["HTTP"],
    }
    stage.update(changes)
    return stage


def _v2_api(protocol, stages=(), routes=()):
    return {
        "api_id": "b2",
        "name": "chat",
        "protocol": protocol,
        "arn": "arn:aws:apigateway:us-east-1::/apis/b2",
        "stages": list(stages),
        "routes": list(routes),
    }


def _v2_stage(name, level="OFF", routes=None, access_logs=False):
    return {
        "stage": name,
        "arn": f"arn:aws:apigateway:us-east-1::/apis/b2/stages/{name}",
        "access_logs": access_logs,
        "logging_level": level,
        "route_logging_levels": routes or {},
    }


def test_execution_logging_every_method_of_rest_and_websocket_stages():
    rest = [
        _rest_stage("info", {"*/*": _method("INFO")}),
        _rest_stage("error", {"*/*": _method("ERROR")}),
        _rest_stage("unset"),
        _rest_stage("override", {"*/*": _method("INFO"), "~1pets/GET": _method("OFF")}),
        {"api_id": "gone", "api_name": "x", "arn": "arn:aws:apigateway:us-east-1::/restapis/gone",
         "stages": DENIED},
    ]  # fmt: skip
    v2 = [
        _v2_api("WEBSOCKET", [_v2_stage("ws-ok", "ERROR"), _v2_stage("ws-route", "INFO",
                                                                      {"$connect": "OFF"})]),
        _v2_api("HTTP", [_v2_stage("http")]),
    ]  # fmt: skip
    findings = run("apigateway.execution_logging",
                   {"apigateway.rest_stages": rest, "apigateway.v2_apis": v2})  # fmt: skip
    assert by_suffix(findings, "/stages/info").status is Status.PASS
    assert by_suffix(findings, "/stages/error").status is Status.PASS
    assert by_suffix(findings, "/stages/unset").status is Status.FAIL
    override = by_suffix(findings, "/stages/override")
    assert override.status is Status.FAIL and "GET /pets OFF" in override.detail
    assert by_suffix(findings, "/restapis/gone").status is Status.ERROR
    assert by_suffix(findings, "/stages/ws-ok").status is Status.PASS
    route = by_suffix(findings, "/stages/ws-route")
    assert route.status is Status.FAIL and "$connect" in route.detail
    # HTTP APIs have no execution logs: not judged here.
    assert not [f for f in findings if f.resource.endswith("/stages/http")]
    # A scope that requires INFO fails the ERROR stage.
    strict = run("apigateway.execution_logging",
                 {"apigateway.rest_stages": rest[:2], "apigateway.v2_apis": []},
                 parameters={"logging_levels": ["INFO"]})  # fmt: skip
    assert [f.status for f in strict] == [Status.PASS, Status.FAIL]


@pytest.mark.parametrize(
    ("check_id", "field", "value"),
    [
        ("apigateway.backend_certificate", "client_certificate", True),
        ("apigateway.xray_tracing", "tracing", True),
        ("apigateway.waf_web_acl", "web_acl",
         "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/0a1b"),
    ],
)  # fmt: skip
def test_rest_stage_settings(check_id, field, value):
    stages = [_rest_stage("on", **{field: value}), _rest_stage("off")]
    statuses = _statuses(check_id, {"apigateway.rest_stages": stages})
    assert list(statuses.values()) == [Status.PASS, Status.FAIL]


def test_cache_encryption_only_where_methods_cache():
    stages = [
        _rest_stage("none", {"*/*": _method()}),
        _rest_stage("sealed", {"*/*": _method(caching=True, encrypted=True)}),
        _rest_stage("clear", {"*/*": _method(caching=True, encrypted=True),
                              "~1report/GET": _method(caching=True)}),
    ]  # fmt: skip
    findings = run("apigateway.cache_encrypted", {"apigateway.rest_stages": stages})
    assert by_suffix(findings, "/none").status is Status.NOT_APPLICABLE
    assert by_suffix(findings, "/sealed").status is Status.PASS
    clear = by_suffix(findings, "/clear")
    assert clear.status is Status.FAIL and "GET /report" in clear.detail


def test_routes_need_an_authorization_type():
    routes = [
        {"route_key": key, "arn": f"arn:aws:apigateway:us-east-1::/apis/b2/routes/{n}",
         "authorization_type": kind}
        for n, (key, kind) in enumerate(
            [("GET /a", "AWS_IAM"), ("GET /b", "JWT"), ("GET /c", "NONE"), ("$connect", "CUSTOM")]
        )
    ]  # fmt: skip
    data = {"apigateway.v2_apis": [_v2_api("HTTP", routes=routes)]}
    assert list(_statuses("apigateway.route_authorization", data).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.PASS,
    ]  # fmt: skip
    only_iam = _statuses("apigateway.route_authorization", data,
                         parameters={"authorization_types": ["AWS_IAM"]})  # fmt: skip
    assert list(only_iam.values()).count(Status.PASS) == 1


def test_v2_access_logging_and_unreadable_apis():
    apis = [
        _v2_api("HTTP", [_v2_stage("logged", access_logs=True), _v2_stage("silent")]),
        {**_v2_api("WEBSOCKET"), "stages": DENIED, "routes": DENIED},
    ]
    findings = run("apigateway.v2_access_logging", {"apigateway.v2_apis": apis})
    assert by_suffix(findings, "/logged").status is Status.PASS
    assert by_suffix(findings, "/silent").status is Status.FAIL
    assert by_suffix(findings, "/apis/b2").status is Status.ERROR


# --- Athena, EventBridge, Step Functions --------------------------------------------


def test_athena_workgroups_publish_metrics():
    groups = [
        {"name": n, "arn": _arn("athena", f"workgroup/{n}"), "state": "ENABLED",
         "cloudwatch_metrics": v}
        for n, v in (("on", True), ("off", False), ("denied", DENIED))
    ]  # fmt: skip
    assert list(_statuses("athena.workgroup_logging", {"athena.workgroups": groups}).values()) == [
        Status.PASS, Status.FAIL, Status.ERROR,
    ]  # fmt: skip


def test_eventbridge_custom_buses_need_a_policy():
    buses = [
        {"name": n, "arn": _arn("events", f"event-bus/{n}"), "has_policy": p}
        for n, p in (("default", False), ("aws.partner/saas.com/1/x", False), ("orders", True),
                     ("audit", False))
    ]  # fmt: skip
    assert list(_statuses("eventbridge.custom_bus_policy", {"events.buses": buses}).values()) == [
        Status.NOT_APPLICABLE, Status.NOT_APPLICABLE, Status.PASS, Status.FAIL,
    ]  # fmt: skip


def test_step_functions_logging_levels():
    machines = [
        {"name": n, "arn": _arn("states", f"stateMachine:{n}"), "type": "STANDARD", "log_level": v}
        for n, v in (("all", "ALL"), ("fatal", "FATAL"), ("off", "OFF"), ("denied", DENIED))
    ]
    data = {"stepfunctions.state_machines": machines}
    assert list(_statuses("stepfunctions.logging", data).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.ERROR,
    ]  # fmt: skip
    all_only = _statuses("stepfunctions.logging", data, parameters={"log_levels": ["ALL"]})
    assert list(all_only.values())[:2] == [Status.PASS, Status.FAIL]


# --- CodeBuild -----------------------------------------------------------------------


def _project(name, sources=(), variables=(), cloudwatch="ENABLED", s3="DISABLED", clear=False):
    return {
        "name": name,
        "arn": _arn("codebuild", f"project/{name}"),
        "sources": [{"type": t, "id": i, "sign_in_in_url": s} for t, i, s in sources],
        "variables": [{"name": n, "type": t} for n, t in variables],
        "cloudwatch_logs": cloudwatch,
        "s3_logs": s3,
        "s3_logs_encryption_disabled": clear,
    }


def test_codebuild_bitbucket_urls():
    projects = [
        _project("github", [("GITHUB", "", False)]),
        _project("clean", [("BITBUCKET", "", False)]),
        _project("secondary", [("CODECOMMIT", "", False), ("BITBUCKET", "libs", True)]),
    ]
    findings = run("codebuild.source_url_credentials", {"codebuild.projects": projects})
    assert by_suffix(findings, "/github").status is Status.NOT_APPLICABLE
    assert by_suffix(findings, "/clean").status is Status.PASS
    leak = by_suffix(findings, "/secondary")
    assert leak.status is Status.FAIL and "source libs" in leak.detail


def test_codebuild_plaintext_aws_keys_only():
    projects = [
        _project("store", variables=[("AWS_SECRET_ACCESS_KEY", "SECRETS_MANAGER"),
                                     ("DB_PASSWORD", "PLAINTEXT")]),
        _project("plain", variables=[("AWS_ACCESS_KEY_ID", "PLAINTEXT")]),
    ]  # fmt: skip
    findings = run("codebuild.env_aws_credentials", {"codebuild.projects": projects})
    # DB_PASSWORD is not one of the two names CodeBuild.2 looks for.
    assert by_suffix(findings, "/store").status is Status.PASS
    assert by_suffix(findings, "/plain").status is Status.FAIL


def test_codebuild_logs():
    projects = [
        _project("cloudwatch"),
        _project("s3-only", cloudwatch="DISABLED", s3="ENABLED", clear=True),
        _project("none", cloudwatch="DISABLED"),
    ]
    logging = _statuses("codebuild.logging", {"codebuild.projects": projects})
    assert list(logging.values()) == [Status.PASS, Status.PASS, Status.FAIL]
    encrypted = _statuses("codebuild.s3_logs_encrypted", {"codebuild.projects": projects})
    assert list(encrypted.values()) == [Status.NOT_APPLICABLE, Status.FAIL, Status.NOT_APPLICABLE]
    sealed = [_project("sealed", s3="ENABLED")]
    sealed_statuses = _statuses("codebuild.s3_logs_encrypted", {"codebuild.projects": sealed})
    assert list(sealed_statuses.values()) == [Status.PASS]


def test_codebuild_report_exports():
    groups = [
        {"name": n, "arn": _arn("codebuild", f"report-group/{n}"), "export": e,
         "encryption_disabled": d}
        for n, e, d in (("kept", "NO_EXPORT", False), ("sealed", "S3", False),
                        ("clear", "S3", True))
    ]  # fmt: skip
    data = {"codebuild.report_groups": groups}
    assert list(_statuses("codebuild.report_export_encrypted", data).values()) == [
        Status.NOT_APPLICABLE, Status.PASS, Status.FAIL,
    ]  # fmt: skip


# --- ECS -------------------------------------------------------------------------------


def _container(name, env=(), readonly=False, driver=""):
    return {
        "name": name,
        "privileged": False,
        "user": "1000",
        "environment": [{"name": n, "credential_value": False, "reference_value": r}
                        for n, r in env],
        "secrets": [],
        "readonly_root": readonly,
        "log_driver": driver,
    }  # fmt: skip


def _task(family, *containers, pid_mode="", network_mode="awsvpc"):
    return {
        "family": family,
        "arn": _arn("ecs", f"task-definition/{family}:1"),
        "revision": 1,
        "network_mode": network_mode,
        "pid_mode": pid_mode,
        "containers": list(containers),
    }


def test_ecs_task_definition_controls():
    good = _task("good", _container("a", readonly=True, driver="awslogs"), pid_mode="task")
    bad = _task(
        "bad",
        _container("a", readonly=True, driver="awslogs", env=[("AWS_ACCESS_KEY_ID", True)]),
        _container("b", env=[("ECS_ENGINE_AUTH_DATA", False)]),
        pid_mode="host",
    )
    denied = {**_task("denied"), "containers": DENIED}
    data = {"ecs.task_definitions": [good, bad, denied]}
    for check_id in ("ecs.host_pid_mode", "ecs.readonly_root_filesystem", "ecs.env_credentials",
                     "ecs.log_configuration", "ecs.privileged_containers"):  # fmt: skip
        statuses = list(_statuses(check_id, data).values())
        expected_bad = Status.PASS if check_id == "ecs.privileged_containers" else Status.FAIL
        assert statuses == [Status.PASS, expected_bad, Status.ERROR], check_id
    (credentials,) = [f for f in run("ecs.env_credentials", data) if "/bad:" in f.resource]
    # Names only, and even a value that merely points at a secret store counts (ECS.8).
    assert "a: AWS_ACCESS_KEY_ID" in credentials.detail
    assert "b: ECS_ENGINE_AUTH_DATA" in credentials.detail


def test_ecs_env_credentials_ignores_other_secret_names():
    task = _task("t", _container("a", env=[("DB_PASSWORD", False), ("AWS_SESSION_TOKEN", False)]))
    (finding,) = run("ecs.env_credentials", {"ecs.task_definitions": [task]})
    assert finding.status is Status.PASS
    assert checks()["ecs.env_credentials"].meta.frameworks["aws-fsbp"] == ("ECS.8",)
    assert "aws-fsbp" not in checks()["ecs.env_secrets"].meta.frameworks


def _service(name, public="DISABLED", fargate=True, version="LATEST", family="", task_sets=()):
    return {
        "name": name,
        "arn": _arn("ecs", f"service/c/{name}"),
        "cluster": _arn("ecs", "cluster/c"),
        "assign_public_ip": public,
        "fargate": fargate,
        "platform_version": version,
        "platform_family": family,
        "task_sets": [{"arn": _arn("ecs", f"task-set/c/{name}/{n}"), "assign_public_ip": p}
                      for n, p in task_sets],
    }  # fmt: skip


def test_ecs_services_public_ips_and_task_sets():
    services = [
        _service("private", task_sets=[("ts1", "DISABLED")]),
        _service("public", public="ENABLED", task_sets=[("ts2", "ENABLED")]),
    ]
    data = {"ecs.services": services}
    assert list(_statuses("ecs.service_public_ip", data).values()) == [Status.PASS, Status.FAIL]
    sets = run("ecs.task_set_public_ip", data)
    assert by_suffix(sets, "/ts1").status is Status.PASS
    assert by_suffix(sets, "/ts2").status is Status.FAIL


def test_ecs_fargate_platform_versions():
    services = [
        _service("ec2", fargate=False, version=""),
        _service("latest"),
        _service("pinned", version="1.4.0"),
        _service("old", version="1.3.0"),
        _service("windows", version="1.0.0", family="WINDOWS_SERVER_2022_CORE"),
        _service("unset", version=""),
    ]
    data = {"ecs.services": services}
    assert list(_statuses("ecs.fargate_platform_version", data).values()) == [
        Status.NOT_APPLICABLE, Status.PASS, Status.PASS, Status.FAIL, Status.PASS, Status.PASS,
    ]  # fmt: skip
    newer = _statuses("ecs.fargate_platform_version", data,
                      parameters={"latest_linux_version": "1.5.0"})  # fmt: skip
    assert newer[_arn("ecs", "service/c/pinned")] is Status.FAIL


def test_ecs_container_insights():
    clusters = [
        {"name": n, "arn": _arn("ecs", f"cluster/{n}"), "container_insights": v}
        for n, v in (("on", "enabled"), ("enhanced", "enhanced"), ("off", "disabled"),
                     ("unset", ""))
    ]  # fmt: skip
    assert list(_statuses("ecs.container_insights", {"ecs.clusters": clusters}).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.FAIL,
    ]  # fmt: skip


# --- EKS -------------------------------------------------------------------------------


def test_eks_supported_version_follows_its_parameter():
    clusters = [
        {"name": n, "arn": _arn("eks", f"cluster/{n}"), "version": v}
        for n, v in (("new", "1.34"), ("oldest", "1.32"), ("old", "1.29"), ("odd", "latest"))
    ] + [{"name": "denied", "arn": _arn("eks", "cluster/denied"), "settings": DENIED}]
    data = {"eks.clusters": clusters}
    assert list(_statuses("eks.supported_version", data).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.ERROR, Status.ERROR,
    ]  # fmt: skip
    # Version numbers compare as numbers (1.100 is newer than 1.32).
    later = _statuses("eks.supported_version", data,
                      parameters={"oldest_version_supported": "1.33"})  # fmt: skip
    assert later[_arn("eks", "cluster/oldest")] is Status.FAIL
    broken = run("eks.supported_version", data, parameters={"oldest_version_supported": "x"})
    assert [f.status for f in broken] == [Status.ERROR]


# --- Kinesis, SQS, SNS ---------------------------------------------------------------


def test_kinesis_encryption_and_retention():
    streams = [
        {"name": n, "arn": _arn("kinesis", f"stream/{n}"), "encryption": e, "retention_hours": h}
        for n, e, h in (("kept", "KMS", 168), ("short", "NONE", 24))
    ] + [{"name": "denied", "arn": _arn("kinesis", "stream/denied"), "summary": DENIED}]
    data = {"kinesis.streams": streams}
    expected = [Status.PASS, Status.FAIL, Status.ERROR]
    assert list(_statuses("kinesis.encrypted", data).values()) == expected
    assert list(_statuses("kinesis.retention", data).values()) == expected
    lenient = _statuses("kinesis.retention", data, parameters={"minimum_retention_hours": 24})
    assert lenient[_arn("kinesis", "stream/short")] is Status.PASS


def _queue(name, sse=False, kms="", policy=None):
    return {"url": f"https://sqs/{name}", "arn": _arn("sqs", name), "sqs_managed_sse": sse,
            "kms_key": kms, "policy": policy}  # fmt: skip


def test_sqs_encryption_and_public_policies():
    queues = [
        _queue("sse", sse=True),
        _queue("kms", kms="alias/orders", policy=_open_policy(
            ArnLike={"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"})),
        _queue("open", policy=_open_policy()),
        {"url": "https://sqs/gone", "arn": _arn("sqs", "gone"), "attributes": DENIED},
    ]  # fmt: skip
    data = {"sqs.queues": queues}
    assert list(_statuses("sqs.encrypted", data).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.ERROR,
    ]  # fmt: skip
    assert list(_statuses("sqs.public_policy", data).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.ERROR,
    ]  # fmt: skip


def test_sns_public_policies():
    topics = [
        {"arn": _arn("sns", "none"), "policy": None},
        {"arn": _arn("sns", "default"),
         "policy": _open_policy(StringEquals={"AWS:SourceOwner": ACCOUNT})},
        {"arn": _arn("sns", "open"), "policy": _open_policy()},
        {"arn": _arn("sns", "if-exists"),
         "policy": _open_policy(StringEqualsIfExists={"aws:SourceAccount": ACCOUNT})},
        {"arn": _arn("sns", "garbled"), "policy": Unreadable("the policy is not readable JSON")},
    ]  # fmt: skip
    assert list(_statuses("sns.public_policy", {"sns.topics": topics}).values()) == [
        Status.PASS, Status.PASS, Status.FAIL, Status.FAIL, Status.ERROR,
    ]  # fmt: skip


# --- Lambda ----------------------------------------------------------------------------


def _function(name, runtime="python3.13", package="Zip", subnets=()):
    return {"name": name, "arn": _arn("lambda", f"function:{name}"), "runtime": runtime,
            "package_type": package, "role": "", "vpc_subnets": list(subnets),
            "environment": []}  # fmt: skip


def test_lambda_runtimes_follow_the_parameter():
    functions = [
        _function("current"),
        _function("old", "python3.9"),
        _function("unknown", "cobol1.x"),
        _function("image", "", package="Image"),
        _function("os-only", "provided.al2"),
    ]
    data = {"lambda.functions": functions}
    findings = run("lambda.deprecated_runtime", data)
    assert by_suffix(findings, ":current").status is Status.PASS
    old = by_suffix(findings, ":old")
    assert old.status is Status.FAIL and "2025-12-15" in old.detail
    assert "not in the supported list" in by_suffix(findings, ":unknown").detail
    assert by_suffix(findings, ":image").status is Status.NOT_APPLICABLE
    assert by_suffix(findings, ":os-only").status is Status.NOT_APPLICABLE
    kept = _statuses("lambda.deprecated_runtime", data, parameters={"runtimes": ["python3.9"]})
    assert kept[_arn("lambda", "function:old")] is Status.PASS
    assert kept[_arn("lambda", "function:current")] is Status.FAIL


def test_lambda_multi_az():
    zones = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b", "subnet-c": "us-east-1a"}
    functions = [
        _function("outside"),
        _function("two", subnets=["subnet-a", "subnet-b"]),
        _function("one", subnets=["subnet-a", "subnet-c"]),
        _function("lost", subnets=["subnet-a", "subnet-gone"]),
    ]
    data = {"lambda.functions": functions, "lambda.subnet_zones": zones}
    assert list(_statuses("lambda.multi_az", data).values()) == [
        Status.NOT_APPLICABLE, Status.PASS, Status.FAIL, Status.ERROR,
    ]  # fmt: skip
    three = _statuses("lambda.multi_az", data, parameters={"availability_zones": 3})
    assert three[_arn("lambda", "function:two")] is Status.FAIL


# --- OpenSearch ------------------------------------------------------------------------


def _domain(name, good):
    return {
        "name": name,
        "arn": _arn("es", f"domain/{name}"),
        "engine": "OpenSearch_2.19",
        "encrypted_at_rest": good,
        "node_to_node": good,
        "in_vpc": good,
        "error_logs": good,
        "audit_logs": good,
        "instance_count": 3 if good else 1,
        "zone_awareness": good,
        "fine_grained": good,
        "enforce_https": good,
        "tls_policy": "Policy-Min-TLS-1-2-PFS-2023-10" if good else "Policy-Min-TLS-1-0-2019-07",
        "update_available": not good,
    }


OPENSEARCH = [c for c in checks() if c.startswith("opensearch.")]


@pytest.mark.parametrize("check_id", OPENSEARCH)
def test_opensearch_domains(check_id):
    data = {"opensearch.domains": [_domain("good", True), _domain("bad", False)]}
    assert list(_statuses(check_id, data).values()) == [Status.PASS, Status.FAIL]


def test_opensearch_edges():
    three_nodes_one_zone = {**_domain("d", True), "zone_awareness": False}
    (finding,) = run("opensearch.three_data_nodes", {"opensearch.domains": [three_nodes_one_zone]})
    assert finding.status is Status.FAIL and "zone awareness off" in finding.detail
    https_old_policy = {**_domain("d", True), "tls_policy": "Policy-Min-TLS-1-2-2019-07"}
    (tls,) = run("opensearch.tls_policy", {"opensearch.domains": [https_old_policy]})
    assert tls.status is Status.FAIL
    (allowed,) = run("opensearch.tls_policy", {"opensearch.domains": [https_old_policy]},
                     parameters={"tls_policies": ["Policy-Min-TLS-1-2-2019-07"]})  # fmt: skip
    assert allowed.status is Status.PASS
    silent = {**_domain("d", True), "update_available": None}
    (unknown,) = run("opensearch.software_update", {"opensearch.domains": [silent]})
    assert unknown.status is Status.ERROR
    assert len(OPENSEARCH) == 9


# --- WAF -------------------------------------------------------------------------------


def _classic(service, region=""):
    def arn(kind, ident):
        return f"arn:aws:{service}:{region}:{ACCOUNT}:{kind}/{ident}"

    return {
        "web_acls": [{"name": "full", "arn": arn("webacl", "a"), "rules": 2, "logging": True},
                     {"name": "empty", "arn": arn("webacl", "b"), "rules": 0, "logging": False},
                     {"name": "hidden", "arn": arn("webacl", "c"), "rules": DENIED,
                      "logging": DENIED}],
        "rules": [{"name": "r1", "arn": arn("rule", "a"), "conditions": 1},
                  {"name": "r2", "arn": arn("rule", "b"), "conditions": 0},
                  {"name": "r3", "arn": arn("rule", "c"), "conditions": DENIED}],
        "rule_groups": [{"name": "g1", "arn": arn("rulegroup", "a"), "rules": 3},
                        {"name": "g2", "arn": arn("rulegroup", "b"), "rules": 0},
                        {"name": "g3", "arn": arn("rulegroup", "c"), "rules": DENIED}],
    }  # fmt: skip


CLASSIC = [c for c in checks() if c.startswith("waf.classic_")]


@pytest.mark.parametrize("check_id", CLASSIC)
def test_waf_classic(check_id):
    data = {"waf.classic_global": _classic("waf"),
            "waf.classic_regional": _classic("waf-regional", "us-east-1")}  # fmt: skip
    assert list(_statuses(check_id, data).values()) == [Status.PASS, Status.FAIL, Status.ERROR]
    assert len(CLASSIC) == 7


def test_waf_classic_refused_logging_spoils_only_the_logging_check():
    acl = {"name": "edge", "arn": f"arn:aws:waf::{ACCOUNT}:webacl/a", "rules": 1,
           "logging": DENIED}  # fmt: skip
    data = {"waf.classic_global": {"web_acls": [acl], "rules": [], "rule_groups": []}}
    assert [f.status for f in run("waf.classic_global_web_acl_rules", data)] == [Status.PASS]
    assert [f.status for f in run("waf.classic_global_logging", data)] == [Status.ERROR]


def _v2(region, acl_rules, group_metrics, quiet_rules):
    scope = "global" if region == "global" else "regional"
    where = "us-east-1" if region == "global" else region
    return {
        "web_acls": [{"name": "acl", "arn": f"arn:aws:wafv2:{where}:{ACCOUNT}:{scope}/webacl/acl/1",
                      "rules": acl_rules}],
        "rule_groups": [{"name": "g",
                         "arn": f"arn:aws:wafv2:{where}:{ACCOUNT}:{scope}/rulegroup/g/1",
                         "rules": 1, "metrics": group_metrics,
                         "rules_without_metrics": quiet_rules}],
    }  # fmt: skip


def test_wafv2_per_region_and_cloudfront_with_the_first_region():
    data = {
        ("wafv2.regional", REGIONS[0]): _v2(REGIONS[0], 1, True, []),
        ("wafv2.regional", REGIONS[1]): _v2(REGIONS[1], 0, True, ["geo"]),
        ("wafv2.cloudfront", "global"): _v2("global", DENIED, False, []),
    }

    def both(check_id):
        return [(f.region, f.status) for region in REGIONS
                for f in run(check_id, data, region=region, regions=REGIONS)]  # fmt: skip

    assert both("waf.web_acl_rules") == [
        (REGIONS[0], Status.PASS), ("global", Status.ERROR), (REGIONS[1], Status.FAIL),
    ]  # fmt: skip
    assert both("waf.rule_group_metrics") == [
        (REGIONS[0], Status.PASS), ("global", Status.FAIL), (REGIONS[1], Status.FAIL),
    ]  # fmt: skip
    groups = run("waf.rule_group_metrics", data, region=REGIONS[1], regions=REGIONS)
    assert "rule geo" in groups[0].detail
    cloudfront = run("waf.rule_group_metrics", data, region=REGIONS[0], regions=REGIONS)[1]
    assert "the rule group" in cloudfront.detail


# --- metadata --------------------------------------------------------------------------

FSBP = (
    "APIGateway.1", "APIGateway.2", "APIGateway.3", "APIGateway.4", "APIGateway.5",
    "APIGateway.8", "APIGateway.9", "Athena.4", "CodeBuild.1", "CodeBuild.2", "CodeBuild.3",
    "CodeBuild.4", "CodeBuild.7", "ECS.2", "ECS.3", "ECS.5", "ECS.8", "ECS.9", "ECS.10",
    "ECS.12", "ECS.16", "EKS.2", "EventBridge.3", "Kinesis.1", "Kinesis.3", "Lambda.2",
    "Lambda.5", "Opensearch.1", "Opensearch.2", "Opensearch.3", "Opensearch.4", "Opensearch.5",
    "Opensearch.6", "Opensearch.7", "Opensearch.8", "Opensearch.10", "SNS.4", "SQS.1", "SQS.3",
    "StepFunctions.1", "WAF.1", "WAF.2", "WAF.3", "WAF.4", "WAF.6", "WAF.7", "WAF.8", "WAF.10",
    "WAF.12",
)  # fmt: skip


def test_each_control_has_exactly_one_check():
    served: dict[str, list[str]] = {}
    for check_id, found in checks().items():
        for ident in found.meta.frameworks.get("aws-fsbp", ()):
            served.setdefault(ident, []).append(check_id)
    assert {ident: served.get(ident, []) for ident in FSBP if len(served.get(ident, [])) != 1} == {}
