"""Widgets of the wizard, one module per area of the screen."""
