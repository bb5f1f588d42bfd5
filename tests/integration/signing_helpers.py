"""A test CA and a municipality signing certificate made with `cryptography`, as PKCS#12 files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "geheim-certificaat"


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_ca(now: dt.datetime | None = None) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("Test-CA Wegwijs", "Testorganisatie")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_signing_cert(
    ca: tuple[rsa.RSAPrivateKey, x509.Certificate],
    municipality: str = "Testdorp",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    key: Any = None,
) -> tuple[Any, x509.Certificate]:
    """A municipality's certificate from the test CA, for `key` (a new 2048-bit RSA key when None)."""
    now = dt.datetime.now(dt.UTC)
    ca_key, ca_cert = ca
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"Gemeente {municipality}", f"Gemeente {municipality}"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def write_p12(
    path: Path,
    key: Any,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    password: str = PASSWORD,
) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        b"gemeente", key, cert, chain or None, serialization.BestAvailableEncryption(password.encode())
    )
    path.write_bytes(data)
    return path


def write_ca_pem(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def review_all_fixed_texts(profile_dir: Path, language: str) -> int:
    """An interpreter approved every shipped fixed text of the PIP in `language`: the reviewed layer
    file as app/i18n/review_layer.py writes it, then activated. Returns how many."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    from app.i18n.review_layer import DOMAIN_HEADER, KIND_HEADER, LAYER_KIND, ReviewLayer, po_bytes
    from app.resources import translations_dir

    with (translations_dir() / language / "LC_MESSAGES" / "pip.po").open("rb") as handle:
        shipped = read_po(handle)
    layer = ReviewLayer(profile_dir)
    catalog = Catalog(locale=language, domain="pip")
    for message in shipped:
        if message.id and message.string:
            string = message.string
            if isinstance(string, tuple):  # the layer has the plural forms Babel knows for the language
                string = tuple(string[min(i, len(string) - 1)] for i in range(catalog.num_plurals))
            catalog.add(message.id, string, context=message.context, user_comments=["Tolk (12345)"])
    path = layer.path("pip", language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(po_bytes(catalog, {DOMAIN_HEADER: "pip", KIND_HEADER: LAYER_KIND}))
    layer.activate()
    return sum(1 for message in catalog if message.id)
