"""The PAdES signature itself, with only the part of pyHanko that signing needs.

`import pyhanko.sign` imports every signer, the validation modules, the HTTP time-stamp client and
with it aiohttp and its network stack: about a second per process, more than rendering the PIP.
A PAdES B-B signature needs none of that. So the package `__init__`s that pull it in
(`pyhanko.sign`, `pyhanko.sign.signers`, `pyhanko.sign.timestamps`, and `pyhanko_certvalidator`,
whose `__init__` imports the whole certificate validator with its CRL, OCSP and fetcher modules;
`pyhanko.stamp` for its QR code stamp) are registered lazily: their submodules import as usual, and
a name asked of the package itself is looked up in the module that defines it, or the package's own
`__init__` runs then. The signature is made with pyHanko's documented low-level protocol
(`PdfCMSEmbedder`), which is what its `PdfSigner` does for a signature without time stamp or
revocation data, with a `SimpleSigner` that signs with the key as loaded (`loaded_key_signer`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import importlib.util
import io
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

_lock = threading.Lock()
# Where the names of the time-stamp package live (its __init__ imports them from these modules).
_TIMESTAMP_MODULES = ("api", "common_utils", "dummy_client", "aiohttp_client")
# The same for pyhanko_certvalidator, whose __init__ imports the whole validator (contexts, CRL and
# OCSP checks, fetchers): pyHanko's writer and signer need only its util, registry and path modules.
_CERTVALIDATOR_MODULES = ("context", "errors", "path", "policy_decl", "util", "validate", "version")
# pyhanko.stamp's __init__ imports every stamp (the QR code stamp too); a signature's widget needs
# the base, text and static styles.
_STAMP_MODULES = ("base", "text", "static", "art", "appearances", "noop", "qr", "functions")
# Names of a package's own __init__ that are worth running it for (others are probes: AttributeError).
_PACKAGE_DUNDERS = frozenset({"__all__", "__version__", "__version_info__"})
# The one name pyHanko imports from pyhanko_certvalidator's __init__ itself (defined there): its
# time-stamp client (imported with the CMS signer) calls it only to validate a time-stamp server's
# certificate, which a B-B signature never does. While `signing_modules` imports that client, the
# package hands out a stand-in that looks the class up when called (see `_CalledLater`).
_STAND_INS = {"pyhanko_certvalidator": frozenset({"CertificateValidator"})}
_handing_stand_ins = threading.Event()


class _CalledLater:
    """Stands for `package.attribute` of a lazily registered package: calling it gets the real
    thing (running the package's __init__ then) and calls that."""

    def __init__(self, package: str, attribute: str) -> None:
        self.package = package
        self.attribute = attribute

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(self.package), self.attribute)(*args, **kwargs)


def _lazy_package(name: str, folder: Path, names_from: tuple[str, ...] = ()) -> None:
    """Register package `name` without running its __init__ (see the module's docstring)."""
    if name in sys.modules or not (folder / "__init__.py").is_file():
        return  # imported already, or not from files (a frozen bundle): import it as usual
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - an installation without the package
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader
    loaded = threading.Lock()

    def package_attribute(attribute: str) -> Any:
        if attribute.startswith("__") and attribute not in _PACKAGE_DUNDERS:
            raise AttributeError(attribute)
        if (folder / f"{attribute}.py").is_file() or (folder / attribute / "__init__.py").is_file():
            return importlib.import_module(f"{name}.{attribute}")
        if _handing_stand_ins.is_set() and attribute in _STAND_INS.get(name, ()):
            return _CalledLater(name, attribute)
        for part in () if attribute.startswith("__") else names_from:
            defining = importlib.import_module(f"{name}.{part}")
            if hasattr(defining, attribute):
                return getattr(defining, attribute)
        with loaded:  # a name only the package's __init__ gives: run it after all
            if "__wegwijs_lazy__" in module.__dict__:
                del module.__dict__["__wegwijs_lazy__"]
                del module.__dict__["__getattr__"]
                loader.exec_module(module)
        return module.__dict__[attribute] if attribute in module.__dict__ else _missing(attribute)

    module.__dict__["__getattr__"] = package_attribute
    module.__dict__["__wegwijs_lazy__"] = True
    sys.modules[name] = module


def _missing(attribute: str) -> Any:
    raise AttributeError(attribute)


