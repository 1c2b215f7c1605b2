"""report --format oscal and oscal-poam read against the OSCAL 1.1 metaschema's own
definitions (what compliance-trestle's models cannot check: what a date means, where
a tool is declared, what a risk's log says)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from srm_tui.report import oscal, oscal_poam


def _ar(report) -> dict:
    return json.loads(oscal.render(report))["assessment-results"]


def test_last_modified_is_when_the_document_was_made(trusted_report):
    """metadata.last-modified: "In some cases, an OSCAL document may be derived from
    some source material in a different format. In such a case, the last-modified
    value should indicate the last modification time of the OSCAL document instance,
    not the source material." (OSCAL 1.1.2, metadata)."""
    a = trusted_report.assessment
    later = replace(trusted_report, generated=a.updated + timedelta(days=30))
    for module, key in (
        (oscal, "assessment-results"),
        (oscal_poam, "plan-of-action-and-milestones"),
    ):
        meta = json.loads(module.render(later))[key]["metadata"]
        assert meta["last-modified"] == later.generated.isoformat()
