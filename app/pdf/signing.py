"""Signed decisions: the municipality's PAdES signature on the PDF of an adopted PIP (pyHanko).

Three parts, used in this order:

1. `load_pkcs12` reads and checks the municipality's certificate (a PKCS#12 file): the password,
   a private key, the validity period. It refuses with one Dutch sentence (`SigningCertError`).
2. While the document is laid out, `signing_part` adds the last part of the document: for an
   adopted PIP either the sentence that it is digitally signed (in Dutch and in the translation)
   and the visible signature block (municipality, adoption date, certificate), or the sentence that
   it is not digitally signed. The block's page and rectangle are kept per output file
   (`take_signature_box`): the signer puts the signature field's widget over it.
3. `sign_pdf` signs the finished file as the very last step (an incremental update, PAdES
   baseline B-B): nothing may rewrite the file afterwards, or the signature breaks.

No Qt, no SQLAlchemy: the key material comes from app/services/signing.py, which keeps it in the
profile's secret store (keyring or passphrase vault), never in a plain file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.domain.errors import WegwijsError
from app.i18n import _
from app.pdf import texts as T
from app.pdf.document import SigningInfo
from app.pdf.style import BODY_SIZE, GUTTER

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from app.pdf.builder import Builder

SIGNATURE_FIELD = "Handtekening gemeente"
BOX_HEIGHT = 20 * mm
GREY = HexColor("#5a5a5a")  # the document's grey for secondary text
RESERVED_BYTES = 16_384  # room for the CMS signature: a 4096-bit key with a chain of three fits


class SigningCertError(WegwijsError):
    """The signing certificate cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class SigningMaterial:
    """A private key with its certificate and the chain above it, checked by `load_pkcs12`."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def subject(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        value = names[0].value if names else self.certificate.subject.rfc4514_string()
        return value.decode() if isinstance(value, bytes) else str(value)

    @property
    def organisation(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        value = names[0].value if names else ""
        return value.decode() if isinstance(value, bytes) else str(value)

    @property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    @property
    def fingerprint(self) -> str:
        digest = self.certificate.fingerprint(hashes.SHA256()).hex()
        return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2)).upper()

    def to_bytes(self) -> bytes:
        """PKCS#12 without its own password: only ever handed to the profile's secret store."""
        return pkcs12.serialize_key_and_certificates(
            None, self.key, self.certificate, list(self.chain) or None, serialization.NoEncryption()
        )

    def check_valid(self, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.UTC)
        cert = self.certificate
        if now > cert.not_valid_after_utc:
            raise SigningCertError(
                _(
                    "Het ondertekeningscertificaat is verlopen op {date}; vraag een nieuw certificaat aan en "
                    "importeer het met 'wegwijs keys import-signing-cert'."
                ).format(date=cert.not_valid_after_utc.date().isoformat())
            )
        if now < cert.not_valid_before_utc:
            raise SigningCertError(
                _(
                    "Het ondertekeningscertificaat is pas geldig vanaf {date}; importeer het op of na die datum."
                ).format(date=cert.not_valid_before_utc.date().isoformat())
            )


