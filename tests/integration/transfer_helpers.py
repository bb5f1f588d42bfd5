"""The two sides of a verhuizing for the transfer tests: a klantmanager in Utrecht with two clients
whose PIP is adopted, and the supervisors of Amersfoort and Zwolle (their public keys exported)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import add_client_with_case

from app.cli import main
from app.domain.pip_lifecycle import PipState
from app.models.intake import Intake
from app.models.pip import Pip, PipVersion
from app.services.profile import Profile, open_profile

V_NUMMER = "4400000001"
FIRST_ADOPTION = dt.date(2025, 2, 28)  # term 2025-03-01 ... 2028-02-29 (DOMAIN.md)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def add_adopted_client(profile: Profile, v_nummer: str = V_NUMMER) -> None:
    """A client with a concluded intake and an adopted B1 PIP (first adoption 28 February 2025)."""
    with profile.store().session(actor="km.jansen", role="klantmanager") as session:
        client = add_client_with_case(
            session, v_nummer, huisvestingsdatum=dt.date(2024, 12, 20), melddatum=dt.date(2024, 11, 1)
        )
        session.add(
            Intake(
                client_id=client.id,
                form_id="brede_intake",
                form_version=1,
                status="afgerond",
                started_on=dt.date(2025, 1, 6),
                cesuur=28,
                answers={"werkervaring": {"value": "kapper", "form_version": 1, "saved_at": "2025-01-06"}},
                chosen_route="b1",
            )
        )
        pip = Pip(client_id=client.id, first_adopted_on=FIRST_ADOPTION, current_route="b1", in_force_number=1)
        pip.current_state = PipState.VASTGESTELD.value
        session.add(pip)
        session.add(
            PipVersion(
                pip=pip,
                number=1,
                state=PipState.VASTGESTELD.value,
                leerroute="b1",
                learnability_score=33,
                texts={"einddoel": {"nl": "B1 halen en werken als kapper."}},
                adopted_on=FIRST_ADOPTION,
                adopted_by="sup.de.vries",
            )
        )


@pytest.fixture
def sides(tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    km, sup, other = tmp_path / "km", tmp_path / "sup", tmp_path / "zwolle"
    assert (
        run(capsys, "--data-dir", str(km), "init", "--role", "klantmanager", "--municipality", "Utrecht")[0]
        == 0
    )
    assert (
        run(capsys, "--data-dir", str(sup), "init", "--role", "supervisor", "--municipality", "Amersfoort")[0]
        == 0
    )
    assert (
        run(capsys, "--data-dir", str(other), "init", "--role", "supervisor", "--municipality", "Zwolle")[0]
        == 0
    )
    for folder in (sup, other):
        out = tmp_path / f"{folder.name}.json"
        assert run(capsys, "--data-dir", str(folder), "keys", "export-public", "--out", str(out))[0] == 0
    profile = open_profile(km)
    add_adopted_client(profile)
    add_adopted_client(profile, "4400000002")
    profile.close()
    (tmp_path / "uit").mkdir()
    return {"km": km, "sup": sup, "other": other, "root": tmp_path}
