"""S3, AWS Backup, SNS and SQS checks against their controls' published definitions:
the edge cases where a verdict used to differ from what the control's own text gives."""

from __future__ import annotations

from botocore.stub import ANY

from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, by_resource, collect, run, stubbed

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE


def buckets(*names: str, region: str = REGION) -> list[dict]:
    return [{"name": n, "arn": f"arn:aws:s3:::{n}", "region": region} for n in names]


def by_bucket(findings) -> dict[str, Status]:
    return {r.rsplit(":", 1)[-1]: s for r, s in by_resource(findings).items()}


def _deny_http(name: str, principal: object = "*", secure: object = "false") -> dict:
    return {"Statement": [{
        "Effect": "Deny", "Principal": principal, "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": secure}},
    }]}  # fmt: skip


def test_tls_only_needs_the_deny_to_apply_to_everyone():
    # S3.5 / CIS 3.1.1: the compliant policy denies Principal "*"; a Deny for one role
    # leaves every other caller on plain HTTP. ["false"] is the same test as "false".
    policies = {
        "everyone": _deny_http("everyone"),
        "aws-star": _deny_http("aws-star", principal={"AWS": "*"}),
        "listed": _deny_http("listed", secure=["false"]),
        "one-role": _deny_http("one-role", principal={"AWS": "arn:aws:iam::123456789012:role/app"}),
        "if-exists": {
            "Statement": [
                {
                    **_deny_http("if-exists")["Statement"][0],
                    "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
                }
            ]
        },
    }
    data = {"s3.buckets": buckets(*policies), "s3.bucket_policies": policies}
    assert by_bucket(run("s3.bucket_tls_only", data)) == {
        "everyone": P, "aws-star": P, "listed": P, "one-role": F, "if-exists": P,
    }  # fmt: skip


def test_mfa_delete_needs_versioning_enabled_too():
    # CIS 3.1.2 audit: get-bucket-versioning must show Status and MfaDelete Enabled.
    versions = {
        "both": {"Status": "Enabled", "MFADelete": "Enabled"},
        "suspended": {"Status": "Suspended", "MFADelete": "Enabled"},
        "no-mfa": {"Status": "Enabled", "MFADelete": "Disabled"},
        "never": {},
    }
    data = {"s3.buckets": buckets(*versions), "s3.bucket_versioning": versions}
    assert by_bucket(run("s3.bucket_mfa_delete", data)) == {
        "both": P, "suspended": F, "no-mfa": F, "never": F,
    }  # fmt: skip


def _trail(selectors: dict, home: str = REGION, multi: bool = True) -> dict:
    return {"Name": "t", "HomeRegion": home, "IsMultiRegionTrail": multi,
            "status": {"IsLogging": True},
            "selectors": {"EventSelectors": [], "AdvancedEventSelectors": [], **selectors}}  # fmt: skip


def _basic(*values: str) -> dict:
    return {"EventSelectors": [{"ReadWriteType": "All", "DataResources": [
        {"Type": "AWS::S3::Object", "Values": list(values)}]}]}  # fmt: skip


