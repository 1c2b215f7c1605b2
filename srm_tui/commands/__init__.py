"""Command handlers, one module per group of commands; ``srm_tui.cli`` imports them,
and each registers its commands with ``commands.base`` as it loads."""
