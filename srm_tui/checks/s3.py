"""S3 checks: public access, TLS, encryption, versioning, logging and lifecycle of
buckets, other accounts in bucket policies, and access points' Block Public Access."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from typing import Any

from srm_tui.checks._common import as_list, statements
from srm_tui.checks.context import Context, check
from srm_tui.checks.iam_policy import allows_action
from srm_tui.checks.resource_policy import public_actions, public_grants
from srm_tui.collected import Unreadable
from srm_tui.model import Finding, Status

_BPA_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
_PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def _each_bucket(
    ctx: Context,
    collector: str,
    judge: Callable[[Any], tuple[bool, str]],
) -> Iterable[Finding]:
    """One finding per bucket from one per-bucket setting; unreadable ones are errors."""
    buckets = ctx.data("s3.buckets")
    values = ctx.data(collector)
    for bucket in buckets:
        value = values.get(bucket["name"])
        if isinstance(value, Unreadable):
            yield ctx.error(bucket["arn"], value.reason, region=bucket["region"])
            continue
        passed, detail = judge(value)
        status = ctx.ok if passed else ctx.fail
        yield status(bucket["arn"], detail, region=bucket["region"])
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.account_public_access_block", needs=("s3.account_public_access_block",))
def account_public_access_block(ctx: Context) -> Iterable[Finding]:
    config = ctx.data("s3.account_public_access_block") or {}
    off = [k for k in _BPA_KEYS if not config.get(k)]
    if off:
        yield ctx.fail(ctx.account_arn("s3"), "not blocked: " + ", ".join(off))
    else:
        yield ctx.ok(ctx.account_arn("s3"), "all four settings are on")


def _bpa(value: Any) -> tuple[bool, str]:
    off = [k for k in _BPA_KEYS if not (value or {}).get(k)]
    return (not off, "not blocked: " + ", ".join(off) if off else "all four settings are on")


@check("s3.bucket_public_access_block", needs=("s3.buckets", "s3.bucket_public_access_blocks"))
def bucket_public_access_block(ctx: Context) -> Iterable[Finding]:
    allowed = {str(name) for name in ctx.param("excluded_public_buckets")}
    for finding in _each_bucket(ctx, "s3.bucket_public_access_blocks", _bpa):
        name = finding.resource.rsplit(":", 1)[-1]
        if name in allowed:
            yield ctx.na(finding.resource, "listed by the scope as an intended public bucket",
                         region=finding.region)  # fmt: skip
        else:
            yield finding


def _everyone(principal: Any) -> bool:
    """True for a principal that stands for every caller: "*" or {"AWS": "*"}."""
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in [str(p) for p in as_list(principal.get("AWS"))]


def _denies_http(policy: Any) -> tuple[bool, str]:
    # AWS's compliant policy for S3.5 / CIS 3.1.1 denies "s3:*" to Principal "*" when
    # aws:SecureTransport is false: a Deny for named principals only leaves every
    # other caller free to use plain HTTP. A one-value list ["false"] is the same test.
    for stmt in statements(policy):
        actions = {str(a).lower() for a in as_list(stmt.get("Action"))}
        if stmt.get("Effect") != "Deny" or not ({"s3:*", "*"} & actions):
            continue
        if "NotPrincipal" in stmt or not _everyone(stmt.get("Principal")):
            continue
        condition = stmt.get("Condition")
        condition = condition if isinstance(condition, dict) else {}
        # aws:SecureTransport is in every request, so BoolIfExists tests it as Bool does.
        bools = next(
            (v for k, v in condition.items() if str(k).lower() in ("bool", "boolifexists")), None
        )
        secure = {str(k).lower(): v for k, v in bools.items()} if isinstance(bools, dict) else {}
        values = [str(v).lower() for v in as_list(secure.get("aws:securetransport"))]
        if values == ["false"]:
            return True, "the policy denies requests without TLS"
    if policy is None:
        return False, "no bucket policy, so plain HTTP requests are allowed"
    return False, "the policy does not deny everyone's requests without TLS (aws:SecureTransport)"


@check(
    "s3.block_public_access",
    needs=("s3.buckets", "s3.bucket_public_access_blocks", "s3.account_public_access_block"),
)
def block_public_access(ctx: Context) -> Iterable[Finding]:
    # CIS 3.1.4 asks for Block Public Access at either level: the account's four settings
    # cover every bucket; without them, each bucket needs its own.
    account = ctx.data("s3.account_public_access_block") or {}
    if all(account.get(k) for k in _BPA_KEYS):
        yield ctx.ok(ctx.account_arn("s3"), "the account's four settings cover every bucket")
        return
    for finding in _each_bucket(ctx, "s3.bucket_public_access_blocks", _bpa):
        if finding.status is Status.FAIL:
            detail = finding.detail + "; nor does the account block public access"
            yield ctx.fail(finding.resource, detail, region=finding.region)
        else:
            yield finding


@check("s3.bucket_tls_only", needs=("s3.buckets", "s3.bucket_policies"))
def bucket_tls_only(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_policies", _denies_http)


@check("s3.bucket_public_policy", needs=("s3.buckets", "s3.bucket_policies", "s3.bucket_acls"))
def bucket_public_policy(ctx: Context) -> Iterable[Finding]:
    policies = ctx.data("s3.bucket_policies")
    acls = ctx.data("s3.bucket_acls")
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        name, arn, region = bucket["name"], bucket["arn"], bucket["region"]
        policy, grants = policies.get(name), acls.get(name)
        problems = []
        unknown = [v.reason for v in (policy, grants) if isinstance(v, Unreadable)]
        if not isinstance(policy, Unreadable):
            try:
                actions = public_actions(policy)
            except ValueError as exc:
                actions, unknown = [], [*unknown, str(exc)]
            if actions:
                problems.append("the policy allows anyone: " + ", ".join(actions))
        if isinstance(grants, list):
            for grant in grants:
                uri = grant.get("Grantee", {}).get("URI", "")
                if uri in _PUBLIC_GROUPS:
                    group = uri.rsplit("/", 1)[-1]
                    problems.append(f"the ACL grants {grant.get('Permission')} to {group}")
        if problems:
            yield ctx.fail(arn, "; ".join(problems), region=region)
        elif unknown:
            yield ctx.error(arn, "; ".join(unknown), region=region)
        else:
            yield ctx.ok(arn, "neither policy nor ACL grants public access", region=region)
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.bucket_mfa_delete", needs=("s3.buckets", "s3.bucket_versioning"))
def bucket_mfa_delete(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_versioning", _mfa_delete)


def _mfa_delete(value: Any) -> tuple[bool, str]:
    # CIS 3.1.2's audit wants both Status and MfaDelete "Enabled": MFA Delete can stay
    # on while versioning is suspended, and then protects no new object version.
    versioning, mfa = (value or {}).get("Status"), (value or {}).get("MFADelete")
    if mfa != "Enabled":
        return False, "MFA Delete is " + str(mfa or "off").lower()
    if versioning != "Enabled":
        return False, "MFA Delete is on but versioning is " + str(versioning or "off").lower()
    return True, "versioning and MFA Delete are enabled"


@check("s3.bucket_versioning", needs=("s3.buckets", "s3.bucket_versioning"))
def bucket_versioning(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_versioning",
        lambda v: (
            (v or {}).get("Status") == "Enabled",
            "versioning is " + str((v or {}).get("Status", "never enabled")).lower(),
        ),
    )


_KMS = ("aws:kms", "aws:kms:dsse")


def _encryption(rules: Any, require_kms: bool) -> tuple[bool, str]:
    algorithms = [
        rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        for rule in rules or []
    ]
    algorithms = [a for a in algorithms if a]
    if not algorithms:
        return False, "no default encryption"
    if require_kms and not any(a in _KMS for a in algorithms):
        return False, f"default encryption {algorithms[0]}, not SSE-KMS as the scope requires"
    return True, f"default encryption {algorithms[0]}"


@check("s3.bucket_default_encryption", needs=("s3.buckets", "s3.bucket_encryption"))
def bucket_default_encryption(ctx: Context) -> Iterable[Finding]:
    require_kms = bool(ctx.param("require_kms"))
    return _each_bucket(ctx, "s3.bucket_encryption", lambda v: _encryption(v, require_kms))


@check("s3.bucket_access_logging", needs=("s3.buckets", "s3.bucket_logging"))
def bucket_access_logging(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_logging",
        lambda v: (
            bool((v or {}).get("TargetBucket")),
            f"logs to {v['TargetBucket']}"
            if (v or {}).get("TargetBucket")
            else "access logging is off",
        ),
    )


def _in_bucket(value: Any, bucket_arn: str) -> bool:
    """True when a data resource ARN (or ARN prefix) is the bucket or inside it:
    "arn:aws:s3:::logs" is not inside "arn:aws:s3:::logs-archive"."""
    text = str(value)
    return text == bucket_arn or text.startswith(bucket_arn + "/")


def _selects_bucket(arns: dict[str, Any], bucket_arn: str) -> bool:
    """Whether an advanced selector's resources.ARN field (plain string prefixes, unlike
    the bucket-and-prefix values of basic selectors) takes in the bucket's objects: no
    positive test or one that reaches them, and no negative test that leaves them out."""
    objects = bucket_arn + "/"
    starts = [str(v) for v in as_list(arns.get("StartsWith"))]
    equals = [str(v) for v in as_list(arns.get("Equals"))]
    if (
        (starts or equals)
        and not any(objects.startswith(v) or v.startswith(objects) for v in starts)
        and not any(v.startswith(objects) for v in equals)
    ):
        return False
    excluded = [str(v) for v in as_list(arns.get("NotStartsWith"))]
    return not any(objects.startswith(v) for v in excluded)


def _records_region(trail: dict[str, Any], region: str) -> bool:
    """A single-region trail records only the data events of its home region's buckets."""
    return bool(trail.get("IsMultiRegionTrail")) or trail.get("HomeRegion") in (None, region)


