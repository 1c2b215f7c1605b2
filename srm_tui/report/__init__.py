"""Reports made from an assessment.

``render.report`` is the one entry point for every format (Markdown, HTML, JSON, CSV,
with ``redact``); ``content`` computes what they show (plan, coverage, findings per
check); ``diff`` compares two assessments and ``diff_report`` renders the comparison;
``lens`` exports the questionnaires as a Well-Architected custom lens.
"""
