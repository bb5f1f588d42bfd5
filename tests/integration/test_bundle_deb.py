"""The Debian package of the bundle installs with apt-get, starts, and removes cleanly (profile stays).

It changes the machine (installs into /opt/wegwijs and /usr), so it runs only as root and only when
asked: CI sets WEGWIJS_TEST_DEB=1 (.ci/run). The package is build/installer/wegwijs_*.deb
(installer/build-linux.sh --deb).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from app import __version__

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "pakketproef-wachtwoord"

pytestmark = pytest.mark.skipif(
    os.environ.get("WEGWIJS_TEST_DEB") != "1" or os.geteuid() != 0,
    reason="installs a system package: only as root with WEGWIJS_TEST_DEB=1 (CI)",
)


def apt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["apt-get", "-y", "-q", "--no-install-recommends", *args],
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def installed() -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "wegwijs"], capture_output=True, text=True
    ).stdout
    return status == "install ok installed"


def test_package_installs_starts_and_removes_keeping_the_profile(tmp_path: Path, xvfb_display: str) -> None:
    packages = sorted((REPO / "build" / "installer").glob("wegwijs_*.deb"))
    assert packages, "no package; build it with: bash installer/build-linux.sh --deb"
    home = tmp_path / "home"
    home.mkdir()
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "WEGWIJS_PASSPHRASE": PASSPHRASE,
    }

    done = apt("install", f"./{packages[-1].relative_to(REPO)}")
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        assert installed()
        assert shutil.which("wegwijs", path="/usr/bin") == "/usr/bin/wegwijs"
        desktop = Path("/usr/share/applications/wegwijs.desktop").read_text(encoding="utf-8")
        assert "Exec=wegwijs-gui" in desktop and "Icon=wegwijs" in desktop
        assert Path("/usr/share/icons/hicolor/256x256/apps/wegwijs.png").is_file()
        if shutil.which("desktop-file-validate"):
            check = subprocess.run(["desktop-file-validate", "/usr/share/applications/wegwijs.desktop"])
            assert check.returncode == 0

        def wegwijs(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["wegwijs", *args], env=environment, cwd=home, capture_output=True, text=True, timeout=120
            )

        assert wegwijs("--version").stdout.strip() == f"wegwijs {__version__}"
        assert wegwijs("init", "--role", "klantmanager", "--municipality", "Zwolle").returncode == 0
        assert wegwijs("demo", "--clients", "5").returncode == 0
        # The installed GUI starts on an X server and shows its window.
        gui = subprocess.Popen(
            ["wegwijs-gui"],
            env=dict(environment, DISPLAY=xvfb_display),
            cwd=home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            windows: list[str] = []
            while not windows and time.monotonic() < deadline and gui.poll() is None:
                time.sleep(0.3)
                windows = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--name", "^Wegwijs"],
                    env={"DISPLAY": xvfb_display},
                    capture_output=True,
                    text=True,
                ).stdout.split()
            assert windows, f"no window from the installed wegwijs-gui (status {gui.poll()})"
        finally:
            gui.terminate()
            gui.wait(timeout=30)
    finally:
        removed = apt("remove", "wegwijs")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not installed()
    assert not Path("/opt/wegwijs").exists() and not Path("/usr/bin/wegwijs").exists()
    assert not Path("/usr/share/applications/wegwijs.desktop").exists()
    profile = home / ".local" / "share" / "wegwijs"
    assert (profile / "profile.json").is_file() and (profile / "wegwijs.db").is_file()
