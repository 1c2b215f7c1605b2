"""AWS services closed to new customers or retired (closed_services.toml), and where a text
names one: advice must never send a new user to a service they cannot adopt."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class ClosedService:
    """One service AWS no longer offers to new customers."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    since: str
    status: str
    notice: str

    def named_in(self, text: str) -> bool:
        """True when ``text`` names this service."""
        return any(p.search(text) for p in self.patterns)


@cache
def closed_services() -> tuple[ClosedService, ...]:
    """The shipped list."""
    text = resources.files(__package__).joinpath("closed_services.toml").read_text("utf-8")
    return tuple(
        ClosedService(
            str(item["name"]),
            tuple(re.compile(p, re.IGNORECASE) for p in item["patterns"]),
            str(item["since"]),
            str(item["status"]),
            str(item["notice"]),
        )
        for item in tomllib.loads(text).get("service", [])
    )


def named_in(text: str) -> list[ClosedService]:
    """The closed services that ``text`` names."""
    return [s for s in closed_services() if s.named_in(text)]
