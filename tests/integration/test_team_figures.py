"""The team figures on a seeded demo team, checked against the same counts done here, straight from
the records (issue 12): two klantmanagers' devices run `demo`, push, and the supervisor imports; the
figures of the supervisor's store (and of one device's own store) must equal what this module counts
itself from the clients, cases, intakes and PIP versions. The CLI's JSON, CSV and XLSX say the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from store_helpers import load_profile, one_dutch_refusal, run_wegwijs, vault_environment

from app.domain.eligibility import group_is_obliged, is_obliged
from app.domain.enums import Role
from app.models.client import Case, Client
from app.models.intake import Intake
from app.models.pip import Pip, PipVersion
from app.services.clients import ClientService
from app.services.figures import FiguresService, GroupFigures, Period, report_json
from app.services.profile import Profile, init_profile
from app.services.sync import PushService, SupervisorImportService, SyncKeysService

KLANTMANAGERS = ("karin", "piet")
SEEDS = (2, 3)
CLIENTS_EACH = 200
ADOPTED = ("vastgesteld", "vervangen")


@dataclass(frozen=True)
class Team:
    supervisor: Path
    devices: tuple[Path, ...]


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Team:
    """Two klantmanagers' devices with demo clients, pushed to a folder and imported by the supervisor."""
    root = tmp_path_factory.mktemp("team")
    target = root / "share"
    target.mkdir()
    with vault_environment():
        supervisor = init_profile(root / "sup", Role.SUPERVISOR, "Utrecht", "sam")
        SyncKeysService.for_profile(supervisor).export_public(root / "sup.json")
        devices = []
        for name, seed in zip(KLANTMANAGERS, SEEDS, strict=True):
            device = init_profile(root / name, Role.KLANTMANAGER, "Utrecht", name)
            SyncKeysService.for_profile(device).export_public(root / f"{name}.json")
            SyncKeysService.for_profile(device).trust_supervisor(root / "sup.json")
            SyncKeysService.for_profile(supervisor).register_device(root / f"{name}.json")
            ClientService.for_profile(device).add_demo(CLIENTS_EACH, seed)
            assert PushService.for_profile(device).push(str(target)).ok
            devices.append(device)
        summary = SupervisorImportService.for_profile(supervisor).import_paths([target])
        assert summary.outcomes and {o.status for o in summary.outcomes} == {"imported"}
        for profile in (supervisor, *devices):
            profile.close()
    return Team(root / "sup", tuple(root / name for name in KLANTMANAGERS))


@pytest.fixture
def supervisor(team: Team, passphrase_env: str) -> Iterator[Profile]:
    profile = load_profile(team.supervisor)
    yield profile
    profile.close()


# -- the counts, done here from the records -------------------------------------------------------


@dataclass
class Record:
    """One obliged client as this test reads it: no service code involved."""

    klantmanager: str
    koppeldatum: dt.date | None
    housing: dt.date | None
    versions: list[dict[str, Any]]
    intakes: list[Intake]


def _intake_result(intakes: list[Intake]) -> str:
    """The leerbaarheidstoets result from the intake's own answers: haalbaar at 28 of 40 or more
    (31 for a test before 2023), niet haalbaar below, anything else no result."""
    if not intakes:
        return "geen_uitslag"
    intake = max(intakes, key=lambda i: (i.status == "afgerond", i.started_on, i.created_at))
    answers = {key: entry.get("value") for key, entry in (intake.answers or {}).items()}
    if answers.get("toets_afgenomen") is not True or answers.get("toets_uitslag") != "score":
        return "geen_uitslag"
    score = answers.get("toets_score")
    if not str(score or "").isdigit():
        return "geen_uitslag"
    tested = answers.get("toets_datum")
    cut_off = 31 if tested and dt.date.fromisoformat(str(tested)) < dt.date(2023, 1, 1) else 28
    return "haalbaar" if int(str(score)) >= cut_off else "niet_haalbaar"


