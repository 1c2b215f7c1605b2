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
    """What a check sees: collected data for one region, and finding constructors.

    ``data`` maps ``(collector, region)`` to a result (global collectors under the
    region ``"global"``); a plain collector name is accepted too, which keeps unit
    tests short.
    """

    def __init__(
        self,
        check_id: str,
        region: str,
        account_id: str,
        data: Mapping[Any, Any],
        partition: str = "aws",
        regions: Sequence[str] = (),
    ) -> None:
        self.check_id = check_id
        self.region = region  # the region evaluated; "global" for a global check
        self.account_id = account_id
        self.partition = partition
        self.regions = tuple(regions) or ((region,) if region != "global" else ())
        self._data = data

    def data(self, collector: str, region: str | None = None) -> Any:
        """The result of a collector for this region (or ``region``; global ones
        ignore it). Raises KeyError if the check did not declare it in ``needs``."""
        wanted = region or self.region
        for key in ((collector, wanted), (collector, "global")):
            if key in self._data:
                return self._data[key]
        if collector in self._data and (region is None or region == self.region):
            return self._data[collector]
        raise KeyError(f"{collector} for {wanted}")

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

    def error(self, resource: str, detail: str, region: str | None = None) -> Finding:
        """Could not tell (e.g. one resource's detail was denied): never a pass or fail."""
        return self.finding(resource, Status.ERROR, detail, region)

    def account_arn(self, service: str = "", region: str | None = None) -> str:
        """An identifier for account-level settings: ``arn:aws:<service>:<region>:<account>:account``."""
        where = region or self.region
        where = "" if where == "global" else where
        return f"arn:{self.partition}:{service}:{where}:{self.account_id}:account"

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>`` (region "" when global)."""
        where = region if region is not None else self.region
        where = "" if where == "global" else where
        return f"arn:{self.partition}:{service}:{where}:{self.account_id}:{resource}"


def evaluate(found: Check, ctx: Context) -> list[Finding]:
    """Run one check; a check that breaks on unexpected data gives one ``error``
    finding instead of stopping the scan."""
    try:
        return list(found.fn(ctx))
    except Exception as exc:
        return [
            ctx.error(
                ctx.account_arn(found.meta.service),
                f"the check could not read the collected data ({type(exc).__name__}: {exc})",
            )
        ]


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
        if any(n not in COLLECTORS for n in needs):
            load_collectors()
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


def load_collectors() -> None:
    """Import every collector module (a check module may be imported on its own)."""
    import srm_tui.aws.collect as collect_pkg

    for info in pkgutil.iter_modules(collect_pkg.__path__):
        importlib.import_module(f"{collect_pkg.__name__}.{info.name}")


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
