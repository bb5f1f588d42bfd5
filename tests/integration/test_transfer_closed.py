"""A moved client's case is closed for everyone in the old municipality (issue 13): the klantmanager's
and the supervisor's changes are refused with the one sentence of `refuse_if_moved`; reading and the
inzage export stay possible. A package the device made before the closure that arrives after it is
taken into the record (docs/verhuizing.md), and the case stays closed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import MakeProfile
from supervisor_helpers import TODAY, Team, device_id, make_team, signed_pip

from app.cli import main
from app.domain.enums import Role
from app.models.client import Case
from app.models.intake import Intake
from app.services.client_records import CaseClosed
from app.services.intake import IntakeService
from app.services.pip import PipService
from app.services.pip.progress import ProgressService
from app.services.profile import init_profile
from app.services.review import TranslationReviewService
from app.services.supervisor import SupervisorService
from app.services.sync import PushService, SupervisorImportService, SyncKeysService
from app.services.transfer.send import TransferService

V_NUMMER = "4400000031"
CLOSED = "verhuisd naar Amersfoort op"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def push_aside(team: Team, folder: Path) -> None:
    """Karin pushes; her package is put aside in `folder` instead of reaching the supervisor."""
    PushService.for_profile(team.karin).push(str(team.target))
    folder.mkdir()
    for package in team.target.iterdir():
        shutil.move(package, folder / package.name)


@pytest.fixture
def team(tmp_path: Path, passphrase_env: str) -> Iterator[Team]:
    team = make_team(tmp_path)
    yield team
    team.close()


def test_a_moved_case_is_closed_for_the_klantmanager_and_the_supervisor(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drafted = TODAY - dt.timedelta(days=20)
    client_id = signed_pip(team.karin, V_NUMMER, "Amrani", TODAY - dt.timedelta(days=30), drafted, drafted)
    PushService.for_profile(team.karin).push(str(team.target))
    SupervisorImportService.for_profile(team.supervisor).import_paths([team.target])
    assert [p.v_nummer for p in SupervisorService.for_profile(team.supervisor).queue().pips] == [V_NUMMER]

    # Before the closure Karin starts an intake; that package is late: it reaches the supervisor last.
    intakes = IntakeService.for_profile(team.karin)
    intake_id = intakes.open(client_id).id
    intakes.save_answer(intake_id, "werkervaring", "kapper")
    push_aside(team, tmp_path / "laat")

    amersfoort = init_profile(tmp_path / "amf", Role.SUPERVISOR, "Amersfoort", "Anne")
    SyncKeysService.for_profile(amersfoort).export_public(tmp_path / "amf.json")
    amersfoort.close()
    TransferService.for_profile(team.karin).transfer(V_NUMMER, tmp_path / "amf.json", tmp_path / "v.wgw")
    PushService.for_profile(team.karin).push(str(team.target))
    SupervisorImportService.for_profile(team.supervisor).import_paths([team.target])
    outcomes = SupervisorImportService.for_profile(team.supervisor).import_paths([tmp_path / "laat"])
    # The later package carried the intake too (a push sends all a device has not had confirmed).
    assert [o.status for o in outcomes.outcomes] == ["duplicate"]
    with team.supervisor.store().session() as session:
        case = session.query(Case).filter(Case.client_id == client_id).one()
        assert case.moved_to == "Amersfoort" and case.moved_on == TODAY
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.answers["werkervaring"]["value"] == "kapper"

    # The supervisor: every decision on the client is refused with the one sentence.
    sup = str(tmp_path / "sup")
    code, _out, err = run(capsys, "--data-dir", sup, "adopt", "--client", V_NUMMER)
    assert code == 1 and CLOSED in err and err.count("\n") == 1
    supervisor = SupervisorService.for_profile(team.supervisor)
    # The signed PIP no longer waits for adoption here: the new municipality adopts one of its own.
    assert [p.v_nummer for p in supervisor.queue().pips] == []
    decisions = [
        lambda: supervisor.send_back(V_NUMMER, "Het einddoel is te vaag."),
        lambda: supervisor.withdraw(V_NUMMER, "Verhuisd."),
        lambda: supervisor.reassign(V_NUMMER, device_id(team.kees)),
    ]
    pips = PipService.for_profile(team.supervisor)
    decisions += [
        lambda: pips.register_extension(client_id, 6, 0, "ziekte"),
        lambda: pips.record_exemption(client_id, "agi", TODAY, ["rekenen"]),
        lambda: pips.record_objection(client_id, TODAY, TODAY),
        lambda: pips.record_appeal_ruling(client_id, 0, "gegrond", TODAY),  # type: ignore[arg-type]
    ]
    progress = ProgressService.for_profile(team.karin)
    decisions += [
        lambda: progress.record_meeting(client_id, TODAY),
        lambda: PipService.for_profile(team.karin).record_meeting(client_id, TODAY),
    ]
    for decide in decisions:
        with pytest.raises(CaseClosed, match=CLOSED):
            decide()

    # Karin's own intake of the client is closed as well: the autosave is refused, the answer stays.
    with pytest.raises(CaseClosed, match=CLOSED):
        intakes.save_answer(intake_id, "werkervaring", "bakker")
    assert intakes.reload(intake_id).answers["werkervaring"] == "kapper"

    # Reading and the inzage export stay possible.
    code, out, err = run(capsys, "--data-dir", sup, "export", "--client", V_NUMMER, "--json")
    assert code == 0, err
    assert json.loads(out)["zaak"]["gemeente"] == "Utrecht"
    code, out, err = run(capsys, "--data-dir", sup, "list", "--json")
    assert code == 0 and V_NUMMER in out


def test_translations_of_a_moved_client_are_no_longer_approved(
    make_profile: MakeProfile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from review_helpers import GOAL_AR, TOLK, add_client_with_pip, item

    profile = make_profile()
    client_id = add_client_with_pip(profile, v_nummer=V_NUMMER)
    amersfoort = make_profile(Role.SUPERVISOR, "Amersfoort", "Anne", folder="amf")
    SyncKeysService.for_profile(amersfoort).export_public(tmp_path / "amf.json")
    TransferService.for_profile(profile).transfer(V_NUMMER, tmp_path / "amf.json", tmp_path / "v.wgw")
    reviews = TranslationReviewService.for_profile(profile, Role.INTERPRETER)
    review_set = reviews.review_set(client_id)  # reading stays possible
    with pytest.raises(CaseClosed, match=CLOSED):
        reviews.approve(review_set, item(review_set, "pip:einddoel"), (GOAL_AR,), TOLK)
    # Erasing (AVG) stays possible for a closed case.
    data_dir = str(profile.data_dir)
    code, _out, err = run(
        capsys, "--data-dir", data_dir, "erase", "--client", V_NUMMER, "--reason", "verzoek"
    )
    assert code == 0, err
    assert run(capsys, "--data-dir", data_dir, "export", "--client", V_NUMMER, "--json")[0] == 1


def test_a_coa_list_no_longer_changes_a_moved_client(
    make_profile: MakeProfile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "v_nummer;achternaam;voornamen;geboortedatum;doelgroep;coa_locatie;koppeldatum"
    first = f"{V_NUMMER};Haddad;Rania;1990-05-12;asiel;AZC Utrecht;2026-01-15"
    other = "4400000032;Amrani;Youssef;1988-02-01;asiel;AZC Utrecht;2026-01-15"
    profile = make_profile()
    data_dir = str(profile.data_dir)
    coa = tmp_path / "coa.csv"
    coa.write_text(f"{header}\n{first}\n", encoding="utf-8")
    assert run(capsys, "--data-dir", data_dir, "import-coa", str(coa))[0] == 0
    amersfoort = make_profile(Role.SUPERVISOR, "Amersfoort", "Anne", folder="amf")
    SyncKeysService.for_profile(amersfoort).export_public(tmp_path / "amf.json")
    TransferService.for_profile(profile).transfer(V_NUMMER, tmp_path / "amf.json", tmp_path / "v.wgw")

    # The same list again changes nothing and is no refusal; a changed row is refused, the rest goes on.
    code, out, err = run(capsys, "--data-dir", data_dir, "import-coa", str(coa))
    assert code == 0 and "1 ongewijzigd" in out, err
    coa.write_text(f"{header}\n{first.replace('AZC Utrecht', 'AZC Zeist')}\n{other}\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", data_dir, "import-coa", str(coa))
    assert "1 toegevoegd" in out and "1 geweigerd" in out and CLOSED in out + err
    with profile.store().session() as session:
        case = session.query(Case).join(Case.client).filter_by(v_nummer=V_NUMMER).one()
        assert case.coa_location == "AZC Utrecht" and case.moved_to == "Amersfoort"
