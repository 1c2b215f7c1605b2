"""wa-sync: the one write path, opt-in. moto has no Well-Architected service, so the
calls are checked with botocore's Stubber and the Tool's real response shapes;
--dry-run prints the same calls and builds no AWS client at all; the read-only policy
never gains a write action."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
import report_samples as samples
from botocore.stub import ANY, Stubber

from srm_tui import store, wa_sync
from srm_tui.errors import SrmError, UsageError
from srm_tui.model import Answer

LENS_ARN = "arn:aws:wellarchitected:eu-west-1:111122223333:lens/4f6d4fb5c2e1d1e9"
WORKLOAD_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
NOW = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


def _client():
    return boto3.client(
        "wellarchitected",
        region_name="eu-west-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )


def _request(**changes):
    a = samples.assessment()
    a.answers["s_tr_phishing"].notes = "n" * 5000  # over the Tool's 2,084 characters
    return wa_sync.prepare(
        a,
        samples.sections(),
        workload_name="payments",
        milestone="2026-q4",
        region="eu-west-1",
        **changes,
    )


def _answered(request):
    return [
        (qid, a)
        for qid, a in sorted(request.assessment.answers.items())
        if qid in request.lens_questions and a.is_answered
    ]


def _update(qid: str, answer: Answer) -> dict:
    expected: dict = {"WorkloadId": WORKLOAD_ID, "LensAlias": LENS_ARN, "QuestionId": qid}
    if answer.applicable:
        expected |= {"SelectedChoices": list(answer.selected), "IsApplicable": True}
    else:
        expected |= {"IsApplicable": False, "Reason": "BUSINESS_PRIORITIES"}
    if answer.notes:
        expected["Notes"] = ANY
    return expected


def test_a_first_sync_imports_publishes_creates_answers_and_marks_a_milestone():
    request = _request()
    client = _client()
    sent_notes: dict[str, str] = {}
    client.meta.events.register(
        "provide-client-params.wellarchitected.UpdateAnswer",
        lambda params, **_: sent_notes.__setitem__(params["QuestionId"], params.get("Notes", "")),
    )
    with Stubber(client) as stub:
        stub.add_response(
            "list_lenses",
            {"LensSummaries": []},
            {"LensType": "CUSTOM_SELF", "LensName": request.lens_name},
        )
        stub.add_response(
            "import_lens",
            {"LensArn": LENS_ARN, "Status": "COMPLETE"},
            {"JSONString": request.lens_json, "ClientRequestToken": ANY},
        )
        stub.add_response(
            "create_lens_version",
            {"LensArn": LENS_ARN, "LensVersion": "0.1.0-20261201103000"},
            {
                "LensAlias": LENS_ARN,
                "LensVersion": "0.1.0-20261201103000",
                "IsMajorVersion": True,
                "ClientRequestToken": ANY,
            },
        )
        stub.add_response(
            "list_workloads", {"WorkloadSummaries": []}, {"WorkloadNamePrefix": "payments"}
        )
        stub.add_response(
            "create_workload",
            {
                "WorkloadId": WORKLOAD_ID,
                "WorkloadArn": f"arn:aws:wellarchitected:eu-west-1:111122223333:workload/{WORKLOAD_ID}",
            },
            {
                "WorkloadName": "payments",
                "Description": ANY,
                "Environment": "PREPRODUCTION",
                "Lenses": [LENS_ARN],
                "ClientRequestToken": ANY,
                "AccountIds": [samples.ACCOUNT],
                "AwsRegions": ["eu-west-1", "us-east-1"],
            },
        )
        for qid, answer in _answered(request):
            stub.add_response(
                "update_answer",
                {
                    "WorkloadId": WORKLOAD_ID,
                    "LensAlias": LENS_ARN,
                    "LensArn": LENS_ARN,
                    "Answer": {"QuestionId": qid, "Risk": "HIGH"},
                },
                _update(qid, answer),
            )
        stub.add_response(
            "create_milestone",
            {"WorkloadId": WORKLOAD_ID, "MilestoneNumber": 1},
            {"WorkloadId": WORKLOAD_ID, "MilestoneName": "2026-q4", "ClientRequestToken": ANY},
        )
        out = wa_sync.sync(client, request, now=lambda: NOW)
        stub.assert_no_pending_responses()
    assert out.created_workload and out.milestone_number == 1
    assert out.answers == len(_answered(request)) == 5
    assert out.cut_notes == ["s_tr_phishing"]
    cut = sent_notes["s_tr_phishing"]
    assert len(cut) <= wa_sync.MAX_NOTES and cut.endswith(wa_sync.CUT)
    assert sent_notes["s_ir_logs"] == "All trails go to the log archive account."


def test_a_second_sync_updates_the_lens_and_reuses_the_workload():
    request = _request()
    client = _client()
    with Stubber(client) as stub:
        stub.add_response(
            "list_lenses",
            {
                "LensSummaries": [
                    {
                        "LensArn": LENS_ARN,
                        "LensName": request.lens_name,
                        "LensType": "CUSTOM_SELF",
                        "LensStatus": "CURRENT",
                    }
                ]
            },
            {"LensType": "CUSTOM_SELF", "LensName": request.lens_name},
        )
        stub.add_response(
            "import_lens",
            {"LensArn": LENS_ARN, "Status": "COMPLETE"},
            {"JSONString": request.lens_json, "ClientRequestToken": ANY, "LensAlias": LENS_ARN},
        )
        stub.add_response("create_lens_version", {"LensArn": LENS_ARN, "LensVersion": "v2"}, None)
        stub.add_response(
            "list_workloads",
            {
                "WorkloadSummaries": [
                    {"WorkloadId": "0" * 32, "WorkloadName": "payments-old"},
                    {"WorkloadId": WORKLOAD_ID, "WorkloadName": "payments"},
                ]
            },
            {"WorkloadNamePrefix": "payments"},
        )
        stub.add_response(
            "associate_lenses", {}, {"WorkloadId": WORKLOAD_ID, "LensAliases": [LENS_ARN]}
        )
        for _ in _answered(request):
            stub.add_response("update_answer", {"WorkloadId": WORKLOAD_ID}, None)
        stub.add_response(
            "create_milestone", {"WorkloadId": WORKLOAD_ID, "MilestoneNumber": 2}, None
        )
        out = wa_sync.sync(client, request, now=lambda: NOW)
        stub.assert_no_pending_responses()
    assert not out.created_workload and out.workload_id == WORKLOAD_ID and out.lens_version == "v2"


def test_a_refusal_by_the_tool_is_one_sentence():
    request = _request()
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("list_lenses", {"LensSummaries": []}, None)
        stub.add_client_error(
            "import_lens",
            service_error_code="ValidationException",
            service_message="Lens JSON is invalid.\nsecond line",
            http_status_code=400,
        )
        with pytest.raises(
            SrmError, match=r"refused ImportLens: ValidationException: Lens JSON is invalid\.$"
        ):
            wa_sync.sync(client, request, now=lambda: NOW)


def test_dry_run_prints_every_call_and_builds_no_client(run_cli, tmp_path, monkeypatch):
    from srm_tui.aws import session, wa_client

    def no_network(*args, **kwargs):
        raise AssertionError("--dry-run made an AWS client")

    monkeypatch.setattr(session, "AwsSession", no_network)
    monkeypatch.setattr(wa_client, "wellarchitected_client", no_network)
    path = tmp_path / "review.toml"
    a = samples.assessment()
    a.answers.clear()
    a.answers["s_ir_awareness"] = Answer("s_ir_awareness", "x")  # not a shipped question
    store.save(a, path)
    result = run_cli(
        "wa-sync", path, "--workload-name", "payments", "--dry-run", "--region", "eu-west-1"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    names = [line.split(" ", 1)[0] for line in lines]
    assert names == [
        "ListLenses", "ImportLens", "CreateLensVersion", "ListWorkloads", "CreateWorkload",
        "CreateMilestone",
    ]  # fmt: skip
    assert "bytes, sha256" in lines[1] and "Would send 0 answers" in result.err


def test_the_write_policy_is_apart_and_the_read_only_policy_never_writes(run_cli):
    write = json.loads(run_cli("policy", "--wa-sync").out)
    actions = {a for s in write["Statement"] for a in s["Action"]}
    assert actions == set(wa_sync.ACTIONS)
    assert {a.split(":")[0] for a in actions} == {"wellarchitected"}
    read = json.loads(run_cli("policy").out)
    read_actions = [a for s in read["Statement"] for a in s["Action"]]
    verbs = ("Describe", "Get", "BatchGet", "List", "Lookup", "Search", "Head", "GET")
    # AWS lists GenerateCredentialReport at the "Read" access level: it writes nothing
    # the account holder sees but the report itself.
    reads = {"iam:GenerateCredentialReport"}
    writes = [
        a for a in read_actions if a not in reads and not a.split(":", 1)[1].startswith(verbs)
    ]
    assert writes == []
    assert not any(a.startswith("wellarchitected:") for a in read_actions)


def test_a_dry_run_whose_reader_went_away_is_not_a_refusal_by_the_tool():
    # 'wa-sync ... --dry-run | head' said "The Well-Architected Tool refused
    # CreateWorkload: BrokenPipeError".
    def closed(line: str) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        wa_sync.sync(wa_sync.DryRun(closed), _request(), now=lambda: NOW)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"workload_name": "wl"}, "workload names have 3 to 100 characters; 'wl' has 2"),
        ({"workload_name": "w" * 101}, "workload names have 3 to 100 characters"),
        ({"milestone": "q3"}, "milestone names have at least 3 characters, and 'q3' has 2"),
        ({"owner": "Al"}, "review owners have at least 3 characters, and 'Al' has 2"),
    ],
)
def test_a_name_the_tool_would_refuse_stops_before_the_first_call(changes, said):
    # The Tool refused them only at CreateWorkload or CreateMilestone: after the lens
    # was imported and published, or after every answer was sent.
    a = samples.assessment()
    a.scope.review_owner = changes.pop("owner", "Platform team")
    given = {"workload_name": "payments", "milestone": "2026-q4"} | changes
    with pytest.raises(UsageError, match=said):
        wa_sync.prepare(a, samples.sections(), region="eu-west-1", **given)


def test_the_write_policy_is_not_offered_as_a_template(run_cli):
    # --format cloudformation was dropped without a word: the JSON policy came out.
    result = run_cli("policy", "--wa-sync", "--format", "cloudformation")
    assert result.code == 2 and result.out == ""
    assert "--wa-sync prints the Well-Architected sync's policy as JSON only" in result.err


def test_no_credentials_is_said_without_suggesting_a_demo_it_lacks(run_cli, tmp_path, monkeypatch):
    # The sentence ended "or try --demo": wa-sync (and import) has no --demo.
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    path = tmp_path / "review.toml"
    store.save(samples.assessment(), path)
    result = run_cli(
        "wa-sync", path, "--workload-name", "payments", "--milestone", "2026-q4",
        "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9",
    )  # fmt: skip
    assert result.code == 1
    assert "No AWS credentials found" in result.err and "--demo" not in result.err


@pytest.mark.parametrize("given", ["Security  review ", "x" * 200])
def test_the_lens_is_looked_up_by_the_name_it_holds(given):
    # The lens folds spaces and cuts its name to the Tool's 128 characters; the sync
    # looked it up by the name as given, never found it, and imported another each time.
    request = _request(lens_name=given)
    held = json.loads(request.lens_json)["name"]
    assert request.lens_name == held and held != given and len(held) <= 128
    client = _client()
    with Stubber(client) as stub:
        stub.add_response(
            "list_lenses",
            {"LensSummaries": [{"LensArn": LENS_ARN, "LensName": held}]},
            {"LensType": "CUSTOM_SELF", "LensName": held},
        )
        stub.add_response(
            "import_lens",
            {"LensArn": LENS_ARN, "Status": "COMPLETE"},
            {"JSONString": ANY, "ClientRequestToken": ANY, "LensAlias": LENS_ARN},
        )
        stub.add_client_error("create_lens_version", service_error_code="Stop")
        with pytest.raises(SrmError, match="CreateLensVersion"):
            wa_sync.sync(client, request, now=lambda: NOW)
        stub.assert_no_pending_responses()
