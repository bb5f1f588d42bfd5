"""The built one-folder bundle (installer/build-linux.sh), run as IT would run it: not the source tree.

Each program runs in a clean environment: PATH without the virtual environment, PYTHONPATH unset, a
fresh HOME, the working directory outside the repository. The bundle is build/installer/dist/wegwijs
or WEGWIJS_BUNDLE; without it these tests are skipped, except in CI, where .ci/run builds it first.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import __version__

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installer"))
from bundle_files import default_bundle  # noqa: E402

PASSPHRASE = "bundelproef-wachtwoord"
WINDOW_TIMEOUT_SECONDS = 60


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(os.environ.get("WEGWIJS_BUNDLE") or default_bundle(REPO))
    if not (path / "wegwijs").is_file():
        reason = f"no bundle in {path}; build it with: bash installer/build-linux.sh"
        if in_ci():
            pytest.fail(f"{reason} (CI=true: .ci/run builds it before the tests)", pytrace=False)
        pytest.skip(reason)
    return path


def clean_environment(home: Path, **extra: str) -> dict[str, str]:
    """What a fresh login has: no venv, no PYTHONPATH, no Wegwijs variables of the test run."""
    environment = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # No keyring in this session: the store key is wrapped with a passphrase (the vault).
        "WEGWIJS_PASSPHRASE": PASSPHRASE,
    }
    environment.update(extra)
    assert not any(key.startswith(("PYTHON", "VIRTUAL_ENV")) for key in environment)
    return environment


def run(
    program: Path, args: list[str], environment: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def test_version_is_the_source_version(bundle: Path, home: Path) -> None:
    done = run(bundle / "wegwijs", ["--version"], clean_environment(home), home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wegwijs {__version__}"


@pytest.fixture(scope="module")
def demo_profile(bundle: Path, home: Path) -> Path:
    """init and demo --clients 200 by the bundle, in the default profile folder of the fresh HOME."""
    environment = clean_environment(home)
    done = run(
        bundle / "wegwijs",
        ["init", "--role", "klantmanager", "--municipality", "Utrecht", "--name", "Anna de Vries"],
        environment,
        home,
    )
    assert done.returncode == 0, done.stderr
    profile = home / ".local" / "share" / "wegwijs"
    assert str(profile) in done.stdout
    assert (profile / "profile.json").is_file() and (profile / "wegwijs.db").is_file()
    done = run(bundle / "wegwijs", ["demo", "--clients", "200"], environment, home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("200 fictieve cliënten toegevoegd")
    return profile


def test_demo_clients_are_listed(bundle: Path, home: Path, demo_profile: Path) -> None:
    done = run(bundle / "wegwijs", ["list", "--json"], clean_environment(home), home)
    assert done.returncode == 0, done.stderr
    clients = json.loads(done.stdout)["cliënten"]
    assert len(clients) == 200
    assert len({client["v_nummer"] for client in clients}) == 200


def test_pdf_in_all_eight_languages_holds_the_name(
    bundle: Path, home: Path, demo_profile: Path, tmp_path: Path
) -> None:
    environment = clean_environment(home)
    clients = json.loads(run(bundle / "wegwijs", ["list", "--json"], environment, home).stdout)["cliënten"]
    client = next(c for c in clients if c.get("naam_origineel") and c["pip_status"])
    done = run(
        bundle / "wegwijs",
        ["pdf", "--client", client["v_nummer"], "--lang", "all", "--out", str(tmp_path)],
        environment,
        home,
    )
    assert done.returncode == 0, done.stderr
    written = [Path(line) for line in done.stdout.split("\n") if line.strip()]
    # PIP_<v-nummer>_v<versie>_<taal>_<datum>.pdf (app/services/pip/printing.py)
    languages = {re.fullmatch(r"PIP_\d+_v\d+_(.+)_\d{4}-\d{2}-\d{2}", path.stem).group(1) for path in written}
    assert languages == {"nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"}
    surname = client["naam"].split()[-1]
    for path in written:
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert surname in text, f"{path.name} does not hold the client's name {surname}"
        assert client["v_nummer"] in text, path.name


def _visible_windows(display: str) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Wegwijs"],
        capture_output=True,
        text=True,
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
        timeout=10,
    )
    return found.stdout.split()


@pytest.mark.xvfb
def test_gui_opens_its_window_and_quits(
    bundle: Path, home: Path, demo_profile: Path, xvfb_display: str, tmp_path: Path
) -> None:
    """wegwijs-gui on a real X server (Qt's xcb plugin from the bundle): the caseload window maps,
    then Ctrl+Q closes it and the program ends with status 0."""
    environment = clean_environment(home, DISPLAY=xvfb_display)
    log = (tmp_path / "gui.log").open("w+")
    started = time.monotonic()
    app = subprocess.Popen(
        [str(bundle / "wegwijs-gui")], env=environment, cwd=home, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        windows: list[str] = []
        while not windows:
            if app.poll() is not None:
                log.seek(0)
                pytest.fail(
                    f"wegwijs-gui stopped with status {app.returncode} before its window:\n{log.read()}"
                )
            if time.monotonic() - started > WINDOW_TIMEOUT_SECONDS:
                log.seek(0)
                pytest.fail(f"no Wegwijs window within {WINDOW_TIMEOUT_SECONDS} s:\n{log.read()}")
            time.sleep(0.3)
            windows = _visible_windows(xvfb_display)
        title = subprocess.run(
            ["xdotool", "getwindowname", windows[0]], capture_output=True, text=True, env=environment
        ).stdout
        assert "Utrecht" in title  # the caseload of the profile made above, not a first-run dialog
        subprocess.run(
            ["xdotool", "windowfocus", "--sync", windows[0], "key", "--clearmodifiers", "ctrl+q"],
            env=environment,
            check=True,
            timeout=20,
        )
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        log.close()


def test_gui_says_ready_with_exit_when_ready(
    bundle: Path, home: Path, demo_profile: Path, xvfb_display: str
) -> None:
    """The smoke test CLI.md names for an installed bundle: the GUI fills and paints the caseload of
    the demo profile, prints ready_ms=N and ends with status 0, without anyone at the screen."""
    environment = clean_environment(home, DISPLAY=xvfb_display)
    done = subprocess.run(
        [str(bundle / "wegwijs"), "--exit-when-ready"],
        env=environment,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=WINDOW_TIMEOUT_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"ready_ms=\d+", done.stdout.strip()), done.stdout
