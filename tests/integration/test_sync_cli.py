"""The keys / sync / import commands of shared/CLI.md, run through the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sync_helpers import Pair, add_client

from app.cli import main
from app.services.profile import open_profile


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_keys_push_status_import(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    km, sup, share = str(tmp_path / "km"), str(tmp_path / "sup"), tmp_path / "share"
    share.mkdir()
    assert (
        run(capsys, "--data-dir", km, "init", "--role", "klantmanager", "--municipality", "Utrecht")[0] == 0
    )
    assert run(capsys, "--data-dir", sup, "init", "--role", "supervisor", "--municipality", "Utrecht")[0] == 0

    code, out, _ = run(
        capsys, "--data-dir", sup, "keys", "export-public", "--out", str(tmp_path / "sup.json")
    )
    assert code == 0
    sup_fingerprint = re.search(r"(\d{5}(?: \d{5}){7})", out)
    assert sup_fingerprint
    code, out, _ = run(capsys, "--data-dir", km, "keys", "trust-supervisor", str(tmp_path / "sup.json"))
    assert code == 0 and sup_fingerprint.group(1) in out
    # The wrong side refuses in one Dutch sentence.
    code, _, err = run(capsys, "--data-dir", sup, "keys", "trust-supervisor", str(tmp_path / "sup.json"))
    assert code == 1 and "klantmanager" in err
    assert run(capsys, "--data-dir", km, "keys", "export-public", "--out", str(tmp_path / "km.json"))[0] == 0
    code, out, _ = run(capsys, "--data-dir", sup, "keys", "register-device", str(tmp_path / "km.json"))
    assert code == 0 and "geregistreerd" in out
    code, out, _ = run(capsys, "--data-dir", km, "keys", "show")
    assert code == 0 and sup_fingerprint.group(1) in out

    profile = open_profile(Path(km))
    add_client(profile, "1234567890", "Haddad")
    profile.close()
    code, out, _ = run(capsys, "--data-dir", km, "sync", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["pending_changes"] == 3 and status["last_push"] is None

    code, out, err = run(capsys, "--data-dir", km, "sync", "push", "--target", str(tmp_path / "missing"))
    assert code == 1 and "niet bereikbaar" in err
    code, out, _ = run(capsys, "--data-dir", km, "sync", "push", "--target", str(share))
    assert code == 0 and "verstuurd" in out

    (share / "inbox" / "notities.txt").write_text("boodschappen")
    code, out, err = run(capsys, "--data-dir", sup, "import", str(share), "--json")
    document = json.loads(out)
    assert code == 1 and "quarantaine" in err
    statuses = sorted((p["status"], p["reason"]) for p in document["packages"])
    assert statuses == [("imported", None), ("refused", "not_a_package")]
    code, out, _ = run(capsys, "--data-dir", sup, "import", str(share))
    assert code == 0 and out == ""  # the inbox was emptied; nothing left to import

    code, out, _ = run(capsys, "--data-dir", km, "sync", "push")
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", km, "sync", "status")
    assert code == 0 and "Wachtende wijzigingen: 0" in out and sup_fingerprint.group(1) in out
    code, out, _ = run(capsys, "--data-dir", sup, "sync", "status")
    assert code == 0 and "Geïmporteerde pakketten: 1" in out
    code, out, _ = run(capsys, "--data-dir", km, "sync", "status", "--json")
    status = json.loads(out)
    assert status["pending_packages"] == 0 and status["last_receipt"] is not None


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["keys"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["import"])
    assert caught.value.code == 2


def test_import_names_a_refusal_in_dutch_and_keeps_the_code_for_json(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = pair.folder / "los"
    folder.mkdir()
    (folder / "notities.txt").write_text("boodschappen")
    code, out, _ = run(capsys, "--data-dir", str(pair.supervisor.data_dir), "import", str(folder))
    assert code == 1
    line = out.strip()
    assert line.startswith("notities.txt: geweigerd (") and line.endswith(")")
    assert "not_a_package" not in line  # the English code is for --json only
    (folder / "notities.txt").write_text("boodschappen")  # it went to quarantine: once more
    code, out, _ = run(capsys, "--data-dir", str(pair.supervisor.data_dir), "import", str(folder), "--json")
    [package] = json.loads(out)["packages"]
    assert (package["status"], package["reason"]) == ("refused", "not_a_package")
    assert package["message"] and package["message"] in line
