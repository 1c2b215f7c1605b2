"""AWS Certificate Manager: the region's certificates with key algorithm and expiry."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# Without a key-type filter ListCertificates answers only RSA_1024 and RSA_2048 keys.
KEY_TYPES = [
    "RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096",
    "EC_prime256v1", "EC_secp384r1", "EC_secp521r1",
]  # fmt: skip


@collector(
    "acm.certificates",
    service="acm",
    api_calls=("acm:ListCertificates",),
    in_use=bool,
)
def certificates(api: Api, region: str) -> list[dict[str, Any]]:
    """Each certificate of every key type: ARN, domain, type (AMAZON_ISSUED, IMPORTED,
    PRIVATE), status, key algorithm and expiry (``not_after``, None until issued). The
    listing carries all of it, so no certificate is described one by one."""
    listed = api.pages(
        "acm", None, "list_certificates", "CertificateSummaryList",
        Includes={"keyTypes": KEY_TYPES},
    )  # fmt: skip
    return [
        {
            "arn": c.get("CertificateArn", ""),
            "domain": c.get("DomainName", ""),
            "type": c.get("Type", ""),
            "status": c.get("Status", ""),
            "key_algorithm": c.get("KeyAlgorithm", ""),
            "not_after": c.get("NotAfter"),
        }
        for c in listed
    ]