def signing_modules() -> ModuleType:
    """pyHanko's modules for signing, imported once (without aiohttp)."""
    with _lock:
        spec = importlib.util.find_spec("pyhanko")
        if spec is not None and spec.submodule_search_locations and "pyhanko.sign" not in sys.modules:
            root = Path(next(iter(spec.submodule_search_locations)))
            _lazy_package("pyhanko.sign", root / "sign")
            _lazy_package("pyhanko.sign.signers", root / "sign" / "signers")
            _lazy_package("pyhanko.sign.timestamps", root / "sign" / "timestamps", _TIMESTAMP_MODULES)
            _lazy_package("pyhanko.stamp", root / "stamp", _STAMP_MODULES)
            validator = importlib.util.find_spec("pyhanko_certvalidator")
            if validator is not None and validator.submodule_search_locations:
                folder = Path(next(iter(validator.submodule_search_locations)))
                _lazy_package("pyhanko_certvalidator", folder, _CERTVALIDATOR_MODULES)
            _handing_stand_ins.set()
            try:
                importlib.import_module("pyhanko.sign.timestamps.api")
            finally:
                _handing_stand_ins.clear()
        from pyhanko.sign.signers import cms_embedder

        return cms_embedder


def loaded_key_signer(key: Any, certificate: Any, registry: Any) -> Any:
    """pyHanko's `SimpleSigner` for the asn1crypto `certificate`, signing with `key`, the
    cryptography key object that `signing.load_pkcs12` loaded and checked.

    `SimpleSigner` itself keeps the key as DER and parses it again for every signature, and
    cryptography checks an RSA key's primes each time it parses one: 0.04 s per signature for a
    check already done. So the raw signature (PKCS#1 v1.5 or ECDSA, what pyHanko chooses for such
    a key) is made with the loaded key; any other mechanism goes through pyHanko's own code."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign.signers.pdf_cms import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class LoadedKeySigner(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return bytes(key.sign(data, padding.PKCS1v15(), hash_algorithm))
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return bytes(key.sign(data, ec.ECDSA(hash_algorithm)))
            return bytes(super().sign_raw(data, digest_algorithm))

    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return LoadedKeySigner(
        signing_cert=certificate, signing_key=keys.PrivateKeyInfo.load(der), cert_registry=registry
    )


def sign_into(
    source: BinaryIO,
    output: BinaryIO,
    signer: Any,
    field: Any,
    meta: dict[str, str],
    prepare: Any,
    bytes_reserved: int,
) -> None:
    """Sign `source` into `output` (PAdES B-B, SHA-256) in the field `field` (a SigFieldSpec);
    `prepare(writer)` runs on the incremental update first (the widget's structure element)."""
    signing_modules()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter, append_signature_field
    from pyhanko.sign.signers.cms_embedder import (
        PdfCMSEmbedder,
        SigAppearanceSetup,
        SigIOSetup,
        SigMDPSetup,
        SigObjSetup,
    )
    from pyhanko.sign.signers.pdf_byterange import SignatureObject
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
    from pyhanko.stamp import StaticStampStyle

    writer = IncrementalPdfFileWriter(source, strict=False)
    append_signature_field(writer, field)
    prepare(writer)
    now = dt.datetime.now(dt.UTC)
    steps = PdfCMSEmbedder().write_cms(field_name=field.sig_field_name, writer=writer)
    next(steps)
    placeholder = SignatureObject(
        timestamp=now,
        subfilter=SigSeedSubFilter.PADES,
        location=meta["location"],
        reason=meta["reason"],
        bytes_reserved=bytes_reserved,
    )
    # The block's text is page content (signing.SignatureSlot); the widget's appearance is its
    # frame, so no font has to be embedded a second time.
    steps.send(
        SigObjSetup(
            sig_placeholder=placeholder,
            mdp_setup=SigMDPSetup(md_algorithm="sha256"),
            appearance_setup=SigAppearanceSetup(
                style=StaticStampStyle(border_width=1), timestamp=now, name=meta["location"]
            ),
        )
    )
    # pyHanko reads back what it wrote (the byte ranges to hash): a buffer, then the file.
    buffer = io.BytesIO()
    digest, _ = steps.send(SigIOSetup(md_algorithm="sha256", in_place=False, output=buffer))
    cms = asyncio.run(
        signer.async_sign(
            digest.document_digest,
            "sha256",
            use_pades=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=now),
        )
    )
    steps.send(cms)
    output.write(buffer.getbuffer())