def load_pkcs12(data: bytes, password: str, now: dt.datetime | None = None) -> SigningMaterial:
    """Read a PKCS#12 (.p12/.pfx) file; refuses a wrong password, a file without a private key or
    certificate, a key that does not belong to the certificate, and an expired certificate."""
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError as error:
        # cryptography says the same for a wrong password and a damaged file; say both.
        raise SigningCertError(
            _(
                "Het wachtwoord van het certificaatbestand is onjuist, of het bestand is geen PKCS#12-bestand "
                "(.p12 of .pfx); controleer het wachtwoord en het bestand en probeer het opnieuw."
            )
        ) from error
    if key is None:
        raise SigningCertError(
            _(
                "Dit certificaatbestand bevat geen persoonlijke (private) sleutel, en zonder die sleutel kan "
                "Wegwijs niet ondertekenen; vraag het bestand mét sleutel aan bij de beheerder van de "
                "certificaten."
            )
        )
    if certificate is None:
        raise SigningCertError(
            _("Dit bestand bevat geen certificaat; vraag het volledige PKCS#12-bestand aan.")
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningCertError(
            _("Dit certificaat gebruikt een sleuteltype dat Wegwijs niet ondersteunt; gebruik RSA of ECDSA.")
        )
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise SigningCertError(
            _("De sleutel in dit bestand hoort niet bij het certificaat; vraag een correct bestand aan.")
        )
    material = SigningMaterial(key, certificate, tuple(others))
    material.check_valid(now)
    return material


def _public_der(public_key: Any) -> bytes:
    return bytes(
        public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def material_from_bytes(data: bytes) -> SigningMaterial:
    """The inverse of `SigningMaterial.to_bytes` (from the profile's secret store)."""
    key, certificate, others = pkcs12.load_key_and_certificates(data, None)
    if certificate is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningCertError(
            _("Het bewaarde ondertekeningscertificaat is beschadigd; importeer het opnieuw.")
        )
    return SigningMaterial(key, certificate, tuple(others))


# -- 2. the part of the document (called by app/pdf/render.py) ------------------------------------------


class SignatureSlot(Flowable):
    """The visible signature block: who signed which decision and when, drawn as page content
    (so it is extractable, tagged and printed with the page), inside the box where the signature
    field's widget goes. It records where it lands, per output file.

    ReportLab keeps the pages of the document until the end (the page-X-of-Y footer), so a named
    destination could not point at the right page; `take_signature_box` hands the box to the signer."""

    PADDING = 3 * mm

    def __init__(self, width: float, lines: list[Flowable]) -> None:
        super().__init__()
        self.width = width
        self.lines = lines
        self.height = BOX_HEIGHT

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = self.width - 2 * self.PADDING
        used = sum(line.wrap(inner, avail_height)[1] for line in self.lines)
        self.height = max(BOX_HEIGHT, used + 2 * self.PADDING)
        return (self.width, self.height)

    def draw(self) -> None:
        canvas: Canvas = self.canv
        top = self.height - self.PADDING
        for line in self.lines:
            _, height = line.wrap(self.width - 2 * self.PADDING, self.height)
            top -= height
            line.drawOn(canvas, self.PADDING, top)
        left, bottom = canvas.absolutePosition(0, 0)
        right, upper = canvas.absolutePosition(self.width, self.height)
        page = int(getattr(getattr(canvas, "_doctemplate", None), "page", 0) or 0) - 1
        box = SignatureBox(page, (round(left), round(bottom), round(right), round(upper)))
        with _boxes_lock:
            _boxes[_box_key(getattr(canvas, "_filename", ""))] = box


@dataclass(frozen=True)
class SignatureBox:
    page: int  # 0-based; -1: the last page
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in points


_boxes: dict[str, SignatureBox] = {}
_boxes_lock = threading.Lock()


def _box_key(filename: object) -> str:
    return str(Path(str(filename)).resolve()) if filename else ""


def take_signature_box(path: Path) -> SignatureBox | None:
    """The reserved box of the file just rendered to `path` (once: it is forgotten after)."""
    with _boxes_lock:
        return _boxes.pop(_box_key(path), None)


def signing_part(builder: Builder) -> list[Flowable]:
    """The document's statement about its digital signature: nothing for a concept."""
    info: SigningInfo | None = getattr(builder.doc, "signing", None)
    if info is None or not builder.doc.is_adopted:
        return []
    flow: list[Flowable] = [Spacer(1, 3 * mm)]
    part = getattr(builder, "part", 0)  # the signatures' part of the structure tree (app/pdf/tagging.py)
    statements: list[Flowable] = []
    for column, side in enumerate(builder.sides()):
        if info.signed:
            text = side.t(T.DIGITALLY_SIGNED, municipality=side.f.ltr(info.municipality))
        else:
            text = side.t(T.NOT_DIGITALLY_SIGNED)
        paragraph = side.para(text, size=8.5, color=_grey(), after=1)
        paragraph.part = (part, column)
        statements.append(paragraph)
    flow.append(_side_by_side(statements, builder.width))
    if info.signed:
        nl = builder.nl
        adopted = nl.f.date(builder.doc.adopted_on) if builder.doc.adopted_on else ""
        lines: list[Flowable] = [
            nl.para(nl.t(T.SIGNED_BY, municipality=info.municipality), bold=True, size=9, after=1),
            nl.para(nl.t(T.ADOPTED_ON, date=adopted), size=8.5, after=1),
        ]
        if info.certificate:
            lines.append(nl.para(nl.t(T.SIGNED_CERTIFICATE, name=info.certificate), size=8, color=_grey()))
        for line in lines:
            line.part = (part, 0)
        flow.append(SignatureSlot(builder.width / 2, lines))
    return [KeepTogether(flow)]


def _side_by_side(cells: list[Flowable], width: float) -> Flowable:
    """The Dutch statement and its translation in the two columns of the parts above."""
    if len(cells) == 1:
        return cells[0]
    widths = [(width - GUTTER) / 2] * 2
    row = Table([cells], colWidths=widths, hAlign="LEFT")
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), "Wegwijs-Latn-Regular", BODY_SIZE),  # not Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), GUTTER),
            ]
        )
    )
    row._argW = [widths[0], widths[1] + GUTTER]  # as in Builder.section: the gutter is the padding
    return row


def _grey() -> Color:
    return GREY


# -- 3. signing the finished file ---------------------------------------------------------------------


