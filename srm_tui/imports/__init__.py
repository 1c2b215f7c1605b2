"""Findings of other tools brought into an assessment: Prowler's OCSF output
(``prowler``), Security Hub's finding format from a file (``asff``) or from the
account itself (``security_hub``), all read into ``model.ImportedSet``; ``combine``
sets them beside srm-tui's own findings and ``apply`` records an import in the
assessment (a re-import replaces the earlier one of that source)."""
