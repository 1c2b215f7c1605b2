"""Collector modules, one per AWS service; importing one registers its collectors."""
