"""Compile every .po under a folder to the .mo beside it (Babel, fuzzy entries included, as the app
does in memory), so the bundle needs no compilation at start-up. Usage: compile_catalogs.py FOLDER"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(folder: Path) -> int:
    count = 0
    for po_path in sorted(folder.rglob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=True)
        count += 1
    return count


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if not target.is_dir():
        raise SystemExit(f"compile_catalogs: map {target} bestaat niet")
    print(f"compile_catalogs: {compile_all(target)} catalogi gecompileerd")
