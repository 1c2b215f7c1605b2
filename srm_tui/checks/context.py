"""What a check is and what it sees.

A check is a pure function over collected data, declared with the collectors it
reads::

    @check("ec2.imdsv2", needs=("ec2.instances",))
    def imdsv2(ctx: Context) -> Iterable[Finding]:
        for inst in ctx.data("ec2.instances"):
            ...
            yield ctx.fail(arn, "IMDSv1 is allowed") / ctx.ok(arn, ...) / ctx.na(...)

The decorator only describes the function: it registers nothing. Its texts (title,
severity, frameworks, remediation...) are data, in ``srm_tui/catalog/checks/``, and
``srm_tui.checklist`` joins both to the collectors: ``needs`` must name known
collectors, and the check's ``api_calls`` are the union of theirs, so the generated
IAM policy always covers what a check can call.

A regional check runs once per region, a global one once per scan. If a needed
collector failed (access denied, throttled, not supported by the endpoint), the
engine does not run the check: it records one ``error`` finding with the reason
instead, so no pass or fail is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from srm_tui.model import CheckMeta, Finding, Status

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class CheckFunction:
    """A check's logic: its id, the collectors it reads, and its function."""

    id: str
    needs: tuple[str, ...]
    fn: CheckFn

    def __call__(self, ctx: Context) -> Iterable[Finding]:
        return self.fn(ctx)


def check(check_id: str, *, needs: Sequence[str]) -> Callable[[CheckFn], CheckFunction]:
    """Describe a check (see the module docstring)."""

    def describe(fn: CheckFn) -> CheckFunction:
        return CheckFunction(check_id, tuple(needs), fn)

    return describe


def gather(modules: Iterable[ModuleType]) -> dict[str, CheckFunction]:
    """Every check defined in ``modules`` (as a module attribute, or in a tuple of them
    for checks made from a table), by id. An id defined twice is a programming error."""
    found: dict[str, CheckFunction] = {}
    for module in modules:
        for value in vars(module).values():
            candidates = value if isinstance(value, tuple) else (value,)
            for candidate in candidates:
                if not isinstance(candidate, CheckFunction):
                    continue
                first = found.setdefault(candidate.id, candidate)
                if first is not candidate:
                    raise ValueError(f"check {candidate.id} is defined twice")
    return found


@dataclass(frozen=True, slots=True)
class Check:
    """A check joined to its texts and collectors: what the scan runs."""

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
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        self.check_id = check_id
        self.region = region  # the region evaluated; "global" for a global check
        self.account_id = account_id
        self.partition = partition
        self.regions = tuple(regions) or ((region,) if region != "global" else ())
        self._data = data
        self._parameters = dict(parameters or {})

    def param(self, name: str) -> Any:
        """The control parameter ``name``: the scope's value, else the default its texts
        give. Raises KeyError for a parameter the check's texts do not declare."""
        if name not in self._parameters:
            raise KeyError(f"{self.check_id} declares no parameter {name!r}")
        return self._parameters[name]

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
