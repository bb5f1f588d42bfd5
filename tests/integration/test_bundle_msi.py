"""The Windows installer script (installer/windows/wegwijs.wxs) compiles with msitools' wixl, and the
MSI's tables say what IT needs: per-machine, a Start-menu entry for wegwijs-gui.exe, a major upgrade,
and nothing that touches the profiles. The MSI is built from a staged tree with Linux programs under
Windows names (installer/windows/check-msi.sh): a check of the script, not an installable package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installer"))
from bundle_files import default_bundle  # noqa: E402


def table(msi: Path, name: str) -> list[list[str]]:
    exported = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    )
    return [line.split("\t") for line in exported.stdout.splitlines()[3:]]  # after names, types, key


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bundle = Path(os.environ.get("WEGWIJS_BUNDLE") or default_bundle(REPO))
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    for reason, ok in (
        (
            "wixl and msiinfo are not installed (apt-get install wixl msitools)",
            shutil.which("wixl") and shutil.which("msiinfo"),
        ),
        (
            f"no bundle in {bundle}; build it with: bash installer/build-linux.sh",
            (bundle / "wegwijs").is_file(),
        ),
    ):
        if not ok:
            if ci:
                pytest.fail(f"{reason} (CI=true: .ci/run provides it)", pytrace=False)
            pytest.skip(reason)
    out = tmp_path_factory.mktemp("msi")
    done = subprocess.run(
        ["bash", str(REPO / "installer" / "windows" / "check-msi.sh"), str(bundle), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def test_per_machine_with_a_start_menu_entry_for_the_gui_program(msi: Path) -> None:
    properties = dict((row[0], row[1]) for row in table(msi, "Property") if len(row) >= 2)
    assert properties["ALLUSERS"] == "1"
    assert properties["ProductName"] == "Wegwijs"
    directories = {row[0]: row for row in table(msi, "Directory")}
    assert "ProgramFiles64Folder" in directories and "ProgramMenuFolder" in directories
    shortcuts = table(msi, "Shortcut")
    assert len(shortcuts) == 1
    shortcut = shortcuts[0]
    assert shortcut[1] == "ProgramMenuFolder" and "Wegwijs" in shortcut[2]
    assert shortcut[4] == "[INSTALLFOLDER]wegwijs-gui.exe"
    files = {row[2].split("|")[-1] for row in table(msi, "File")}
    assert {"wegwijs.exe", "wegwijs-gui.exe", "languages.json"} <= files


def test_an_upgrade_replaces_older_versions_and_a_downgrade_is_refused(msi: Path) -> None:
    upgrade_code = dict((row[0], row[1]) for row in table(msi, "Property"))["UpgradeCode"]
    rows = table(msi, "Upgrade")
    assert {row[0] for row in rows} == {upgrade_code}
    assert {row[-1] for row in rows} == {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"}
    actions = {row[0] for row in table(msi, "InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts"} <= actions


def test_nothing_in_the_package_removes_profiles_or_the_policy(msi: Path) -> None:
    # Uninstall removes the package's own files; RemoveFile/custom actions could reach further.
    for name in ("RemoveFile", "CustomAction"):
        assert table(msi, name) == [], name
    directories = " ".join("\t".join(row) for row in table(msi, "Directory"))
    assert "LocalAppData" not in directories and "CommonAppData" not in directories
