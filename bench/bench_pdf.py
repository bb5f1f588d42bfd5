"""Speed of one Dutch + Arabic PIP PDF, against WeasyPrint on equivalent nl+ar HTML (issue 15).

Whole processes, alternating A B A B: A is a fresh Python that imports Wegwijs's PDF engine and
writes the sample PIP (nl+ar, four pages, tagged PDF/A with ToUnicode maps: what `wegwijs pdf
--lang ar` does after opening the store); B is a fresh Python that imports WeasyPrint and writes the
same texts as two-column HTML. WeasyPrint lives in a throw-away venv outside the repository
(default /tmp/weasy-venv), made when missing. Prints both medians and the ratio; the target is
Wegwijs at least 1.5x faster. Then the in-process figures (warm, all eight languages). Wegwijs's
own modules are byte-compiled first, as pip did for WeasyPrint's venv.

    python bench/bench_pdf.py [--repeat N] [--weasy-venv DIR]
"""

from __future__ import annotations

import argparse
import compileall
import html
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n.languages import language_codes  # noqa: E402
from app.pdf import texts as T  # noqa: E402
from app.pdf.render import prepare, render_languages, render_pip  # noqa: E402
from app.pdf.sample import sample_document  # noqa: E402

TARGET_RATIO = 1.5
WEGWIJS = """
import sys
from app.pdf.render import render_pip
from app.pdf.sample import sample_document
render_pip(sample_document("ar"), "ar", sys.argv[1])
"""
# The same PIP adopted and signed (PAdES, pyHanko) as a supervisor installation with the
# municipality's certificate writes it: tagging, ToUnicode and the signature together (issue 19).
WEGWIJS_SIGNED = """
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from app.pdf import document as doc
from app.pdf.render import render_pip
from app.pdf.sample import sample_document
from app.pdf.signing import load_pkcs12, sign_pdf
d = sample_document("ar")
d = replace(d, state=doc.PipState.VASTGESTELD, adopted_on=dt.date.today(),
            signing=doc.SigningInfo(True, d.municipality.name, "Gemeente Benchdorp"))
material = load_pkcs12(Path(sys.argv[2]).read_bytes(), sys.argv[3])
result = render_pip(d, "ar", sys.argv[1])
sign_pdf(result.path, result.path, material, d.municipality.name)
"""
WEASY = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
"""


def weasy_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"making the WeasyPrint baseline venv in {venv} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "weasyprint"], check=True)
    return python


def filled(texts: Any, message: Any, values: dict[str, Any]) -> str:
    """The text with its placeholders filled; one the table above does not know gets a word."""
    values = dict(values)
    while True:
        try:
            return str(texts(message, **values))
        except KeyError as missing:
            values[str(missing.args[0])] = "Noor"


def equivalent_html() -> str:
    """The sample PIP's standard texts, Dutch beside Arabic, about four A4 pages."""
    nl, ar = T.texts_for("nl"), T.texts_for("ar")
    rows = []
    for message in T.ALL_TEXTS:
        if isinstance(message, T.Plural):
            continue
        values = {"date": "4 mei 2026", "version": 2, "state": "concept", "page": 1, "pages": 4}
        values |= {"municipality": "Gemeente Wegwijs-aan-Zee", "start": "1 mei", "end": "1 juni"}
        values |= {"parts": "lezen", "heading": "Afspraken"}
        rows.append(
            f"<tr><td>{html.escape(filled(nl, message, values))}</td>"
            f'<td dir="rtl" lang="ar">{html.escape(filled(ar, message, values))}</td></tr>'
        )
    style = (
        "@page { size: A4; margin: 16mm; @bottom-center { content: counter(page) ' / ' counter(pages) } }"
        "body { font: 9pt 'Noto Sans', 'Noto Naskh Arabic'; } td { width: 50%; vertical-align: top; padding: 3pt }"
    )
    body = "".join(rows)
    return f'<html lang="nl"><head><meta charset="utf-8"><style>{style}</style></head><body><table>{body}</table></body></html>'


def test_certificate(folder: Path) -> tuple[Path, str]:
    """A throw-away CA and municipal signing certificate, made as the tests make theirs."""
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from signing_helpers import PASSWORD, make_ca, make_signing_cert, write_p12

    ca = make_ca()
    key, cert = make_signing_cert(ca, "Benchdorp")
    return write_p12(folder / "gemeente.p12", key, cert, [ca[1]]), PASSWORD