def sign_pdf(
    source: Path,
    target: Path,
    material: SigningMaterial,
    municipality: str,
    now: dt.datetime | None = None,
) -> None:
    """Write `source`, signed (PAdES B-B, SHA-256), to `target` (may be `source`); the signature's
    widget goes over the block `signing_part` drew (the last page's foot when there is none).

    The signed file is written to a temporary file beside `target` and renamed over it."""
    from app.collector import collections_paused

    with collections_paused():
        _sign(source, target, material, municipality, now)


def _sign(
    source: Path, target: Path, material: SigningMaterial, municipality: str, now: dt.datetime | None
) -> None:
    from app.pdf import pades

    pades.signing_modules()
    from pyhanko.sign.fields import SigFieldSpec

    material.check_valid(now)
    found = take_signature_box(source)
    signer = _signer(material)
    spec = SigFieldSpec(
        SIGNATURE_FIELD,
        on_page=found.page if found else -1,
        box=found.box if found else (46, 50, 549, 50 + round(BOX_HEIGHT)),
    )
    meta = {"location": municipality, "reason": T.texts_for("nl")(T.SIGNED_REASON)}
    description = T.texts_for("nl")(T.SIGNED_BY, municipality=municipality)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with source.open("rb") as inp, os.fdopen(handle, "wb") as out:
            # The empty field first, tagged into the structure tree (PDF/UA: every annotation has
            # a structure element); the signature then fills that field.
            pades.sign_into(
                inp,
                out,
                signer,
                spec,
                meta,
                lambda writer: _tag_signature_widget(writer, description),
                RESERVED_BYTES,
            )
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _signer(material: SigningMaterial) -> Any:
    """pyHanko's signer from the key and certificates already loaded (no second PKCS#12 round,
    no second check of the key: `pades.loaded_key_signer`)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from app.pdf import pades

    der = serialization.Encoding.DER
    store = SimpleCertificateStore()
    store.register_multiple([asn1_x509.Certificate.load(cert.public_bytes(der)) for cert in material.chain])
    certificate = asn1_x509.Certificate.load(material.certificate.public_bytes(der))
    return pades.loaded_key_signer(material.key, certificate, store)


def _tag_signature_widget(writer: Any, description: str) -> None:
    """Put the signature widget in the document's structure tree as a Form element (with an OBJR
    to the widget, the widget's /StructParent in the ParentTree) and give it a description (/TU)."""
    from pyhanko.pdf_utils import generic

    root = writer.root
    tree_ref = root.raw_get("/StructTreeRoot")
    if not isinstance(tree_ref, generic.IndirectObject) or "/AcroForm" not in root:
        return  # not a tagged PDF of ours: nothing to attach to
    field_refs = root["/AcroForm"]["/Fields"]
    named = [field_refs.raw_get(i) for i in range(len(field_refs))]
    widget_ref = next((ref for ref in named if _field_name(ref.get_object()) == SIGNATURE_FIELD), None)
    if widget_ref is None:
        return
    widget = widget_ref.get_object()
    tree = tree_ref.get_object()
    document_ref = tree["/K"].raw_get(0)  # the Document element (app/pdf/pdfa.py)
    document = document_ref.get_object()
    key = int(tree.get("/ParentTreeNextKey", 0))
    reference = generic.DictionaryObject(
        {generic.NameObject("/Type"): generic.NameObject("/OBJR"), generic.NameObject("/Obj"): widget_ref}
    )
    if "/P" in widget:
        reference[generic.NameObject("/Pg")] = widget.raw_get("/P")
    element_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): document_ref,
                generic.NameObject("/Alt"): generic.TextStringObject(description),
                generic.NameObject("/K"): reference,
            }
        )
    )
    kids = document["/K"]
    kids.append(element_ref)
    widget[generic.NameObject("/StructParent")] = generic.NumberObject(key)
    widget[generic.NameObject("/TU")] = generic.TextStringObject(description)
    nums = tree["/ParentTree"]["/Nums"]
    nums.append(generic.NumberObject(key))
    nums.append(element_ref)
    tree[generic.NameObject("/ParentTreeNextKey")] = generic.NumberObject(key + 1)
    for container in (widget_ref, document_ref, tree_ref, tree.raw_get("/ParentTree")):
        if isinstance(container, generic.IndirectObject):
            writer.mark_update(container)
    nums_ref = tree["/ParentTree"].raw_get("/Nums")
    if isinstance(nums_ref, generic.IndirectObject):
        writer.mark_update(nums_ref)
    kids_ref = document.raw_get("/K")
    if isinstance(kids_ref, generic.IndirectObject):
        writer.mark_update(kids_ref)


def _field_name(field: Any) -> str:
    return str(field["/T"]) if "/T" in field else ""


Signer = Callable[[Path], None]
"""Signs one finished PDF in place (made by app/services/signing.py for the print job)."""