def read_records(profile: Profile, today: dt.date) -> list[Record]:
    with profile.store().session() as session:
        cases = {case.client_id: case for case in session.scalars(select(Case))}
        pips = {pip.id: pip.client_id for pip in session.scalars(select(Pip))}
        versions: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        for v in session.scalars(select(PipVersion)):
            versions[pips[v.pip_id]].append(
                {
                    "number": v.number,
                    "state": v.state,
                    "reason": v.reason,
                    "route": v.leerroute,
                    "drafted": v.drafted_on or v.created_at.date(),
                    "adopted": v.adopted_on,
                    "afschalen": v.afschalen,
                    "outcome": v.learnability_outcome,
                }
            )
        intakes: dict[uuid.UUID, list[Intake]] = defaultdict(list)
        for intake in session.scalars(select(Intake)):
            intakes[intake.client_id].append(intake)
        records = []
        for client in session.scalars(select(Client)):
            case = cases.get(client.id)
            melddatum = case.melddatum if case else None
            # Who has the duty is the domain's rule (target group, age); the figures are counted here.
            if not (
                group_is_obliged(client.target_group)
                and is_obliged(client.birth_date, today, melddatum=melddatum)
            ):
                continue
            records.append(
                Record(
                    klantmanager=(case.klantmanager or "") if case else "",
                    koppeldatum=case.koppeldatum if case else None,
                    housing=case.huisvestingsdatum if case else None,
                    versions=versions.get(client.id, []),
                    intakes=intakes.get(client.id, []),
                )
            )
        return records


def in_force(record: Record) -> dict[str, Any] | None:
    adopted = [v for v in record.versions if v["state"] == "vastgesteld"]
    return max(adopted, key=lambda v: v["number"]) if adopted else None


def ten_weeks(record: Record, today: dt.date) -> str | None:
    if record.housing is None or record.housing > today:
        return None
    due = record.housing + dt.timedelta(weeks=10)
    adoptions = [v["adopted"] for v in record.versions if v["state"] in ADOPTED and v["adopted"]]
    if in_force(record) is not None and adoptions:
        return "op_tijd" if min(adoptions) <= due else "te_laat"
    return "te_laat" if today > due else "nog_binnen_termijn"


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def expected(records: list[Record], today: dt.date) -> dict[str, Any]:
    table = {
        route: dict.fromkeys(("haalbaar", "niet_haalbaar", "geen_uitslag"), 0)
        for route in ("b1", "onderwijs", "z")
    }
    months: dict[str, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("op_tijd", "te_laat", "nog_binnen_termijn"), 0)
    )
    total = dict.fromkeys(("op_tijd", "te_laat", "nog_binnen_termijn"), 0)
    azc = azc_without = with_pip = started = forced = switched = afschalen = 0
    for record in records:
        version = in_force(record)
        if version is not None:
            forced += 1
            result = version["outcome"] or _intake_result(record.intakes)
            table[version["route"]][
                result if result in ("haalbaar", "niet_haalbaar") else "geen_uitslag"
            ] += 1
            switched += any(v["reason"] == "schakelen" and v["state"] in ADOPTED for v in record.versions)
            afschalen += bool(version["afschalen"])
        state = ten_weeks(record, today)
        if state is not None:
            assert record.housing is not None
            total[state] += 1
            months[record.housing.strftime("%Y-%m")][state] += 1
        if record.housing is None or record.housing > today:
            azc += 1
            azc_without += version is None
        if record.versions:
            with_pip += 1
            first = min(record.versions, key=lambda v: v["number"])
            started += record.housing is None or first["drafted"] < record.housing

    def ten(counts: dict[str, int]) -> dict[str, Any]:
        return {
            **counts,
            "aandeel_op_tijd": percent(counts["op_tijd"], counts["op_tijd"] + counts["te_laat"]),
        }

    return {
        "clienten": len(records),
        "met_pip": with_pip,
        "met_pip_in_werking": forced,
        "leerroute_toets": {
            route: {**cells, "totaal": sum(cells.values())} for route, cells in table.items()
        },
        "binnen_tien_weken": ten(total),
        "binnen_tien_weken_per_maand": [{"maand": month, **ten(months[month])} for month in sorted(months)],
        "azc_zonder_pip": {"aantal": azc_without, "van": azc, "aandeel": percent(azc_without, azc)},
        "pip_gestart_in_azc": {"aantal": started, "van": with_pip, "aandeel": percent(started, with_pip)},
        "schakelen": {"aantal": switched, "van": forced, "aandeel": percent(switched, forced)},
        "afschalen": {"aantal": afschalen, "van": forced, "aandeel": percent(afschalen, forced)},
    }