def _advanced(*extra: dict) -> dict:
    return {"AdvancedEventSelectors": [{"FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}, *extra]}]}  # fmt: skip


def _object_logging(trails: list[dict], *names: str, region: str = REGION) -> dict:
    data = {"s3.buckets": buckets(*names, region=region), ("cloudtrail.trails", REGION): trails}
    return {kind: by_bucket(run(f"s3.object_{kind}_logging", data)) for kind in ("read", "write")}


def test_object_logging_of_one_bucket_does_not_cover_a_bucket_whose_name_it_starts():
    # CIS 4.8/4.9: the selector must name the bucket; "logs-archive/" is not "logs".
    found = _object_logging([_trail(_basic("arn:aws:s3:::logs-archive/"))], "logs", "logs-archive")
    assert found["write"] == {"logs": F, "logs-archive": P}
    prefix = {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::logs-archive/"]}
    found = _object_logging([_trail(_advanced(prefix))], "logs", "logs-archive")
    assert found["read"] == {"logs": F, "logs-archive": P}
    # An advanced selector's StartsWith is a plain string prefix: "logs" takes in both.
    prefix = {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::logs"]}
    found = _object_logging([_trail(_advanced(prefix))], "logs", "logs-archive")
    assert found["read"] == {"logs": P, "logs-archive": P}


def test_object_logging_reads_exclusions_and_negated_read_only_of_advanced_selectors():
    # "Every bucket but logs", writes only (readOnly NotEquals true).
    but_logs = {"Field": "resources.ARN", "NotStartsWith": ["arn:aws:s3:::logs/"]}
    writes = {"Field": "readOnly", "NotEquals": ["true"]}
    found = _object_logging([_trail(_advanced(but_logs, writes))], "logs", "data")
    assert found == {"read": {"logs": F, "data": F}, "write": {"logs": F, "data": P}}


def test_object_logging_of_a_single_region_trail_stops_at_its_region():
    # Data events of a bucket are recorded in its region: a single-region trail in
    # us-east-1 does not record those of a bucket in eu-west-1, a multi-region one does.
    single = [_trail(_basic("arn:aws:s3"), multi=False)]
    assert _object_logging(single, "here")["write"] == {"here": P}
    assert _object_logging(single, "there", region="eu-west-1")["write"] == {"there": F}
    multi = [_trail(_basic("arn:aws:s3"))]
    assert _object_logging(multi, "there", region="eu-west-1")["write"] == {"there": P}


def test_sqs_queues_are_read_past_the_first_thousand():
    # ListQueues without MaxResults answers 1,000 queues at most and no NextToken; with
    # it, it pages. SQS.1 and SQS.3 judge every queue, so the collector must page.
    session, stub = stubbed("sqs")
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/"
    stub.add_response("list_queues", {"QueueUrls": [url + "a"], "NextToken": "page-2"},
                      {"MaxResults": 1000})  # fmt: skip
    stub.add_response("list_queues", {"QueueUrls": [url + "b"]},
                      {"MaxResults": 1000, "NextToken": "page-2"})  # fmt: skip
    for _ in range(2):  # asked a few at a time, so in either order: the ARN comes from the URL
        stub.add_response("get_queue_attributes", {"Attributes": {"SqsManagedSseEnabled": "true"}},
                          {"QueueUrl": ANY, "AttributeNames": ANY})  # fmt: skip
    with stub:
        found = collect("sqs.queues", session=session)
    stub.assert_no_pending_responses()
    assert [q["arn"].rsplit(":", 1)[-1] for q in found] == ["a", "b"]


def test_public_read_is_unknown_while_the_buckets_block_public_access_is_unreadable():
    # S3.2/S3.3 weigh Block Public Access before the policy and ACL: a public grant of
    # a bucket whose own settings AWS refused to show is not proven effective.
    public = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                             "Resource": "arn:aws:s3:::b/*"}]}  # fmt: skip
    data = {
        "s3.buckets": buckets("hidden", "open"),
        "s3.bucket_policies": {"hidden": public, "open": public},
        "s3.bucket_acls": {"hidden": [], "open": []},
        "s3.bucket_public_access_blocks": {"hidden": Unreadable("access denied"), "open": None},
        "s3.account_public_access_block": None,
    }
    assert by_bucket(run("s3.bucket_public_read", data)) == {"hidden": E, "open": F}


def test_object_logging_is_unknown_while_a_trails_selectors_are_unreadable():
    # CIS 4.8/4.9 read every trail's event selectors: one AWS refused may be the one
    # that records the bucket, so no covering trail found is not yet a failure.
    hidden = {**_trail({}), "Name": "hidden", "selectors": Unreadable("access denied")}
    assert _object_logging([hidden], "data")["write"] == {"data": E}
    elsewhere = {**hidden, "IsMultiRegionTrail": False, "HomeRegion": "eu-west-1"}
    assert _object_logging([elsewhere], "data")["write"] == {"data": F}
    covering = _trail(_basic("arn:aws:s3"))
    assert _object_logging([hidden, covering], "data")["write"] == {"data": P}


def test_sqs_encryption_is_judged_when_only_the_queues_policy_is_unreadable():
    # SQS.1 reads the encryption settings; a policy that is not JSON is SQS.3's problem.
    queue = {"url": "u", "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q", "sqs_managed_sse": True,
             "kms_key": "", "policy": Unreadable("the policy is not readable JSON")}  # fmt: skip
    denied = {"url": "d", "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:d",
              "attributes": Unreadable("access denied")}  # fmt: skip
    data = {"sqs.queues": [queue, denied]}
    assert [f.status for f in run("sqs.encrypted", data)] == [P, E]
    assert [f.status for f in run("sqs.public_policy", data)] == [E, E]


def test_cis_block_public_access_is_met_at_either_level() -> None:
    # CIS 3.1.4: the account's four settings cover every bucket; without them, each
    # bucket needs its own. FSBP's S3.1 and S3.8 keep judging the levels apart.
    on = dict.fromkeys(("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                        "RestrictPublicBuckets"), True)  # fmt: skip
    buckets = [
        {"name": n, "arn": f"arn:aws:s3:::{n}", "region": "us-east-1"} for n in ("open", "shut")
    ]
    blocks = {"open": None, "shut": on}
    data = {"s3.buckets": buckets, "s3.bucket_public_access_blocks": blocks}
    (account,) = run("s3.block_public_access", {**data, "s3.account_public_access_block": on})
    assert account.status is Status.PASS and account.resource.endswith(":account")
    findings = run("s3.block_public_access", {**data, "s3.account_public_access_block": None})
    verdicts = {f.resource.rsplit(":", 1)[-1]: f.status for f in findings}
    assert verdicts == {"open": Status.FAIL, "shut": Status.PASS}
    own = run("s3.bucket_public_access_block", {**data, "s3.account_public_access_block": on})
    # S3.8 still judges each bucket's own settings
    assert {f.resource.rsplit(":", 1)[-1]: f.status for f in own}["open"] is Status.FAIL


def test_an_access_point_is_judged_in_its_own_region_only():
    # ListAccessPoints answers the region's own access points; one naming another region
    # in its ARN (as an endpoint that lists every region's may) is left to that region,
    # so no access point is reported twice.
    session, stub = stubbed("s3control")
    here = f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/here"
    stub.add_response("list_access_points", {"AccessPointList": [
        {"Name": "here", "NetworkOrigin": "Internet", "Bucket": "b", "AccessPointArn": here},
        {"Name": "there", "NetworkOrigin": "Internet", "Bucket": "b",
         "AccessPointArn": f"arn:aws:s3:eu-west-1:{ACCOUNT}:accesspoint/there"},
    ]}, {"AccountId": ACCOUNT})  # fmt: skip
    stub.add_response("get_access_point", {"Name": "here", "Bucket": "b",
                      "NetworkOrigin": "Internet"}, {"AccountId": ACCOUNT, "Name": "here"})  # fmt: skip
    with stub:
        found = collect("s3.access_points", session=session)
    stub.assert_no_pending_responses()
    assert [p["arn"] for p in found] == [here]
