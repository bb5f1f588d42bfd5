"""The real `wegwijs` program opens its window on a real X server (Xvfb, Qt's xcb platform)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.xvfb

WINDOW_TIMEOUT_SECONDS = 60
PASSPHRASE = "vensterproef-wachtwoord"

# Runs in its own process: this test process runs Qt offscreen, the grab needs the xcb platform.
GRAB_SCREEN = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["grab", "-platform", "xcb"])
screen = app.primaryScreen()
sys.exit(0 if screen.grabWindow(0).save(sys.argv[1], "PNG") else 1)
"""


def visible_windows_named(name: str, environment: dict[str, str]) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        capture_output=True,
        text=True,
        env=environment,
        timeout=10,
    )
    return found.stdout.split()


def window_title(window: str, environment: dict[str, str]) -> str:
    return subprocess.run(
        ["xdotool", "getwindowname", window], capture_output=True, text=True, env=environment, timeout=10
    ).stdout.strip()


def distinct_colours(image: QImage, samples: int = 80) -> int:
    colours = {
        image.pixel(x * image.width() // samples, y * image.height() // samples)
        for x in range(samples)
        for y in range(samples)
    }
    return len(colours)


def test_wegwijs_window_opens_on_a_real_x_server(
    xvfb_display: str, tmp_path: Path, artifacts_dir: Path, wegwijs_command: list[str]
) -> None:
    environment = dict(os.environ)
    environment.update(
        DISPLAY=xvfb_display,
        QT_QPA_PLATFORM="xcb",
        WEGWIJS_PASSPHRASE=PASSPHRASE,
        # The passphrase vault, not a keyring: this test is about the window.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        WEGWIJS_DATA_DIR=str(tmp_path / "profiel"),
    )
    data_dir = tmp_path / "profiel"
    for args in (
        ["init", "--role", "klantmanager", "--municipality", "Voorbeeldstad"],
        ["demo", "--clients", "50", "--seed", "3"],
    ):
        done = subprocess.run(
            [*wegwijs_command, "--data-dir", str(data_dir), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, (args, done.stderr)

    log = (tmp_path / "wegwijs.log").open("w+")
    app = subprocess.Popen(
        [*wegwijs_command, "--data-dir", str(data_dir)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    screenshot = artifacts_dir / "desktop-window.png"
    screenshot.unlink(missing_ok=True)
    try:
        deadline = time.monotonic() + WINDOW_TIMEOUT_SECONDS
        windows: list[str] = []
        while not windows:
            if app.poll() is not None:
                log.seek(0)
                pytest.fail(
                    f"wegwijs stopped with exit status {app.returncode} before its window:\n{log.read()}"
                )
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"no window titled 'Wegwijs' within {WINDOW_TIMEOUT_SECONDS} s:\n{log.read()}")
            time.sleep(0.3)
            windows = visible_windows_named("Wegwijs", environment)
        assert "Wegwijs" in window_title(windows[0], environment)

        # The window is mapped before it has painted: grab until the screen shows a real picture.
        image = QImage()
        for _attempt in range(20):
            time.sleep(0.5)
            grabbed = subprocess.run(
                [sys.executable, "-c", GRAB_SCREEN, str(screenshot)],
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert grabbed.returncode == 0, grabbed.stderr
            image = QImage(str(screenshot))
            if distinct_colours(image) >= 8:
                break
        assert not image.isNull(), "the screenshot could not be read"
        assert (image.width(), image.height()) == (1280, 800)
        assert distinct_colours(image) >= 8, f"the screen looks blank; see {screenshot}"
        assert app.poll() is None, "wegwijs stopped while its window was shown"
    finally:
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
        log.close()