def as_counts(group: GroupFigures) -> dict[str, Any]:
    """The service's figures in the same shape as `expected`, read attribute by attribute."""

    def ten(counts: Any) -> dict[str, Any]:
        return {"op_tijd": counts.on_time, "te_laat": counts.late, "nog_binnen_termijn": counts.open,
                "aandeel_op_tijd": counts.share.percent}  # fmt: skip

    def share(value: Any) -> dict[str, Any]:
        return {"aantal": value.part, "van": value.whole, "aandeel": value.percent}

    return {
        "clienten": group.clients,
        "met_pip": group.with_pip,
        "met_pip_in_werking": group.with_pip_in_force,
        "leerroute_toets": {
            row.route: {
                "haalbaar": row.haalbaar,
                "niet_haalbaar": row.niet_haalbaar,
                "geen_uitslag": row.geen_uitslag,
                "totaal": row.total,
            }  # fmt: skip
            for row in group.route_test
        },
        "binnen_tien_weken": ten(group.ten_weeks),
        "binnen_tien_weken_per_maand": [
            {"maand": m.month, **ten(m.counts)} for m in group.ten_weeks_by_month
        ],
        "azc_zonder_pip": share(group.azc_without_pip),
        "pip_gestart_in_azc": share(group.started_in_azc),
        "schakelen": share(group.switched),
        "afschalen": share(group.afschalen),
    }


def by_klantmanager(records: list[Record]) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.klantmanager].append(record)
    return groups


# -- the tests ---------------------------------------------------------------------------------------


def test_the_demo_team_has_every_case_the_figures_count(supervisor: Profile) -> None:
    today = dt.date.today()
    records = read_records(supervisor, today)
    assert set(by_klantmanager(records)) == set(KLANTMANAGERS)
    states = [ten_weeks(r, today) for r in records]
    versions = [v for r in records for v in r.versions]
    adopted_late = [
        r for r, s in zip(records, states, strict=True) if s == "te_laat" and in_force(r) is not None
    ]
    assert states.count("op_tijd") and adopted_late and states.count("nog_binnen_termijn")
    assert [r for r, s in zip(records, states, strict=True) if s == "te_laat" and in_force(r) is None]
    in_azc = [r for r in records if r.housing is None or r.housing > today]
    assert [r for r in in_azc if in_force(r) is None] and [r for r in in_azc if in_force(r) is not None]
    started = [(r, min(r.versions, key=lambda v: v["number"])["drafted"]) for r in records if r.versions]
    assert [r for r, day in started if r.housing and r.housing <= today and day < r.housing]
    assert [r for r, day in started if r.housing and day >= r.housing]
    assert any(v["reason"] == "schakelen" and v["state"] == "vastgesteld" for v in versions)
    assert any(
        v["reason"] == "afschalen" and v["afschalen"] and v["state"] == "vastgesteld" for v in versions
    )
    assert any(v["state"] == "ingetrokken" for v in versions)
    assert {s for s in ("concept", "besproken", "ondertekend") if any(v["state"] == s for v in versions)} == {
        "concept", "besproken", "ondertekend"}  # fmt: skip
    results = {_intake_result(r.intakes) for r in records if in_force(r) is not None}
    assert results == {"haalbaar", "niet_haalbaar", "geen_uitslag"}


def test_the_supervisor_figures_match_the_counts_from_the_records(supervisor: Profile) -> None:
    today = dt.date.today()
    records = read_records(supervisor, today)
    report = FiguresService.for_profile(supervisor).figures(today=today)
    assert as_counts(report.team) == expected(records, today)
    groups = by_klantmanager(records)
    assert [g.klantmanager for g in report.per_klantmanager] == sorted(groups)
    for group in report.per_klantmanager:
        assert as_counts(group) == expected(groups[group.klantmanager or ""], today), group.klantmanager
    assert report.without_koppeldatum == 0