def _data_event_coverage(
    trails: list[dict[str, Any]], bucket_arn: str, kind: str, region: str
) -> str | None:
    """The name of a logging trail that records S3 object ``kind`` ("read"/"write")
    events for the bucket (in ``region``), or None."""
    wanted = {"read": ("All", "ReadOnly"), "write": ("All", "WriteOnly")}[kind]
    partition = bucket_arn.split(":")[1] if bucket_arn.count(":") >= 2 else "aws"
    every_bucket = (f"arn:{partition}:s3", f"arn:{partition}:s3:::")
    for trail in trails:
        selectors = trail.get("selectors")
        status = trail.get("status")
        if not isinstance(selectors, dict) or not isinstance(status, dict):
            continue
        if not status.get("IsLogging") or not _records_region(trail, region):
            continue
        for sel in selectors.get("EventSelectors", []):
            if sel.get("ReadWriteType", "All") not in wanted:
                continue
            for resource in sel.get("DataResources", []):
                if resource.get("Type") != "AWS::S3::Object":
                    continue
                for value in resource.get("Values", []):
                    if value in every_bucket or _in_bucket(value, bucket_arn):
                        return trail.get("Name", "")
        for sel in selectors.get("AdvancedEventSelectors", []):
            fields = {f.get("Field"): f for f in sel.get("FieldSelectors", [])}
            if fields.get("eventCategory", {}).get("Equals") != ["Data"]:
                continue
            if fields.get("resources.type", {}).get("Equals") != ["AWS::S3::Object"]:
                continue
            read_field = fields.get("readOnly", {})
            read_only = read_field.get("Equals")
            if not read_only and read_field.get("NotEquals") in (["true"], ["false"]):
                read_only = ["false"] if read_field["NotEquals"] == ["true"] else ["true"]
            if (read_only == ["true"] and kind == "write") or (
                read_only == ["false"] and kind == "read"
            ):
                continue
            if _selects_bucket(fields.get("resources.ARN", {}), bucket_arn):
                return trail.get("Name", "")
    return None


