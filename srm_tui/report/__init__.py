"""Reports made from an assessment.

``formats`` is the registry of report formats (Markdown, HTML, JSON, CSV), read by the
command line, the wizard's export and the renderer; ``inputs.ReportInput`` is the one
input every format renders, made by ``inputs.prepare`` (which also masks the account
id); ``content`` computes what the formats show (plan, coverage, findings per check);
``diff`` compares two assessments and ``diff_report`` renders the comparison; ``lens``
exports the questionnaires as a Well-Architected custom lens.
"""
