"""Every resource the source tree reads is in the bundle (build/installer/dist/wegwijs/_internal).

Two independent lists are compared with the bundle's contents: the data files installer/bundle_files.py
names (what the spec puts in), and the files under app/ and resources/ that the source tree really
opens or lists while it runs init, demo, list, pdf --lang all and a GUI start (recorded with an audit
hook in a child process), so a resource read through a path the spec does not know fails here too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installer"))
from bundle_files import bundle_internal, data_files, default_bundle  # noqa: E402

# Runs the source tree's CLI and GUI in one process and prints the app/ and resources/ files it read.
RECORD_READS = r"""
import json, os, sys
from pathlib import Path

repo = Path(sys.argv[1]).resolve()
roots = (repo / "app", repo / "resources")
seen = set()

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, os.PathLike)):
        try:
            path = Path(os.fsdecode(args[0])).resolve()
        except (OSError, ValueError):
            return
        if any(path == root or root in path.parents for root in roots):
            seen.add(str(path.relative_to(repo)))

sys.addaudithook(hook)
from app.cli import main

data = sys.argv[2]
steps = [
    ["init", "--role", "klantmanager", "--municipality", "Utrecht"],
    ["demo", "--clients", "30"],
]
for step in steps:
    assert main(["--data-dir", data, *step]) == 0, step
import contextlib, io
out = io.StringIO()
with contextlib.redirect_stdout(out):
    assert main(["--data-dir", data, "list", "--json"]) == 0
client = next(c for c in json.loads(out.getvalue())["cliënten"] if c["pip_status"])
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["--data-dir", data, "pdf", "--client", client["v_nummer"], "--lang", "all", "--out", data + "/pdf"]) == 0

# The GUI: the main window on Qt's offscreen platform, in both interface languages.
from PySide6.QtWidgets import QApplication
from app.i18n import set_ui_language
from app.services.profile import open_profile
from app.ui.application import open_main_window
app = QApplication(["wegwijs"])
profile = open_profile(Path(data))
window = open_main_window(profile)
window.show()
for code in ("en", "nl"):
    set_ui_language(code)
app.processEvents()
window.close()
profile.close()
print(json.dumps(sorted(seen)))
"""


@pytest.fixture(scope="module")
def internal() -> Path:
    bundle = Path(os.environ.get("WEGWIJS_BUNDLE") or default_bundle(REPO))
    if not (bundle / "wegwijs").is_file():
        reason = f"no bundle in {bundle}; build it with: bash installer/build-linux.sh"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason} (CI=true: .ci/run builds it before the tests)", pytrace=False)
        pytest.skip(reason)
    return bundle_internal(bundle)


def test_every_named_data_file_is_bundled(internal: Path) -> None:
    named = data_files(REPO)
    # The list itself is not empty or partial: the catalogs, fonts, forms and migrations are in it.
    assert Path("resources/languages.json") in named
    assert Path("resources/forms/brede_intake.v1.toml") in named
    assert Path("app/models/migrations/env.py") in named
    assert any(p.parent == Path("app/models/migrations/versions") for p in named)
    assert any(p.suffix == ".ttf" for p in named) and any(p.suffix == ".po" for p in named)
    missing = [str(p) for p in named if not (internal / p).is_file()]
    assert not missing, f"not in the bundle: {missing}"


def test_every_file_the_source_tree_reads_is_bundled(internal: Path, tmp_path: Path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("WEGWIJS_", "PYTHONPATH"))
    }
    environment.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        WEGWIJS_PASSPHRASE="bronproef-wachtwoord",
    )
    done = subprocess.run(
        [sys.executable, "-c", RECORD_READS, str(REPO), str(tmp_path / "profiel")],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    read = [Path(p) for p in json.loads(done.stdout.strip().splitlines()[-1])]
    files = [p for p in read if (REPO / p).is_file()]
    # Python modules are in the bundle's archive, not as files; Alembic's scripts are files there too.
    data = [p for p in files if p.suffix not in {".py", ".pyc"} or "migrations" in p.parts]
    assert any(p.suffix == ".ttf" for p in data), "the recording saw no fonts: it recorded nothing useful"
    assert any(p.parts[:2] == ("app", "models") for p in data), "the recording saw no migrations"
    missing = [str(p) for p in data if "__pycache__" not in p.parts and not (internal / p).exists()]
    assert not missing, f"the source tree reads these, the bundle lacks them: {missing}"
    # Folders the app lists (the catalogs per language, the migration versions); the import system's
    # listings of package folders do not count, the modules are in the archive.
    folders = [
        p for p in read if (REPO / p).is_dir() and (p.parts[0] == "resources" or "migrations" in p.parts)
    ]
    assert folders, "the recording saw no listed resource folder"
    assert not [str(p) for p in folders if not (internal / p).is_dir()]
