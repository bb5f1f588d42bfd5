"""Speed of one Dutch + Arabic PIP PDF, against WeasyPrint on equivalent nl+ar HTML (issue 15).

Whole processes, alternating A B A B: A is a fresh Python that imports Wegwijs's PDF engine and
writes the sample PIP (nl+ar, four pages, tagged PDF/A with ToUnicode maps: what `wegwijs pdf
--lang ar` does after opening the store); B is a fresh Python that imports WeasyPrint and writes the
same texts as two-column HTML. WeasyPrint lives in a throw-away venv outside the repository
(default /tmp/weasy-venv), made when missing. Prints both medians and the ratio; the target is
Wegwijs at least 1.5x faster. Then the in-process figures (warm, all eight languages).

    python bench/bench_pdf.py [--repeat N] [--weasy-venv DIR]
"""

from __future__ import annotations

import argparse
import html
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
            f"<tr><td>{html.escape(nl(message, **values))}</td>"
            f'<td dir="rtl" lang="ar">{html.escape(ar(message, **values))}</td></tr>'
        )
    style = (
        "@page { size: A4; margin: 16mm; @bottom-center { content: counter(page) ' / ' counter(pages) } }"
        "body { font: 9pt 'Noto Sans', 'Noto Naskh Arabic'; } td { width: 50%; vertical-align: top; padding: 3pt }"
    )
    body = "".join(rows)
    return f'<html lang="nl"><head><meta charset="utf-8"><style>{style}</style></head><body><table>{body}</table></body></html>'


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--weasy-venv", type=Path, default=Path("/tmp/weasy-venv"))
    args = parser.parse_args()
    weasy = weasy_python(args.weasy_venv)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        page = out / "pip.html"
        page.write_text(equivalent_html(), encoding="utf-8")
        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(timed([sys.executable, "-c", WEGWIJS, str(out / "wegwijs.pdf")]))
            theirs.append(timed([str(weasy), "-c", WEASY, str(page), str(out / "weasy.pdf")]))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"one Dutch + Arabic PIP PDF, whole process: Wegwijs {a:.3f} s (median of {args.repeat})")
        print(f"baseline, WeasyPrint on equivalent nl+ar HTML, whole process: {b:.3f} s")
        print(f"ratio: Wegwijs is {b / a:.2f}x as fast (target >= {TARGET_RATIO}x)")
        prepare(language_codes())
        warm = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            render_pip(sample_document("ar"), "ar", out / "warm.pdf")
            warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_languages(sample_document("fa"), language_codes(), out)
        every = time.perf_counter() - started
    print(
        f"in process after prepare(): one PIP median {statistics.median(warm):.3f} s; all eight languages {every:.3f} s"
    )
    ok = b / a >= TARGET_RATIO
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
