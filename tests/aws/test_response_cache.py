"""The shared answers of a scan: kept while a collector run that may ask for the same
call is still to finish, dropped once none is, never kept when only the run that
made the call could ask for it."""

from __future__ import annotations

import threading

from srm_tui.aws.session import ResponseCache

ACL = ("s3", "GetBucketAcl", "eu-west-1", '{"Bucket": "b"}')
GROUPS = ("ec2", "DescribeSecurityGroups", "us-east-1", "{}")
GROUPS_EU = ("ec2", "DescribeSecurityGroups", "eu-west-1", "{}")
ZONES = ("ec2", "DescribeAvailabilityZones", "us-east-1", "{}")


def _answer(cache: ResponseCache, key: tuple[str, str, str, str], value: str) -> None:
    assert cache.claim(key) is None  # nobody has it: this caller makes the call
    cache.settle(key, {"value": value})


def _kept(cache: ResponseCache, key: tuple[str, str, str, str]) -> bool:
    shared = cache.claim(key)
    if shared is None:
        cache.settle(key, None)  # this probe made no call: release the claim
    return shared is not None


def test_without_a_plan_every_answer_is_kept() -> None:
    cache = ResponseCache()
    _answer(cache, ACL, "acl")
    assert cache.claim(ACL) == {"value": "acl"}


def test_an_answer_is_kept_only_while_another_run_may_ask_for_it() -> None:
    cache = ResponseCache()
    cache.plan([
        (("s3:GetBucketAcl",), ""),  # one global run reads the ACLs
        (("ec2:DescribeSecurityGroups",), "us-east-1"),  # two runs read the groups
        (("ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"), "us-east-1"),
        (("ec2:DescribeSecurityGroups",), "eu-west-1"),
    ])  # fmt: skip
    _answer(cache, ACL, "acl")
    assert not _kept(cache, ACL)  # only the run that asked could ask again
    _answer(cache, GROUPS, "groups")
    _answer(cache, GROUPS_EU, "groups eu")
    assert _kept(cache, GROUPS)
    assert not _kept(cache, GROUPS_EU)  # one run in that region: its own
    cache.finished(("ec2:DescribeSecurityGroups",), "us-east-1")
    assert _kept(cache, GROUPS)  # the other run in us-east-1 may still ask
    cache.finished(("ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"), "us-east-1")
    assert not _kept(cache, GROUPS)


def test_an_answer_no_planned_run_declares_is_kept() -> None:
    cache = ResponseCache()
    cache.plan([(("ec2:DescribeSecurityGroups",), "us-east-1")])
    _answer(cache, ZONES, "zones")
    assert cache.claim(ZONES) == {"value": "zones"}


def test_a_caller_waiting_for_a_call_in_flight_gets_its_answer_even_if_not_kept() -> None:
    cache = ResponseCache()
    cache.plan([(("s3:GetBucketAcl",), "")])
    assert cache.claim(ACL) is None
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(cache.claim(ACL)))
    waiter.start()
    waiter.join(0.2)  # waiting for the call in flight
    cache.settle(ACL, {"value": "acl"})
    waiter.join(5)
    assert got == [{"value": "acl"}]
    assert not _kept(cache, ACL)
