"""Verhuizing (issue 13) through the real command line and stores: a klantmanager in Utrecht hands
one client over to the supervisor of Amersfoort, who imports it as a new case. The new deadline
counts 10 weeks from the import, the term stays, the route is kept in a concept PIP v1; the case in
Utrecht is closed; a duplicate, a hand-over for someone else, a tampered one and something that is
no hand-over are refused or recognised, each on its own."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from transfer_helpers import FIRST_ADOPTION, V_NUMMER, add_adopted_client, run, sides  # noqa: F401

from app.domain.enums import Role
from app.models.client import Case
from app.models.intake import Intake
from app.services.caseload import CaseloadService
from app.services.client_records import CaseClosed
from app.services.clients import ClientService
from app.services.intake import IntakeService
from app.services.pip import PipService
from app.services.profile import init_profile, open_profile
from app.services.sync import SyncKeysService
from app.services.sync.keys import device_keys
from app.services.transfer.receive import TransferOutcome, receive_transfer
from app.services.transfer.send import TransferRefused, TransferService
from app.sync.envelope import seal_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import read_public_keys


def test_a_client_moves_to_another_municipality(
    sides: dict[str, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    km, sup, root = str(sides["km"]), str(sides["sup"]), sides["root"]
    handover = root / "uit" / "verhuizing.wgw"
    code, out, err = run(
        capsys,
        "--data-dir",
        km,
        "transfer",
        "--client",
        V_NUMMER,
        "--to-key",
        str(root / "sup.json"),
        "--out",
        str(handover),
    )
    assert code == 0, err
    summary = handover.with_suffix(".pdf")
    assert str(handover) in out and str(summary) in out and "Amersfoort" in out
    for path in (handover, summary):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = extract_text(str(summary))
    assert "Overdracht bij verhuizing" in text and "Amersfoort" in text and "B1" in text
    assert "01-03-2025" in text and "29-02-2028" in text  # the term, unchanged

    # Utrecht: the case is closed; the caseload says so and shows no deadline; edits are refused.
    profile = open_profile(Path(km))
    try:
        rows = {row.v_nummer: row for row in CaseloadService.for_profile(profile).rows()}
        moved = rows[V_NUMMER]
        assert moved.status.startswith("verhuisd naar Amersfoort op ") and moved.next_deadline is None
        assert rows["4400000002"].next_deadline is not None
        detail = ClientService.for_profile(profile).detail(moved.client_id)
        assert detail.deadlines == [] and "verhuisd naar Amersfoort" in detail.deadline_notes[0]
        with pytest.raises(CaseClosed, match="verhuisd naar Amersfoort"):
            PipService.for_profile(profile).new_version(moved.client_id, reason="verhuizing")  # type: ignore[arg-type]
        with profile.store().session() as session:
            intake_id = session.query(Intake.id).filter(Intake.client_id == moved.client_id).scalar()
        with pytest.raises(CaseClosed, match="gesloten"):
            IntakeService.for_profile(profile).save_answer(intake_id, "werkervaring", "bakker")
        # Reading stays possible: the intake opens, but no new one is started for a closed case.
        assert IntakeService.for_profile(profile).open(moved.client_id).id == intake_id
    finally:
        profile.close()
    code, _, err = run(
        capsys,
        "--data-dir",
        km,
        "transfer",
        "--client",
        V_NUMMER,
        "--to-key",
        str(root / "sup.json"),
        "--out",
        str(root / "uit" / "nog.wgw"),
    )
    assert code == 1 and "verhuisd naar Amersfoort" in err and err.count("\n") == 1

    # Amersfoort: a new case; a file for Zwolle, a tampered copy and a PDF are refused, the rest goes on.
    tampered = root / "uit" / "veranderd.wgw"
    data = bytearray(handover.read_bytes())
    data[-70] ^= 1
    tampered.write_bytes(bytes(data))
    code, out, err = run(capsys, "--data-dir", sup, "import", str(tampered), str(summary), str(handover))
    assert code == 1
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert (
        lines["verhuizing.wgw"].startswith("geïmporteerd")
        and "verhuizing uit Utrecht" in lines["verhuizing.wgw"]
    )
    sender = SyncKeysService.for_profile(open_profile(Path(km))).show().fingerprint
    assert sender in lines["verhuizing.wgw"]
    assert lines["veranderd.wgw"].startswith("geweigerd") and "handtekening" in lines["veranderd.wgw"]
    assert lines["verhuizing.pdf"].startswith("geweigerd")
    code, out, _ = run(capsys, "--data-dir", sup, "import", str(handover), "--json")
    assert code == 0 and json.loads(out)["packages"][0]["status"] == "duplicate"

    code, out, _ = run(capsys, "--data-dir", sup, "list", "--json")
    (client,) = json.loads(out)["cliënten"]
    today = dt.date.today()
    assert (
        client["v_nummer"] == V_NUMMER
        and client["leerroute"] == "B1-route"
        and client["pip_status"] == "concept"
    )
    assert client["volgende_termijn"]["datum"] == (today + dt.timedelta(weeks=10)).isoformat()
    code, out, _ = run(capsys, "--data-dir", sup, "export", "--client", V_NUMMER, "--json")
    export = json.loads(out)
    assert export["zaak"]["gemeente"] == "Amersfoort" and export["zaak"]["verhuisd_van"] == "Utrecht"
    assert export["zaak"]["huisvestingsdatum"] == today.isoformat()
    assert export["pip"]["eerste_vaststelling"] == FIRST_ADOPTION.isoformat()
    (version,) = export["pip"]["versies"]
    assert (
        version["state"] == "concept" and version["reason"] == "verhuizing" and version["leerroute"] == "b1"
    )
    assert version["texts"]["einddoel"]["nl"] == "B1 halen en werken als kapper."
    assert export["intakes"][0]["antwoorden"]["werkervaring"]["antwoord"] == "kapper"


def test_a_hand_over_for_another_supervisor_or_no_hand_over_is_refused(
    sides: dict[str, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    km, root = str(sides["km"]), sides["root"]
    for_zwolle = root / "uit" / "zwolle.wgw"
    # A link in the way is replaced, never followed: the file it points to stays as it was.
    victim = root / "elders.txt"
    victim.write_text("niet overschrijven")
    for_zwolle.symlink_to(victim)
    assert (
        run(
            capsys,
            "--data-dir",
            km,
            "transfer",
            "--client",
            V_NUMMER,
            "--to-key",
            str(root / "zwolle.json"),
            "--out",
            str(for_zwolle),
        )[0]
        == 0
    )
    assert victim.read_text() == "niet overschrijven" and not for_zwolle.is_symlink()
    assert stat.S_IMODE(for_zwolle.stat().st_mode) == 0o600
    code, out, err = run(capsys, "--data-dir", str(sides["sup"]), "import", str(for_zwolle))
    assert code == 1 and "geweigerd" in out and "andere supervisor" in out
    # Its own municipality's key, a klantmanager's key: refused before anything is written.
    assert run(capsys, "--data-dir", km, "keys", "export-public", "--out", str(root / "km.json"))[0] == 0
    code, _, err = run(
        capsys,
        "--data-dir",
        km,
        "transfer",
        "--client",
        "4400000002",
        "--to-key",
        str(root / "km.json"),
        "--out",
        str(root / "uit" / "x.wgw"),
    )
    assert code == 1 and "supervisor" in err and not (root / "uit" / "x.wgw").exists()


def test_the_ten_weeks_count_from_registration_on_29_february_and_31_december(
    tmp_path: Path, passphrase_env: str
) -> None:
    km = init_profile(tmp_path / "km", Role.KLANTMANAGER, "Utrecht", "km.jansen")
    sup = init_profile(tmp_path / "sup", Role.SUPERVISOR, "Amersfoort", "sup.bakker")
    try:
        SyncKeysService.for_profile(sup).export_public(tmp_path / "sup.json")
        add_adopted_client(km, "4400000011")
        add_adopted_client(km, "4400000012")
        service = TransferService.for_profile(km)
        keys = device_keys(sup)
        expected = {
            "4400000011": (dt.date(2028, 2, 29), dt.date(2028, 5, 9)),
            "4400000012": (dt.date(2026, 12, 31), dt.date(2027, 3, 11)),
        }
        for v_nummer, (day, due) in expected.items():
            done = service.transfer(
                v_nummer,
                tmp_path / "sup.json",
                tmp_path / f"{v_nummer}.wgw",
                today=day - dt.timedelta(days=1),
            )
            assert done.moved_on == day - dt.timedelta(days=1)
            result = receive_transfer(
                sup.store(), done.handover.read_bytes(), keys, "Amersfoort", "sup.bakker", day
            )
            assert isinstance(result, TransferOutcome) and result.status == "imported"
            row = next(r for r in CaseloadService.for_profile(sup).rows(day) if r.v_nummer == v_nummer)
            assert row.housing_date == day
            snapshot = PipService.for_profile(sup).current(row.client_id, day)
            assert snapshot is not None
            due_dates = {d.deadline.kind.value: d.deadline.due for d in snapshot.deadlines}
            # 10 weeks from registration here; the term's last day as in Utrecht.
            assert due_dates["pip_vaststellen"] == due
            assert due_dates["einde_termijn"] == dt.date(2028, 2, 29)
        with sup.store().session() as session:
            cases = session.query(Case).filter(Case.moved_from == "Utrecht").count()
        assert cases == 2
        # A signed package naming its sender that is no hand-over, and bytes that are no package.
        sender = device_keys(km)
        other = seal_package(
            {"kind": "iets anders"},
            keys=sender,
            recipient=read_public_keys(tmp_path / "sup.json"),
            sequence=7,
            created_at=dt.datetime.now(dt.UTC),
            sender_key=sender.export_public("klantmanager", "km.jansen", "Utrecht").decode("utf-8"),
        )
        refused = receive_transfer(sup.store(), other, keys, "Amersfoort", "sup.bakker")
        assert isinstance(refused, PackageRefused) and refused.reason is RefusalReason.NOT_A_TRANSFER
        assert "geen verhuisoverdracht" in str(refused)
        garbage = receive_transfer(sup.store(), b"WEGWIJS\x1a", keys, "Amersfoort", "sup.bakker")
        assert isinstance(garbage, PackageRefused) and garbage.reason is RefusalReason.TRUNCATED
        with pytest.raises(TransferRefused, match="eigen gemeente"):
            service.read_recipient(_own_key(tmp_path))
    finally:
        km.close()
        sup.close()


def _own_key(folder: Path) -> Path:
    """A supervisor key of Utrecht itself: a verhuizing needs another municipality."""
    utrecht = init_profile(folder / "utrecht-sup", Role.SUPERVISOR, "Utrecht", "sup.utrecht")
    try:
        SyncKeysService.for_profile(utrecht).export_public(folder / "utrecht.json")
    finally:
        utrecht.close()
    return folder / "utrecht.json"
