"""What the checks promise about frameworks: CIS AWS Foundations v7.0's automated
items all checked, at least 200 FSBP controls including every control of the services
srm-tui first collected, and every check mapped to NIST CSF 2.0 and ISO/IEC 27017 with
ids the shipped references know."""

from __future__ import annotations

import pytest

from srm_tui import checklist
from srm_tui.catalog import frameworks

# The services whose FSBP controls must all have a check (issue: "the services srm-tui
# already collects").
FIRST_SERVICES = (
    "Account", "CloudFront", "CloudTrail", "Config", "DynamoDB", "EC2", "ECR", "ECS", "EFS",
    "EKS", "ELB", "GuardDuty", "IAM", "KMS", "Lambda", "Macie", "RDS", "S3",
    "SecretsManager", "SSM",
)  # fmt: skip


def _cited(key: str) -> set[str]:
    return {i for meta in checklist.load().metas() for i in meta.frameworks.get(key, ())}


def test_every_automated_cis_recommendation_has_a_check() -> None:
    automated = {r.id for r in frameworks.references("cis-aws-7.0") if r.assessment == "automated"}
    assert len(automated) >= 30  # the reference was read, not an empty list
    assert automated - _cited("cis-aws-7.0") == set()


def test_at_least_200_fsbp_controls_and_every_one_of_the_first_services() -> None:
    cited = _cited("aws-fsbp")
    assert len(cited) >= 200
    assert all(frameworks.is_known("aws-fsbp", i) for i in cited)
    first = {
        r.id for r in frameworks.references("aws-fsbp") if r.id.split(".")[0] in FIRST_SERVICES
    }
    assert len(first) >= 150
    assert first - cited == set()


@pytest.mark.parametrize("key", ["nist-csf-2.0", "iso-27017"])
def test_every_check_maps_to_nist_csf_and_iso_27017(key: str) -> None:
    metas = checklist.load().metas()
    assert [m.id for m in metas if not m.frameworks.get(key)] == []
    unknown = [
        (m.id, i) for m in metas for i in m.frameworks[key] if not frameworks.is_known(key, i)
    ]
    assert unknown == []


@pytest.mark.parametrize(
    ("ident", "known"),
    [
        ("CLD.9.5.2", True), ("9.4.3", True), ("18.2.3", True), ("11.2.9", True),
        ("9.4.6", False), ("12.4", False), ("19.1.1", False), ("5.1.0", False),
        ("CLD.9.9.9", False), ("PR.AA", False),
    ],
)  # fmt: skip
def test_iso_27017_ids_are_its_own_or_real_iso_27002_controls(ident: str, known: bool) -> None:
    assert frameworks.is_known("iso-27017", ident) is known