def signed_in_process(out: Path, p12: Path, password: str, repeat: int) -> float:
    """Render and sign in this (warm) process, the way the GUI's print worker does it."""
    import datetime as dt
    from dataclasses import replace

    from app.pdf import document as doc
    from app.pdf.signing import load_pkcs12, sign_pdf

    base = sample_document("ar")
    adopted = replace(
        base,
        state=doc.PipState.VASTGESTELD,
        adopted_on=dt.date.today(),
        signing=doc.SigningInfo(True, base.municipality.name, "Gemeente Benchdorp"),
    )
    material = load_pkcs12(p12.read_bytes(), password)
    times = []
    for number in range(repeat + 1):  # the first one imports pyHanko: not counted
        started = time.perf_counter()
        result = render_pip(adopted, "ar", out / f"signed-{number}.pdf")
        sign_pdf(result.path, result.path, material, base.municipality.name)
        if number:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(command: list[str], cpu: list[float]) -> float:
    """The wall time of one whole process; its CPU time (user + system) goes to `cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--weasy-venv", type=Path, default=Path("/tmp/weasy-venv"))
    args = parser.parse_args()
    weasy = weasy_python(args.weasy_venv)
    # Both sides as installed: pip byte-compiled WeasyPrint's venv, and an installed Wegwijs (pip,
    # the bundle) has its modules byte-compiled too. A checkout run with PYTHONDONTWRITEBYTECODE=1
    # would otherwise compile about 30 of its modules from source in every process (0.06 s).
    compileall.compile_dir(ROOT / "app", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        page = out / "pip.html"
        page.write_text(equivalent_html(), encoding="utf-8")
        p12, password = test_certificate(out)
        ours, signed, theirs = [], [], []
        cpu: dict[str, list[float]] = {"ours": [], "signed": [], "theirs": []}
        load_before = os.getloadavg()[0]
        for _ in range(args.repeat):
            ours.append(timed([sys.executable, "-c", WEGWIJS, str(out / "wegwijs.pdf")], cpu["ours"]))
            theirs.append(timed([str(weasy), "-c", WEASY, str(page), str(out / "weasy.pdf")], cpu["theirs"]))
            signed.append(
                timed(
                    [sys.executable, "-c", WEGWIJS_SIGNED, str(out / "signed.pdf"), str(p12), password],
                    cpu["signed"],
                )
            )
        a, b, c = statistics.median(ours), statistics.median(theirs), statistics.median(signed)
        ca, cb, cc = (statistics.median(cpu[key]) for key in ("ours", "theirs", "signed"))
        print(f"load average (1 min) {load_before:.2f} before the rounds, {os.getloadavg()[0]:.2f} after")
        print(
            f"one Dutch + Arabic PIP PDF, whole process: Wegwijs {a:.3f} s, CPU {ca:.3f} s (median of {args.repeat})"
        )
        print(f"the same PIP adopted and signed (PAdES), whole process: Wegwijs {c:.3f} s, CPU {cc:.3f} s")
        print(f"baseline, WeasyPrint on equivalent nl+ar HTML, whole process: {b:.3f} s, CPU {cb:.3f} s")
        print(f"ratio: Wegwijs is {b / a:.2f}x as fast, signed {b / c:.2f}x (target >= {TARGET_RATIO}x)")
        print(f"ratio of CPU time: Wegwijs {cb / ca:.2f}x, signed {cb / cc:.2f}x")
        prepare(language_codes())
        warm = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            render_pip(sample_document("ar"), "ar", out / "warm.pdf")
            warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_languages(sample_document("fa"), language_codes(), out)
        every = time.perf_counter() - started
        warm_signed = signed_in_process(out, p12, password, args.repeat)
    print(
        f"in process after prepare(): one PIP median {statistics.median(warm):.3f} s; all eight languages {every:.3f} s"
    )
    print(f"in process, as the GUI prints: one adopted PIP rendered and signed, median {warm_signed:.3f} s")
    ok = b / a >= TARGET_RATIO and b / c >= TARGET_RATIO
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
