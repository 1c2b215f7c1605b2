"""Collector modules, one per AWS service; ``index`` lists them."""
