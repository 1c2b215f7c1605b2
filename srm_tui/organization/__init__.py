"""Organization reviews: one assessment for every account of an AWS Organization.

The questionnaire is answered once for the organization (with per-account or per-OU
overrides, see ``srm_tui.review`` and ``srm_tui.scoring``); the checks run in every
account. The parts:

- ``selection``: which accounts a scan covers, and the rounds that make it resumable;
- ``executor``: where the accounts run (threads here; a cluster the same way);
- ``runner``: the scan itself, ``scan_organization``;
- ``files``: each account's findings in ``FILE.toml.accounts/ACCOUNT_ID.toml``;
- ``role_template``: the member accounts' read-only role as a CloudFormation template.
"""
