"""Automatic checks: pure functions over collected data, one module per service."""
