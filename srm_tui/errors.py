"""Errors a user can cause, each with the exit code the command line gives it."""

from __future__ import annotations

from pathlib import Path


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
