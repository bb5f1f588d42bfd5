"""`review list` and `adopt` of shared/CLI.md through the real command line, on a supervisor profile
that imported the signed PIPs of two klantmanagers' devices."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from supervisor_helpers import TODAY, Team, device_id, make_team, push_and_import, signed_pip

from app.cli import main
from app.models.journal import AuditEntry
from app.models.pip import Pip, PipVersion
from app.models.supervisor import SupervisorDecision

DAY = dt.timedelta(days=1)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def team(tmp_path: Path, passphrase_env: str) -> Iterator[Team]:
    made = make_team(tmp_path)
    yield made
    made.close()


def two_signed(team: Team) -> tuple[str, str]:
    """Karin's client housed 12 weeks ago (its 10 weeks passed 14 days ago), signed 20 days ago;
    Kees's housed 4 weeks ago, signed 3 days ago."""
    signed_pip(team.karin, "1000000001", "Haddad", TODAY - 84 * DAY, TODAY - 30 * DAY, TODAY - 20 * DAY)
    signed_pip(team.kees, "1000000002", "Tesfay", TODAY - 28 * DAY, TODAY - 10 * DAY, TODAY - 3 * DAY)
    assert push_and_import(team) == ["imported", "imported"]
    team.supervisor.close()  # the command line opens the profile itself
    return "1000000001", "1000000002"


def test_review_list_shows_the_signed_pips_oldest_first_per_klantmanager(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    late, on_time = two_signed(team)
    sup = str(team.supervisor.data_dir)
    code, out, err = run(capsys, "--data-dir", sup, "review", "list", "--json")
    assert code == 0 and err == ""
    document = json.loads(out)
    assert [p["v_nummer"] for p in document["vast_te_stellen"]] == [late, on_time]
    first, second = document["vast_te_stellen"]
    assert first["klantmanager"] == "Karin" and first["apparaat"] == device_id(team.karin)
    assert first["termijn"] == (TODAY - 14 * DAY).isoformat() and first["dagen_over"] == -14
    assert first["te_laat"] and first["omschrijving"] == "14 dagen te laat"
    assert second["klantmanager"] == "Kees" and second["dagen_over"] == 42 and not second["te_laat"]
    assert first["ondertekend_op"] == (TODAY - 20 * DAY).isoformat()
    assert [g["klantmanager"] for g in document["per_klantmanager"]] == ["Karin", "Kees"]
    assert document["conflicten"] == []

    code, out, _ = run(capsys, "--data-dir", sup, "review", "list")
    assert code == 0
    assert "Klantmanager Karin:" in out and "14 dagen te laat" in out and "nog 42 dagen" in out
    assert out.index("Haddad") < out.index("Tesfay")


def test_adopt_on_a_day_of_decision_with_four_eyes(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late, on_time = two_signed(team)
    sup = str(team.supervisor.data_dir)
    # Not in the future, not before the signatures (signed 20 days ago).
    code, out, err = run(
        capsys, "--data-dir", sup, "adopt", "--client", late, "--on", (TODAY + DAY).isoformat()
    )
    assert code == 1 and out == "" and "toekomst" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys, "--data-dir", sup, "adopt", "--client", late, "--on", (TODAY - 21 * DAY).isoformat()
    )
    assert code == 1 and "vóór de laatste handtekening" in err
    with pytest.raises(SystemExit) as usage:
        run(capsys, "--data-dir", sup, "adopt", "--client", late, "--on", "gisteren")
    assert usage.value.code == 2 and "geen datum" in capsys.readouterr().err
    code, _, err = run(capsys, "--data-dir", sup, "adopt", "--client", "9999999999")
    assert code == 1 and "Er is geen cliënt" in err

    decided = TODAY - 7 * DAY
    code, out, err = run(capsys, "--data-dir", sup, "adopt", "--client", late, "--on", decided.isoformat())
    assert code == 0, err
    assert f"vastgesteld op {decided.isoformat()}" in out
    assert f"begint op {(decided + DAY).isoformat()}" in out and "7 dagen na de termijn" in out
    code, _, err = run(capsys, "--data-dir", sup, "adopt", "--client", late)
    assert code == 1 and "al vastgesteld" in err

    from app.services.profile import open_profile

    profile = open_profile(Path(sup))
    try:
        with profile.store().session() as session:
            version = session.scalars(select(PipVersion).where(PipVersion.adopted_by == "Sam")).one()
            assert version.state == "vastgesteld" and version.adopted_on == decided
            pip = session.get(Pip, version.pip_id)
            assert pip is not None and pip.first_adopted_on == decided and pip.in_force_number == 1
            decision = session.scalars(select(SupervisorDecision)).one()
            assert (decision.kind, decision.days_over_deadline) == ("vastgesteld", 7)
            assert decision.device_id == device_id(team.karin)
            audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "vastgesteld")).one()
            assert audit.detail == f"versie:1;datum:{decided.isoformat()};dagen_te_laat:7"
            assert "Haddad" not in audit.detail and late not in audit.detail
    finally:
        profile.close()

    # A supervisor profile of someone who drafted the PIP: four-eyes refuses, nothing changes.
    from supervisor_helpers import make_team as another_team

    other = another_team(tmp_path / "zelf", supervisor_name="Kees")
    try:
        signed_pip(other.kees, "1000000003", "Ahmadi", TODAY - 10 * DAY, TODAY - 5 * DAY, TODAY - 2 * DAY)
        assert push_and_import(other, other.kees) == ["imported"]
        other.supervisor.close()
        code, out, err = run(
            capsys, "--data-dir", str(other.supervisor.data_dir), "adopt", "--client", "1000000003"
        )
        assert code == 1 and out == "" and "vier-ogenprincipe" in err
    finally:
        other.close()


def test_refusals_for_the_wrong_role_a_draft_and_a_missing_part(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    late, on_time = two_signed(team)
    karin = str(team.karin.data_dir)
    team.karin.close()
    code, _, err = run(capsys, "--data-dir", karin, "review", "list")
    assert code == 1 and "supervisor" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", karin, "adopt", "--client", late)
    assert code == 1 and "Alleen een supervisor" in err

    from app.services.profile import open_profile

    sup = str(team.supervisor.data_dir)
    profile = open_profile(Path(sup))
    try:
        # A signed version whose taalschool is empty (a device on older rules): refused, with the part.
        with profile.store().session(actor="test") as session:
            version = session.scalars(select(PipVersion).where(PipVersion.created_by == "Kees")).one()
            version.taalschool = ""
    finally:
        profile.close()
    code, _, err = run(capsys, "--data-dir", sup, "adopt", "--client", on_time)
    assert code == 1 and "nog niet compleet" in err and "taalschool" in err