def test_a_period_counts_the_clients_linked_within_it(supervisor: Profile) -> None:
    today = dt.date.today()
    records = read_records(supervisor, today)
    days = sorted(r.koppeldatum for r in records if r.koppeldatum)
    start, end = days[len(days) // 4], days[len(days) // 2]
    chosen = [r for r in records if r.koppeldatum and start <= r.koppeldatum <= end]
    assert 0 < len(chosen) < len(records)
    report = FiguresService.for_profile(supervisor).figures(Period(start, end), today=today)
    assert as_counts(report.team) == expected(chosen, today)
    for group in report.per_klantmanager:
        mine = [r for r in chosen if r.klantmanager == group.klantmanager]
        assert as_counts(group) == expected(mine, today)


def test_a_klantmanager_gets_the_figures_of_their_own_store(team: Team, passphrase_env: str) -> None:
    today = dt.date.today()
    device = load_profile(team.devices[0])
    try:
        records = read_records(device, today)
        report = FiguresService.for_profile(device).figures(today=today)
    finally:
        device.close()
    assert {r.klantmanager for r in records} == {KLANTMANAGERS[0]}
    assert as_counts(report.team) == expected(records, today)
    assert [g.klantmanager for g in report.per_klantmanager] == [KLANTMANAGERS[0]]


def _private(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "a temporary file was left"


def test_report_json_csv_and_xlsx_say_the_same(team: Team, supervisor: Profile, tmp_path: Path) -> None:
    today = dt.date.today()
    records = read_records(supervisor, today)
    want = expected(records, today)
    result = run_wegwijs(team.supervisor, "report", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["peildatum"] == today.isoformat()
    team_json = {k: v for k, v in document["team"].items() if k != "klantmanager"}
    assert team_json == want
    assert [g["klantmanager"] for g in document["per_klantmanager"]] == sorted(KLANTMANAGERS)
    assert document == report_json(FiguresService.for_profile(supervisor).figures(today=today))

    out = tmp_path / "cijfers"
    out.mkdir()
    xlsx, table = out / "cijfers.xlsx", out / "cijfers.csv"
    for path in (xlsx, table):
        written = run_wegwijs(team.supervisor, "report", "--out", str(path))
        assert written.returncode == 0, written.stderr
        assert str(path) in written.stdout
        _private(path)

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Toelichting", "Leerroute en toets", "Binnen 10 weken", "Aandelen"]
    sheet = book["Leerroute en toets"]
    header = [c.value for c in sheet[1]]
    assert header == ["groep", "leerroute", "haalbaar", "niet haalbaar", "geen uitslag", "totaal"]
    cells = {(r[0], r[1]): r[2:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    for route, label in (("b1", "B1-route"), ("onderwijs", "onderwijsroute"), ("z", "Z-route")):
        row = want["leerroute_toets"][route]
        assert cells[("team", label)] == (
            row["haalbaar"],
            row["niet_haalbaar"],
            row["geen_uitslag"],
            row["totaal"],
        )
    months = {
        r[1]: r[2:] for r in book["Binnen 10 weken"].iter_rows(min_row=2, values_only=True) if r[0] == "team"
    }
    for month in want["binnen_tien_weken_per_maand"]:
        assert months[month["maand"]] == (
            month["op_tijd"], month["te_laat"], month["nog_binnen_termijn"], month["aandeel_op_tijd"])  # fmt: skip
    shares = {r[1]: r[2:4] for r in book["Aandelen"].iter_rows(min_row=2, values_only=True) if r[0] == "piet"}
    piet = expected(by_klantmanager(records)["piet"], today)
    assert shares["In het AZC zonder PIP in werking"] == (
        piet["azc_zonder_pip"]["aantal"],
        piet["azc_zonder_pip"]["van"],
    )
    assert shares["Afschalen naar A2"] == (piet["afschalen"]["aantal"], piet["afschalen"]["van"])

    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["tabel", "groep", "rij", "kolom", "waarde"]
    values = {(r[1], r[2], r[3]): r[4] for r in rows[1:] if r[0].startswith("Leerroute")}
    assert values[("team", "Z-route", "niet haalbaar")] == str(want["leerroute_toets"]["z"]["niet_haalbaar"])
    karin = expected(by_klantmanager(records)["karin"], today)
    values = {(r[1], r[2], r[3]): r[4] for r in rows[1:] if r[0].startswith("PIP vastgesteld binnen")}
    assert values[("karin", "totaal", "op tijd")] == str(karin["binnen_tien_weken"]["op_tijd"])
    assert values[("karin", "totaal", "te laat")] == str(karin["binnen_tien_weken"]["te_laat"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "2026-02-30"), "geen datum"),
        (("--to", "morgen"), "geen datum"),
        (("--from", "2026-06-01", "--to", "2026-05-31"), "ligt na de einddatum"),
        (("--out", "cijfers.ods"), "geen .csv- of .xlsx-bestand"),
    ],
)
def test_bad_dates_and_file_types_are_refused_in_one_dutch_sentence(
    team: Team, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    fixed = tuple(str(tmp_path / a) if a.endswith(".ods") else a for a in args)
    result = run_wegwijs(team.supervisor, "report", *fixed)
    assert words in one_dutch_refusal(result)
    assert list(tmp_path.iterdir()) == []


def test_wrong_usage_exits_2(team: Team) -> None:
    assert run_wegwijs(team.supervisor, "report", "--from").returncode == 2
    assert run_wegwijs(team.supervisor, "report", "--pdf").returncode == 2
