"""The PAdES signature itself, with only the part of pyHanko that signing needs.

`import pyhanko.sign` imports every signer, the validation modules, the HTTP time-stamp client and
with it aiohttp and its network stack: about a second per process, more than rendering the PIP.
A PAdES B-B signature needs none of that. So the three package `__init__`s that pull it in
(`pyhanko.sign`, `pyhanko.sign.signers`, `pyhanko.sign.timestamps`) are registered lazily: their
submodules import as usual, and a name asked of the package itself is looked up in the module that
defines it (the time-stamp package) or runs the package's own `__init__` then (the other two). The
signature is made with pyHanko's documented low-level protocol (`PdfCMSEmbedder`), which is what
its `PdfSigner` does for a signature without time stamp or revocation data.
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


def _lazy_package(name: str, folder: Path, names_from: tuple[str, ...] = ()) -> None:
    """Register package `name` without running its __init__ (see the module's docstring)."""
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - an installation without the package
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader
    loaded = threading.Lock()

    def package_attribute(attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if (folder / f"{attribute}.py").is_file() or (folder / attribute / "__init__.py").is_file():
            return importlib.import_module(f"{name}.{attribute}")
        for part in names_from:
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
        from pyhanko.sign.signers import cms_embedder

        return cms_embedder


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