def _unread_trails(trails: list[dict[str, Any]], region: str) -> list[str]:
    """Why the logging state or selectors of trails that may record ``region`` are unknown."""
    return [
        f"trail {t.get('Name', '')}: {v.reason}"
        for t in trails
        if _records_region(t, region)
        for v in (t.get("status"), t.get("selectors"))
        if isinstance(v, Unreadable)
    ]


def _object_logging(ctx: Context, kind: str) -> Iterable[Finding]:
    trails = [t for r in ctx.regions for t in ctx.data("cloudtrail.trails", r)]
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        arn, region = bucket["arn"], bucket["region"]
        trail = _data_event_coverage(trails, arn, kind, region)
        unread = _unread_trails(trails, region)
        if trail is not None:
            yield ctx.ok(arn, f"trail {trail} records object {kind}s", region)
        elif unread:
            # A trail AWS would not describe may be the one that records them.
            yield ctx.error(arn, "; ".join(unread), region)
        else:
            yield ctx.fail(arn, f"no logging trail records object {kind}s", region)
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.object_write_logging", needs=("s3.buckets", "cloudtrail.trails"))
def object_write_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "write")


@check("s3.object_read_logging", needs=("s3.buckets", "cloudtrail.trails"))
def object_read_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "read")


# --- public read and write (FSBP S3.2, S3.3): what Block Public Access leaves open ---

