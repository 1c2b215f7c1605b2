"""Automatic checks: pure functions over collected data, one module per service.

``context`` says what a check is and sees; ``index`` lists the modules. Their texts
are data in ``srm_tui/catalog/checks/``; ``srm_tui.checklist`` joins both to the
collectors. Nothing here imports AWS code.
"""
