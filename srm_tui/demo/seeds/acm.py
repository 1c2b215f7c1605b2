"""Demo seed: per region, an ACM-issued certificate with a 2,048-bit RSA key (renewed by
ACM) and an imported one with a 1,024-bit key that expires within the month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any


def weak_certificate(domain: str, days: int) -> tuple[bytes, bytes]:
    """A self-signed certificate and its private key (PEM) with a 1,024-bit RSA key, valid
    for ``days`` days: what an old import looks like. Made for the emulator only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``shop-N.example.com`` requested from ACM and
    ``legacy-N.example.com`` imported (RSA 1,024 bits, 10 days left)."""
    for region in regions:
        acm = session.client("acm", region_name=region)
        for n in range(scale):
            acm.request_certificate(DomainName=f"shop-{n}.example.com", ValidationMethod="DNS")
            body, key = weak_certificate(f"legacy-{n}.example.com", days=10)
            acm.import_certificate(Certificate=body, PrivateKey=key)
