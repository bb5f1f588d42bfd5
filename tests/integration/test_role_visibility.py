"""Issue 14, "who may see what": every service read cut to the form's visibility policy.

One client has an answer in every field the interpreter may not see (health, finance, ZRM, BSN), a
BSN, a benefit, a PIP with ontzorgen and a health reason in the route advice. Each service is then
called as the klantmanager (the control: the secrets are there) and as the interpreter (none of
them comes out): the detail pane, the right-of-access export (service and `wegwijs export`), the
caseload and what its search looks in, the intake view and its advice, the PIP, the printed PDF and
the translation review.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from builders import FAIL_KEYRING, REPO_ROOT, TEST_PASSPHRASE, add_client_with_case, draft_pip_with

from app.domain.enums import Role
from app.forms import FieldType, default_registry
from app.models.intake import Intake, IntakeSession, IntakeStatus
from app.services.caseload import CaseloadService, caseload_row_json
from app.services.clients import ClientService
from app.services.intake import IntakeService
from app.services.intake.export import readable_intake
from app.services.pip import DocumentService, PipService
from app.services.profile import Profile
from app.services.review import TranslationReviewService
from app.services.visibility import visibility_for

TODAY = dt.date(2025, 6, 2)
V_NUMMER = "2345678901"
BSN = "111222333"
HEALTH_REASON = "Er zijn lichamelijke of psychische klachten die het leren beïnvloeden."
JUSTIFICATION = "B1 past beter bij haar opleiding"  # for the PIP: the interpreter translates it
NOTES = "GEHEIM-notitie: schulden bij de zorgverzekeraar"
CLI = "from app.cli import main; raise SystemExit(main())"


def _value(item: Any) -> Any:
    """A valid answer for a field, recognisable where it is text."""
    if item.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return f"GEHEIM-{item.id}"
    if item.type is FieldType.YES_NO:
        return True
    if item.type in (FieldType.SCALE, FieldType.NUMBER):
        return int(item.minimum or 1) + 1
    if item.type is FieldType.CHOICE:
        return item.options[0].value
    if item.type is FieldType.MULTI_CHOICE:
        return [item.options[0].value]
    return None


def _hidden_answers() -> dict[str, Any]:
    hidden = visibility_for(Role.INTERPRETER).hidden_fields
    definition = default_registry().latest()
    answers = {}
    for item in definition.fields():
        if item.id in hidden and item.id != "bsn":
            answers[item.id] = {
                "value": _value(item),
                "form_version": 1,
                "saved_at": "2025-03-01T10:00:00+00:00",
            }
    answers["naam_latijns"] = {"value": "Rania Haddad", "form_version": 1}
    return answers


def _make_client(profile: Profile) -> uuid.UUID:
    with profile.store().session() as session:
        client = add_client_with_case(session, V_NUMMER, klantmanager="km.jansen", coa_location="AZC Zeist",
                                      benefit="bijstand", benefit_start=dt.date(2025, 1, 6))  # fmt: skip
        client.bsn = BSN
        intake = Intake(client_id=client.id, form_id="brede_intake", form_version=1,
                        status=IntakeStatus.CONCLUDED.value, started_on=dt.date(2024, 12, 2),
                        concluded_on=dt.date(2025, 2, 10), cesuur=28, answers=_hidden_answers(),
                        advised_route="z", chosen_route="b1", advice_reasons=[HEALTH_REASON],
                        route_justification=JUSTIFICATION, privacy_explained=True)  # fmt: skip
        session.add(intake)
        session.flush()
        session.add(IntakeSession(intake_id=intake.id, held_on=dt.date(2025, 1, 10), place="gemeentehuis",
                                  participants=["inburgeraar"], interpreter_kind="geen", notes=NOTES))  # fmt: skip
        client_id = client.id
    draft_pip_with(profile, client_id, {"leerroute": "b1", "ontzorgen": True, "period_months": 30,
                                        "ontzorgen_costs": ["huur", "energie"]}, TODAY)  # fmt: skip
    return client_id


def _secrets() -> list[str]:
    texts = [BSN, NOTES, HEALTH_REASON[:40], "bijstand"]
    texts += [f"GEHEIM-{field_id}" for field_id in visibility_for(Role.INTERPRETER).hidden_fields]
    return texts


def _hidden_keys() -> list[str]:
    keys = set(visibility_for(Role.INTERPRETER).hidden_fields) | {"ontzorgen_costs", "ontzorgen_start"}
    return [f'"{key}"' for key in sorted(keys)]


def _everything(profile: Profile, client_id: uuid.UUID, out: Path) -> dict[str, str]:
    """Every read, as text: what each service hands to whoever asked (role from the profile)."""
    role = profile.role
    seen: dict[str, str] = {}
    clients = ClientService.for_profile(profile)
    seen["detail"] = repr(clients.detail(client_id, TODAY))
    seen["export"] = json.dumps(clients.export(V_NUMMER), ensure_ascii=False, default=str)
    rows = CaseloadService.for_profile(profile).rows(TODAY)
    seen["caseload"] = repr(rows) + json.dumps([caseload_row_json(r) for r in rows], ensure_ascii=False)
    intakes = IntakeService(profile.store(), profile.actor, role)
    with profile.store().session() as session:
        intake_id = session.query(Intake.id).filter(Intake.client_id == client_id).scalar()
    snap = intakes.reload(intake_id)
    seen["intake"] = repr(snap.answers) + repr(snap.sessions) + repr(snap.route_justification)
    seen["intake readable"] = repr(readable_intake(snap, "nl", today=TODAY))
    seen["advice"] = repr(intakes.advice(intake_id, TODAY))
    pips = PipService.for_profile(profile)
    current = pips.current(client_id, TODAY)
    assert current is not None
    seen["pip"] = json.dumps(asdict(current), ensure_ascii=False, default=str)
    documents = DocumentService.for_profile(profile)
    job = documents.prepare(client_id, "nl")
    seen["pdf document"] = repr(job.document)
    outcome = documents.render(job, out)
    raw = subprocess.run(
        ["pdftotext", str(outcome.paths[0]), "-"], capture_output=True, text=True, check=True
    )
    seen["pdf"] = unicodedata.normalize("NFKC", raw.stdout)
    review = TranslationReviewService.for_profile(profile, role)
    seen["review"] = repr(review.review_set(client_id))
    return seen


def test_interpreter_gets_nothing_the_form_hides(profile: Profile, tmp_path: Path) -> None:
    client_id = _make_client(profile)
    as_klantmanager = _everything(profile, client_id, tmp_path / "km")
    # The control: the klantmanager does see the secrets, so their absence below means something.
    assert BSN in as_klantmanager["export"] and NOTES in as_klantmanager["export"]
    assert "GEHEIM-gezondheid_toelichting" in as_klantmanager["export"]
    assert HEALTH_REASON in as_klantmanager["advice"] + as_klantmanager["export"]
    assert BSN in as_klantmanager["pdf"] and "Ontzorgen" in as_klantmanager["pdf"]
    assert '"ontzorgen"' in as_klantmanager["export"]

    profile.settings.role = Role.INTERPRETER.value  # the role every service reads from the profile
    as_interpreter = _everything(profile, client_id, tmp_path / "tolk")
    for where, text in as_interpreter.items():
        for secret in _secrets():
            assert secret not in text, f"{where} shows {secret!r} to the interpreter"
        for key in _hidden_keys() if where != "pip" else ():  # the PIP's keys stay, blanked (below)
            assert key not in text, f"{where} shows the field {key} to the interpreter"
    assert "Ontzorgen" not in as_interpreter["pdf"]
    pip = PipService.for_profile(profile).current(client_id, TODAY)
    assert pip is not None and pip.values["ontzorgen"] is False and pip.values["ontzorgen_costs"] == []
    assert pip.values["ontzorgen_start"] is None and pip.advice_explanation == ""
    assert "Rania Haddad" in as_interpreter["export"]  # what the interpreter may see is still there
    assert "weggelaten" in as_interpreter["export"]
    assert not any(row.flags.ontzorgen_ending for row in CaseloadService.for_profile(profile).rows(TODAY))


def test_export_command_in_the_interpreter_role_prints_no_health_or_finance(
    profile: Profile, tmp_path: Path
) -> None:
    _make_client(profile)
    profile.settings.role = Role.INTERPRETER.value
    profile.save_settings()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHON_KEYRING_BACKEND=FAIL_KEYRING,
               WEGWIJS_PASSPHRASE=TEST_PASSPHRASE)  # fmt: skip
    for extra in (["--json"], []):
        result = subprocess.run(
            [sys.executable, "-c", CLI, "--data-dir", str(profile.data_dir), "export", "--client", V_NUMMER, *extra],
            capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Haddad" in result.stdout
        for secret in _secrets():
            assert secret not in result.stdout
        for field_id in visibility_for(Role.INTERPRETER).hidden_fields:
            assert f"GEHEIM-{field_id}" not in result.stdout
