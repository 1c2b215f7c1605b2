"""Errors a user can cause, each with the exit code the command line gives it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class SrmError(Exception):
    """A failure to report in one sentence, without a traceback (exit 1)."""

    exit_code = 1


class UsageError(SrmError):
    """The command was used wrongly (exit 2)."""

    exit_code = 2


class InputFileError(SrmError):
    """An input file is broken or foreign (exit 2); the message names file and line."""

    exit_code = 2

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def toml_problem(exc: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    """The line (when tomllib names one) and a one-line message for a TOML syntax error."""
    match = _TOML_POSITION.search(str(exc))
    line = int(match.group(1)) if match else None
    return line, "not valid TOML: " + _TOML_POSITION.sub("", str(exc)).strip()
