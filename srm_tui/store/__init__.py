"""The assessment file: ``codec`` turns an Assessment into TOML text and back (schema,
migration); ``handle`` opens, locks and saves the file through ``srm_tui.files``.

Front ends open an assessment with ``open_assessment`` and save through the handle it
returns; ``load`` reads one without holding it (reports, diffs, milestones).
``write_private`` is ``srm_tui.files.write_private``, named here for earlier callers.
"""

from srm_tui.files import ConflictError, LockedError, ReadOnlyError, write_private
from srm_tui.store.codec import SCHEMA, dumps, loads
from srm_tui.store.handle import OpenAssessment, ReadOnly, load, lock, open_assessment, save

__all__ = [
    "SCHEMA",
    "ConflictError",
    "LockedError",
    "OpenAssessment",
    "ReadOnly",
    "ReadOnlyError",
    "dumps",
    "load",
    "loads",
    "lock",
    "open_assessment",
    "save",
    "write_private",
]
