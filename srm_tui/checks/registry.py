"""The check registry.

A check is a pure function over collected data::

    @check(
        "ec2.sg_admin_ports_ipv4",
        title="Security groups do not open administration ports to 0.0.0.0/0",
        service="ec2",
        severity="high",
        responsibility="customer",
        scope="regional",
        needs=("ec2.security_groups",),
        frameworks={"cis-aws-7.0": ["6.3"], "aws-fsbp": ["EC2.53"], "nist-csf-2.0": ["PR.IR"]},
        remediation="Remove the rule ... https://docs.aws.amazon.com/...",
    )
    def sg_admin_ports(ctx: Context) -> Iterable[Finding]:
        for group in ctx.data("ec2.security_groups"):
            ...
            yield ctx.fail(arn, "port 22 open to 0.0.0.0/0") / ctx.ok(arn) / ctx.na(...)

``needs`` names collectors; the check's ``api_calls`` are the union of theirs, so the
generated IAM policy always covers what a check can call. A regional check runs once
per region, a global one once per scan. If a needed collector failed (access denied,
throttled, not supported by the endpoint), the engine does not run the check: it
records one ``error`` finding with the reason instead, so no pass or fail is invented.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from srm_tui.model import CheckMeta, Finding, Responsibility, Severity, Status

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its metadata, the collectors it needs and its function."""

    meta: CheckMeta
    needs: tuple[str, ...]
    fn: CheckFn


class Context:
    """What a check sees: collected data for one region, and finding constructors."""

    def __init__(
        self,
        check_id: str,
        region: str,
        account_id: str,
        data: Mapping[str, Any],
        partition: str = "aws",
        regions: Sequence[str] = (),
    ) -> None:
        self.check_id = check_id
        self.region = region  # the region evaluated; "global" for a global check
        self.account_id = account_id
        self.partition = partition
        self.regions = tuple(regions)  # every region of the scan
        self._data = data

    def data(self, collector: str, region: str | None = None) -> Any:
        """The result of a collector for this region (or ``region``; global ones
        ignore it). Raises KeyError if the check did not declare it in ``needs``."""
        return self._data[collector] if region is None else self._data[(collector, region)]

    def finding(
        self, resource: str, status: Status, detail: str = "", region: str | None = None
    ) -> Finding:
        return Finding(self.check_id, region or self.region, resource, status, detail)

    def ok(self, resource: str, detail: str = "", region: str | None = None) -> Finding:
        return self.finding(resource, Status.PASS, detail, region)

    def fail(self, resource: str, detail: str, region: str | None = None) -> Finding:
        return self.finding(resource, Status.FAIL, detail, region)

    def na(self, resource: str, detail: str, region: str | None = None) -> Finding:
        return self.finding(resource, Status.NOT_APPLICABLE, detail, region)

    def account_arn(self, service: str = "") -> str:
        """An identifier for account-level settings: ``arn:aws::<account>`` style."""
        region = "" if self.region == "global" else self.region
        return f"arn:{self.partition}:{service}:{region}:{self.account_id}:account"


CHECKS: dict[str, Check] = {}


def check(
    check_id: str,
    *,
    title: str,
    service: str,
    severity: str,
    responsibility: str,
    scope: str,
    needs: Sequence[str],
    frameworks: Mapping[str, Sequence[str]],
    remediation: str,
    description: str = "",
    url: str = "",
) -> Callable[[CheckFn], CheckFn]:
    """Register a check (see the module docstring)."""

    def register(fn: CheckFn) -> CheckFn:
        from srm_tui.aws.collectors import COLLECTORS

        if check_id in CHECKS:
            raise ValueError(f"check {check_id} registered twice")
        missing = [n for n in needs if n not in COLLECTORS]
        if missing:
            raise ValueError(f"check {check_id} needs unknown collectors {missing}")
        api_calls = sorted({call for n in needs for call in COLLECTORS[n].api_calls})
        meta = CheckMeta(
            id=check_id,
            title=title,
            service=service,
            severity=Severity(severity),
            responsibility=Responsibility(responsibility),
            scope=scope,
            frameworks={k: tuple(v) for k, v in frameworks.items()},
            remediation=remediation,
            api_calls=tuple(api_calls),
            description=description,
            url=url,
        )
        CHECKS[check_id] = Check(meta, tuple(needs), fn)
        return fn

    return register


_loaded = False


def load_all() -> dict[str, Check]:
    """Import every check module (and the collectors they use); returns the registry."""
    global _loaded
    if not _loaded:
        import srm_tui.aws.collect as collect_pkg
        import srm_tui.checks as checks_pkg

        for pkg in (collect_pkg, checks_pkg):
            for info in pkgutil.iter_modules(pkg.__path__):
                if info.name != "registry":
                    importlib.import_module(f"{pkg.__name__}.{info.name}")
        _loaded = True
    return CHECKS


def ids() -> list[str]:
    """Every check id, sorted."""
    return sorted(load_all())


def all_metas() -> list[CheckMeta]:
    """Every check's metadata, sorted by id."""
    return [c.meta for _, c in sorted(load_all().items())]


def select(patterns: Iterable[str]) -> list[Check]:
    """Checks whose id equals a pattern or starts with ``pattern.`` (a service)."""
    checks = load_all()
    wanted = [p.strip() for p in patterns if p.strip()]
    chosen = [
        c
        for cid, c in sorted(checks.items())
        if any(cid == p or cid.startswith(p + ".") for p in wanted)
    ]
    return chosen