_READ_GRANTS = ("READ", "READ_ACP", "FULL_CONTROL")
_WRITE_GRANTS = ("WRITE", "WRITE_ACP", "FULL_CONTROL")
_READ_ACTIONS = ("s3:getobject", "s3:listbucket", "s3:getobjectversion", "s3:getbucketacl")
_WRITE_ACTIONS = (
    "s3:putobject", "s3:deleteobject", "s3:putobjectacl", "s3:putbucketpolicy",
    "s3:deletebucket", "s3:putbucketacl",
)  # fmt: skip


def _grants_kind(stmt: dict[str, Any], samples: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
    if "NotAction" in stmt:
        return True  # an Allow of everything but a few actions
    for action in as_list(stmt.get("Action")):
        text = str(action).lower()
        if text.startswith(prefixes) or any(fnmatchcase(sample, text) for sample in samples):
            return True
    return False


def _public_access(
    kind: str, policy: Any, grants: Any, bucket_block: Any, account_block: Any
) -> list[str]:
    """How anyone may read (or write) the bucket once Block Public Access has had its
    say: RestrictPublicBuckets neutralises public policies, IgnorePublicAcls public ACLs."""
    blocks = [b for b in (bucket_block, account_block) if isinstance(b, dict)]
    restrict = any(b.get("RestrictPublicBuckets") for b in blocks)
    ignore_acls = any(b.get("IgnorePublicAcls") for b in blocks)
    samples, prefixes, permissions = (
        (_READ_ACTIONS, ("s3:get", "s3:list"), _READ_GRANTS)
        if kind == "read"
        else (_WRITE_ACTIONS, ("s3:put", "s3:delete", "s3:abort", "s3:restore"), _WRITE_GRANTS)
    )
    found = []
    if not restrict and policy is not None and not isinstance(policy, Unreadable):
        # public_grants raises ValueError for a policy it cannot read: the caller makes
        # that an error, never a pass.
        for _, stmt in public_grants(policy):
            if _grants_kind(stmt, samples, prefixes):
                actions = ", ".join(str(a) for a in as_list(stmt.get("Action"))) or "NotAction"
                found.append(f"the policy lets anyone {kind} ({actions})")
    if not ignore_acls and isinstance(grants, list):
        for grant in grants:
            uri = (grant.get("Grantee") or {}).get("URI", "")
            if uri in _PUBLIC_GROUPS and grant.get("Permission") in permissions:
                group = uri.rsplit("/", 1)[-1]
                found.append(f"the ACL grants {grant.get('Permission')} to {group}")
    return found


def _public(ctx: Context, kind: str) -> Iterable[Finding]:
    policies = ctx.data("s3.bucket_policies")
    acls = ctx.data("s3.bucket_acls")
    blocks = ctx.data("s3.bucket_public_access_blocks")
    account = ctx.data("s3.account_public_access_block")
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        name, arn, region = bucket["name"], bucket["arn"], bucket["region"]
        values = (policies.get(name), acls.get(name), blocks.get(name))
        unknown = [v.reason for v in values if isinstance(v, Unreadable)]
        try:
            problems = _public_access(kind, *values, account)
        except ValueError as exc:
            problems, unknown = [], [*unknown, str(exc)]
        if isinstance(values[2], Unreadable):
            # The bucket's own Block Public Access may neutralise whatever the policy
            # or ACL grants: without it, no public grant is proven effective.
            problems = []
        if problems:
            yield ctx.fail(arn, "; ".join(problems), region=region)
        elif unknown:
            yield ctx.error(arn, "; ".join(unknown), region=region)
        else:
            yield ctx.ok(arn, f"nobody outside the account may {kind} it", region=region)
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


_PUBLIC_NEEDS = (
    "s3.buckets", "s3.bucket_policies", "s3.bucket_acls", "s3.bucket_public_access_blocks",
    "s3.account_public_access_block",
)  # fmt: skip


@check("s3.bucket_public_read", needs=_PUBLIC_NEEDS)
def bucket_public_read(ctx: Context) -> Iterable[Finding]:
    return _public(ctx, "read")


@check("s3.bucket_public_write", needs=_PUBLIC_NEEDS)
def bucket_public_write(ctx: Context) -> Iterable[Finding]:
    return _public(ctx, "write")


# --- other accounts in the bucket policy (FSBP S3.6) ---


def _other_accounts(principal: Any, account_id: str) -> list[str]:
    """The principals of a statement that belong to another account ("*" among them)."""
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return []
    found = []
    for value in as_list(principal.get("AWS")):
        text = str(value)
        owner = text.split(":")[4] if text.startswith("arn:") and text.count(":") >= 5 else text
        if text == "*" or owner != account_id:
            found.append(text)
    return found


@check("s3.bucket_cross_account_actions", needs=("s3.buckets", "s3.bucket_policies"))
def bucket_cross_account_actions(ctx: Context) -> Iterable[Finding]:
    blocked = [str(a) for a in ctx.param("blocked_actions")]

    def judge(policy: Any) -> tuple[bool, str]:
        problems = []
        for stmt in statements(policy):
            others = _other_accounts(stmt.get("Principal"), ctx.account_id)
            if stmt.get("Effect") != "Allow" or not others:
                continue
            allowed = [a for a in blocked if allows_action(stmt, a)]
            if allowed:
                problems.append(f"{', '.join(others)} may {', '.join(allowed)}")
        if problems:
            return False, "other accounts: " + "; ".join(problems)
        return True, "no other account may change the bucket's policy, ACLs or encryption"

    return _each_bucket(ctx, "s3.bucket_policies", judge)


# --- ACLs for user access (FSBP S3.12) ---


def _acl_users(grants: Any) -> tuple[bool, str]:
    others = [g for g in grants or [] if not g.get("Owner")]
    if not others:
        return True, "the ACL grants nothing beyond the bucket owner"
    names = sorted(
        {
            str((g.get("Grantee") or {}).get("URI", "")).rsplit("/", 1)[-1]
            or str((g.get("Grantee") or {}).get("DisplayName") or "")
            or str((g.get("Grantee") or {}).get("ID", ""))[:12]
            for g in others
        }
    )
    return False, "the ACL grants access to " + ", ".join(n for n in names if n)


@check("s3.bucket_acl_user_access", needs=("s3.buckets", "s3.bucket_acls"))
def bucket_acl_user_access(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_acls", _acl_users)


# --- lifecycle configurations (FSBP S3.13, S3.25) ---


def _lifecycle(
    rules: Any, transition_days: int, expiration_days: int, storage_class: str
) -> tuple[bool, str]:
    active = [r for r in rules or [] if r.get("status") == "Enabled"]
    if not active:
        return False, "no enabled lifecycle rule" if rules else "no lifecycle configuration"
    wanted = []
    if expiration_days:
        wanted.append(
            (f"expiration after {expiration_days} days",
             lambda r: r.get("expiration_days") == expiration_days)
        )  # fmt: skip
    if transition_days or storage_class:
        wanted.append(
            (f"a transition{f' after {transition_days} days' if transition_days else ''}"
             f"{f' to {storage_class}' if storage_class else ''}",
             lambda r: any((not transition_days or t.get("days") == transition_days)
                           and (not storage_class or t.get("storage_class") == storage_class)
                           for t in r.get("transitions") or []))
        )  # fmt: skip
    missing = [label for label, test in wanted if not any(test(r) for r in active)]
    if missing:
        return False, "no enabled rule has " + " or ".join(missing)
    return True, f"{len(active)} enabled lifecycle rule(s)"


@check("s3.bucket_lifecycle", needs=("s3.buckets", "s3.bucket_lifecycle"))
def bucket_lifecycle(ctx: Context) -> Iterable[Finding]:
    days = int(ctx.param("target_transition_days"))
    expire = int(ctx.param("target_expiration_days"))
    storage = str(ctx.param("target_transition_storage_class"))
    return _each_bucket(ctx, "s3.bucket_lifecycle", lambda v: _lifecycle(v, days, expire, storage))


@check("s3.directory_bucket_lifecycle", needs=("s3.directory_buckets",))
def directory_bucket_lifecycle(ctx: Context) -> Iterable[Finding]:
    expire = int(ctx.param("target_expiration_days"))
    buckets = ctx.data("s3.directory_buckets")
    for bucket in buckets:
        if isinstance(bucket["rules"], Unreadable):
            yield ctx.error(bucket["arn"], bucket["rules"].reason)
            continue
        passed, detail = _lifecycle(bucket["rules"], 0, expire, "")
        yield (ctx.ok if passed else ctx.fail)(bucket["arn"], detail)
    if not buckets:
        yield ctx.na(ctx.account_arn("s3express"), "no directory buckets in this region")


# --- Block Public Access of access points (FSBP S3.19, S3.24) ---


def _points(ctx: Context, points: list[dict[str, Any]], none: str) -> Iterable[Finding]:
    for point in points:
        if isinstance(point["block"], Unreadable):
            yield ctx.error(point["arn"], point["block"].reason)
            continue
        passed, detail = _bpa(point["block"])
        yield (ctx.ok if passed else ctx.fail)(point["arn"], detail)
    if not points:
        yield ctx.na(ctx.account_arn("s3"), none)


@check("s3.access_point_block_public_access", needs=("s3.access_points",))
def access_point_block_public_access(ctx: Context) -> Iterable[Finding]:
    return _points(ctx, ctx.data("s3.access_points"), "no access points in this region")


@check("s3.multi_region_access_point_block_public_access", needs=("s3.multi_region_access_points",))
def multi_region_access_point_block_public_access(ctx: Context) -> Iterable[Finding]:
    return _points(ctx, ctx.data("s3.multi_region_access_points"), "no Multi-Region Access Points")
