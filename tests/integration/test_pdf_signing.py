"""Signed decisions (issue 19): the certificate check, real signed PDFs checked by poppler's `pdfsig`
and by pyHanko's validator against the test CA, and the statements an unsigned PIP makes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from cryptography.hazmat.primitives import serialization
from signing_helpers import PASSWORD, make_ca, make_signing_cert, review_all_fixed_texts, write_p12

from app.i18n.layers import clear_layers
from app.pdf.document import PipDocument, PipState, SigningInfo
from app.pdf.render import render_pip
from app.pdf.sample import sample_document
from app.pdf.signing import SigningCertError, SigningMaterial, load_pkcs12, sign_pdf


@pytest.fixture(scope="module")
def ca() -> tuple:
    return make_ca()


@pytest.fixture(scope="module")
def material(ca: tuple, tmp_path_factory: pytest.TempPathFactory) -> SigningMaterial:
    key, cert = make_signing_cert(ca)
    path = write_p12(tmp_path_factory.mktemp("cert") / "gemeente.p12", key, cert, [ca[1]])
    return load_pkcs12(path.read_bytes(), PASSWORD)


def adopted(signed: bool | None, language: str = "ar") -> PipDocument:
    document = sample_document(language, state=PipState.VASTGESTELD)
    info = None if signed is None else SigningInfo(signed, "Testdorp", "Gemeente Testdorp" if signed else "")
    return replace(document, signing=info)


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def pdfsig(path: Path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


# -- the certificate file ---------------------------------------------------------------------------


def test_a_good_certificate_is_read(ca: tuple, tmp_path: Path) -> None:
    key, cert = make_signing_cert(ca)
    material = load_pkcs12(write_p12(tmp_path / "ok.p12", key, cert, [ca[1]]).read_bytes(), PASSWORD)
    assert material.subject == "Gemeente Testdorp" and material.organisation == "Gemeente Testdorp"
    assert len(material.fingerprint.split(":")) == 32  # SHA-256, as the CA's administrator reads it
    assert material.chain == (ca[1],)


def test_a_wrong_password_is_refused(ca: tuple, tmp_path: Path) -> None:
    key, cert = make_signing_cert(ca)
    data = write_p12(tmp_path / "ok.p12", key, cert, [ca[1]]).read_bytes()
    with pytest.raises(SigningCertError, match="wachtwoord van het certificaatbestand is onjuist"):
        load_pkcs12(data, "niet-het-wachtwoord")
    with pytest.raises(SigningCertError, match="geen PKCS#12-bestand"):
        load_pkcs12(b"%PDF-1.7 dit is geen certificaat", PASSWORD)


def test_a_file_without_private_key_is_refused(ca: tuple, tmp_path: Path) -> None:
    _key, cert = make_signing_cert(ca)
    data = write_p12(tmp_path / "zonder-sleutel.p12", None, cert, [ca[1]]).read_bytes()
    with pytest.raises(SigningCertError, match="geen persoonlijke \\(private\\) sleutel"):
        load_pkcs12(data, PASSWORD)


def test_an_expired_or_not_yet_valid_certificate_is_refused(ca: tuple, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    key, cert = make_signing_cert(
        ca, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=2)
    )
    data = write_p12(tmp_path / "verlopen.p12", key, cert, [ca[1]]).read_bytes()
    expired_on = (now - dt.timedelta(days=2)).date().isoformat()
    with pytest.raises(SigningCertError, match=f"verlopen op {expired_on}"):
        load_pkcs12(data, PASSWORD)
    key, cert = make_signing_cert(
        ca, not_before=now + dt.timedelta(days=5), not_after=now + dt.timedelta(days=50)
    )
    with pytest.raises(SigningCertError, match="pas geldig vanaf"):
        load_pkcs12(write_p12(tmp_path / "later.p12", key, cert, []).read_bytes(), PASSWORD)


def test_the_material_survives_the_secret_store_round_trip(material: SigningMaterial) -> None:
    from app.pdf.signing import material_from_bytes

    again = material_from_bytes(material.to_bytes())
    assert again.fingerprint == material.fingerprint
    own = serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    assert again.key.private_bytes(*own) == material.key.private_bytes(*own)


# -- signed PDFs ------------------------------------------------------------------------------------


def test_an_adopted_pip_is_signed_and_pdfsig_verifies_it(
    material: SigningMaterial, ca: tuple, tmp_path: Path
) -> None:
    path = render_pip(adopted(True), "ar", tmp_path / "vastgesteld.pdf").path
    sign_pdf(path, path, material, "Testdorp")
    assert path.stat().st_mode & 0o777 == 0o600
    report = pdfsig(path)
    assert "Signature is Valid." in report and "Total document signed" in report
    assert "Gemeente Testdorp" in report and "ETSI.CAdES.detached" in report  # PAdES, not adbe.pkcs7
    text = " ".join(pdf_text(path).split())
    # The visible block: the municipality and the adoption date, and the sentence in both columns.
    assert "Digitaal ondertekend namens de gemeente Testdorp" in text
    assert "Vastgesteld op 4 mei 2026" in text and "Certificaat: Gemeente Testdorp" in text
    assert "Dit besluit is digitaal ondertekend door de gemeente Testdorp." in text
    assert "هذا القرار" in text and "من بلدية" in text  # the Arabic sentence
    assert "niet digitaal ondertekend" not in text

    # pyHanko's own validator, with the test CA as the only trusted root: intact, valid, trusted.
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(ca[1].public_bytes(serialization.Encoding.PEM))
    with path.open("rb") as handle:
        reader = PdfFileReader(handle)
        (signature,) = reader.embedded_signatures
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_pem))])
        )
    assert status.intact and status.valid and status.trusted
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.coverage.name == "ENTIRE_FILE"

    # The widget lies over the block the renderer drew on the last page: a visible signature.
    field = signature.sig_field
    rect = [float(v) for v in field["/Rect"]]
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 40


def test_an_ecdsa_certificate_signs_too(ca: tuple, tmp_path: Path) -> None:
    """The signer signs with the key as loaded (app/pdf/pades.py): ECDSA as well as RSA."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key, cert = make_signing_cert(ca, key=ec.generate_private_key(ec.SECP256R1()))
    material = load_pkcs12(write_p12(tmp_path / "ec.p12", key, cert, [ca[1]]).read_bytes(), PASSWORD)
    path = render_pip(adopted(True, "nl"), "nl", tmp_path / "ec.pdf").path
    sign_pdf(path, path, material, "Testdorp")
    report = pdfsig(path)
    assert "Signature is Valid." in report and "Total document signed" in report
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as handle:
        (signature,) = PdfFileReader(handle).embedded_signatures
        assert signature.signer_info["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"


def test_a_changed_byte_breaks_the_signature(material: SigningMaterial, tmp_path: Path) -> None:
    path = render_pip(adopted(True, "nl"), "nl", tmp_path / "besluit.pdf").path
    sign_pdf(path, path, material, "Testdorp")
    data = bytearray(path.read_bytes())
    # A digit of the V-nummer inside the signed range (in the text of the first page's content).
    position = data.index(b"/Length") + 200
    data[position] ^= 0x01
    changed = tmp_path / "veranderd.pdf"
    changed.write_bytes(bytes(data))
    report = pdfsig(changed)
    assert "Signature is Valid." not in report
    assert "Signature is Invalid." in report or "Digest Mismatch" in report or "corrupted" in report.lower()


def test_signing_refuses_an_expired_certificate(ca: tuple, tmp_path: Path, material: SigningMaterial) -> None:
    path = render_pip(adopted(True, "nl"), "nl", tmp_path / "besluit.pdf").path
    later = material.not_after + dt.timedelta(days=1)
    with pytest.raises(SigningCertError, match="verlopen"):
        sign_pdf(path, path, material, "Testdorp", now=later)
    assert "does not contain any signatures" in pdfsig(path)


def test_an_unsigned_adopted_pip_says_so_in_both_languages(tmp_path: Path) -> None:
    text = pdf_text(render_pip(adopted(False, "tr"), "tr", tmp_path / "tr.pdf").path)
    assert "Dit document is niet digitaal ondertekend." in text
    assert "Bu belge dijital olarak imzalanmamıştır." in text
    assert "does not contain any signatures" in pdfsig(tmp_path / "tr.pdf")
    # Side by side like every part: the Dutch sentence in the left column, the Turkish one level
    # with it in the right column.
    with pymupdf.open(tmp_path / "tr.pdf") as doc:
        page = doc[-1]
        (dutch,) = page.search_for("Dit document is niet digitaal ondertekend.")
        (turkish,) = page.search_for("Bu belge dijital olarak imzalanmamıştır.")
        middle = page.rect.width / 2
    assert dutch.x1 < middle < turkish.x0
    assert abs(dutch.y0 - turkish.y0) < 1


def test_a_concept_is_never_signed_nor_says_anything_about_it(tmp_path: Path) -> None:
    concept = replace(sample_document("en"), signing=SigningInfo(True, "Testdorp", "Gemeente Testdorp"))
    text = pdf_text(render_pip(concept, "en", tmp_path / "concept.pdf").path)
    assert "CONCEPT" in text and "digitaal ondertekend" not in text


# -- unreviewed fixed texts -------------------------------------------------------------------------


@pytest.fixture
def layer_cleanup() -> Iterator[None]:
    yield
    clear_layers()


def test_the_unreviewed_notice_is_on_every_page_until_the_texts_are_reviewed(
    tmp_path: Path, layer_cleanup: None
) -> None:
    document = sample_document("tr")
    before = pdf_text(render_pip(document, "tr", tmp_path / "voor.pdf").path).split("\f")[:-1]
    assert len(before) >= 2
    for page in before:
        assert "De vaste teksten in deze vertaling zijn nog niet door een tolk gecontroleerd." in page
        assert "Bu çevirideki sabit metinler henüz bir tercüman tarafından kontrol edilmedi." in page
    dutch = pdf_text(render_pip(document, "nl", tmp_path / "nl.pdf").path)
    assert "tolk gecontroleerd" not in dutch  # Dutch is the source: nothing to check

    assert review_all_fixed_texts(tmp_path / "profiel", "tr") > 100
    after = pdf_text(render_pip(document, "tr", tmp_path / "na.pdf").path)
    assert "tolk gecontroleerd" not in after and "tercüman" not in after
    # Another language is still unchecked.
    assert "tolk gecontroleerd" in pdf_text(render_pip(document, "ku", tmp_path / "ku.pdf").path)


def test_the_signature_widget_is_in_the_structure_tree(material: SigningMaterial, tmp_path: Path) -> None:
    """PDF/UA: an annotation belongs to a structure element; the signature is a Form with a
    description, reachable from the widget through its /StructParent."""
    import pikepdf

    path = render_pip(adopted(True), "ar", tmp_path / "getagd.pdf").path
    sign_pdf(path, path, material, "Testdorp")
    assert "Signature is Valid." in pdfsig(path)
    with pikepdf.open(path) as pdf:
        (field,) = [f for f in pdf.Root.AcroForm.Fields if str(f.T) == "Handtekening gemeente"]
        assert str(field.TU) == "Digitaal ondertekend namens de gemeente Testdorp"
        tree = pdf.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        mapping = dict(zip(nums[0::2], nums[1::2], strict=True))
        element = mapping[int(field.StructParent)]
        assert element.S == "/Form" and element.K.Type == "/OBJR"
        assert element.K.Obj.objgen == field.objgen
        assert element.P.S == "/Document" and any(k.objgen == element.objgen for k in element.P.K)
        assert int(tree.ParentTreeNextKey) == int(field.StructParent) + 1
        widget_page = [
            i
            for i, page in enumerate(pdf.pages)
            if any(a.objgen == field.objgen for a in page.get("/Annots", []))
        ]
        assert widget_page and element.K.Pg.objgen == pdf.pages[widget_page[0]].objgen


_SIGN_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
from app.pdf.signing import load_pkcs12, sign_pdf
material = load_pkcs12(Path(sys.argv[2]).read_bytes(), sys.argv[3])
sign_pdf(Path(sys.argv[1]), Path(sys.argv[1]), material, "Testdorp")
loaded = [name for name in sys.modules if name.split(".")[0] in ("aiohttp", "certifi", "requests")]
loaded += [name for name in ("pyhanko.sign.validation", "pyhanko.sign.signers.pdf_signer") if name in sys.modules]
loaded += [name for name in sys.modules if name.startswith(("pyhanko_certvalidator.revinfo", "pyhanko_certvalidator.ltv"))]
loaded += [name for name in ("pyhanko_certvalidator.context", "pyhanko_certvalidator.validate") if name in sys.modules]
print(",".join(loaded))
"""


def test_signing_imports_no_network_stack_nor_validation(ca: tuple, tmp_path: Path) -> None:
    """Only what a PAdES signature needs is imported: no aiohttp (pyHanko's HTTP time-stamp
    client), no certifi, no validation modules, not pyhanko_certvalidator's validator, revocation
    (CRL, OCSP) and long-term validation modules: they cost about a second per process."""
    key, cert = make_signing_cert(ca)
    p12 = write_p12(tmp_path / "gemeente.p12", key, cert, [ca[1]])
    path = render_pip(adopted(True), "ar", tmp_path / "ar.pdf").path
    run = subprocess.run(
        [sys.executable, "-c", _SIGN_IN_A_FRESH_PROCESS, str(path), str(p12), PASSWORD],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""
    assert "Signature is Valid." in pdfsig(path)
