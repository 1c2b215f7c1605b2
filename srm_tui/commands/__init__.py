"""Command handlers; importing this package registers them with the parser."""

from srm_tui.commands import assessment, catalog, reports, scan, wizard  # noqa: F401
