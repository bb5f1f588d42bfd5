"""`wegwijs export --client ID --json` carries the intake answers with their form version."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from builders import FAIL_KEYRING, REPO_ROOT, TEST_PASSPHRASE

from app.domain.enums import Role
from app.models.client import Client
from app.services.intake import IntakeService
from app.services.profile import init_profile

# The CLI as `wegwijs` runs it.
CLI = "from app.cli import main; raise SystemExit(main())"


def test_export_json_includes_intake_answers_and_versions(tmp_path: Path, passphrase_env: str) -> None:
    data_dir = tmp_path / "profiel"
    profile = init_profile(data_dir, Role.KLANTMANAGER, "Utrecht", "km")
    with profile.store().session(actor="test") as session:
        client = Client(v_nummer="2345678901", family_name="Rahimi", given_names="Zahra", name_original="زهرا رحیمی",
                        birth_date="1999-01", languages=["fa"], target_group="asiel")  # fmt: skip
        session.add(client)
        session.flush()
        client_id = client.id
    service = IntakeService(profile.store(), "km", Role.KLANTMANAGER)
    intake_id = service.open(client_id, dt.date(2026, 11, 1)).id
    service.save_answer(intake_id, "naam_origineel", "زهرا رحیمی")
    service.save_answer(intake_id, "toets_score", "4O")  # invalid answers are exported as typed too
    service.save_answer(intake_id, "andere_talen", ["en", "fa_AF"])
    profile.close()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHON_KEYRING_BACKEND=FAIL_KEYRING,
               WEGWIJS_PASSPHRASE=TEST_PASSPHRASE)  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", CLI, "--data-dir", str(data_dir), "export", "--client", "2345678901", "--json"],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    [intake] = document["intakes"]
    assert (
        intake["id"] == str(intake_id)
        and intake["formulier"] == "brede_intake"
        and intake["formulierversie"] == 1
    )
    answers = intake["antwoorden"]
    assert answers["naam_origineel"]["antwoord"] == "زهرا رحیمی"
    assert answers["toets_score"] == {**answers["toets_score"], "antwoord": "4O", "formulierversie": 1}
    assert answers["andere_talen"]["weergave"] == "Engels, Dari"
    assert intake["cesuur_leerbaarheidstoets"] == 28
