"""The figures' rules on a handful of hand-made clients whose every figure is known in advance: the PIP
in force decides (a concept over an adopted version still counts, a withdrawn one does not), the 10
weeks count from housing, the period goes by the koppeldatum, and the files are written privately."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from builders import add_client_with_case

from app.domain.enums import TargetGroup
from app.models.pip import Pip, PipVersion
from app.services.figures import FiguresRefused, FiguresService, Period, parse_period
from app.services.profile import Profile

TODAY = dt.date(2026, 6, 1)
HOUSED = dt.date(2026, 1, 5)  # the 10 weeks end on 2026-03-16
D = dt.date.fromisoformat


def _client(profile: Profile, number: int, klantmanager: str, koppel: str | None, housing: dt.date | None,
            versions: list[dict[str, object]], **client: object) -> None:  # fmt: skip
    with profile.store().session() as session:
        record = add_client_with_case(
            session,
            f"{number:010d}",
            klantmanager=klantmanager,
            koppeldatum=D(koppel) if koppel else None,
            huisvestingsdatum=housing,
            **client,  # type: ignore[arg-type]
        )
        if not versions:
            return
        pip = Pip(client_id=record.id, extensions=[], current_number=len(versions))
        session.add(pip)
        for number_, fields in enumerate(versions, start=1):
            session.add(PipVersion(pip=pip, number=number_, created_by="test", **fields))


@pytest.fixture
def team(profile: Profile) -> Profile:
    """A: v1 adopted in time, v2 a concept (schakelen); B: withdrawn; C: in the AZC with a PIP in force;
    D: expected housing, concept only; E: adopted late, v2 afschalen in force; I: in time, then a
    switch adopted; H: just housed, no PIP, no koppeldatum; a child and a Ukrainian are not counted."""
    b1, z = "b1", "z"
    _client(profile, 1, "anna", "2025-11-15", HOUSED, [
        dict(state="vastgesteld", leerroute=b1, drafted_on=D("2025-12-20"), adopted_on=D("2026-03-01"),
             learnability_outcome="niet_haalbaar"),
        dict(state="concept", reason="schakelen", leerroute=z, drafted_on=D("2026-05-01")),
    ])  # fmt: skip
    _client(profile, 2, "anna", "2025-11-20", HOUSED, [
        dict(state="ingetrokken", leerroute=b1, drafted_on=D("2026-01-10"), adopted_on=D("2026-02-01"),
             withdrawn_on=D("2026-04-01"), learnability_outcome="haalbaar"),
    ])  # fmt: skip
    _client(profile, 3, "anna", "2026-01-10", None, [
        dict(state="vastgesteld", leerroute=z, drafted_on=D("2026-02-01"), adopted_on=D("2026-03-01")),
    ])  # fmt: skip
    _client(profile, 4, "bram", "2026-04-01", D("2026-07-01"), [
        dict(state="concept", leerroute=b1, drafted_on=D("2026-05-01")),
    ])  # fmt: skip
    _client(profile, 5, "bram", "2025-11-25", HOUSED, [
        dict(state="vervangen", leerroute=b1, drafted_on=D("2026-02-01"), adopted_on=D("2026-04-01")),
        dict(state="vastgesteld", reason="afschalen", leerroute=b1, afschalen=True, afschalen_parts=["lezen"],
             drafted_on=D("2026-04-20"), adopted_on=D("2026-05-01"), learnability_outcome="haalbaar"),
    ])  # fmt: skip
    _client(profile, 6, "", "2025-12-01", HOUSED, [
        dict(state="vervangen", leerroute=b1, drafted_on=D("2026-01-20"), adopted_on=D("2026-02-20")),
        dict(state="vastgesteld", reason="schakelen", leerroute=z, drafted_on=D("2026-04-20"),
             adopted_on=D("2026-05-01")),
    ])  # fmt: skip
    _client(profile, 7, "", None, D("2026-05-20"), [])
    _client(profile, 8, "anna", "2025-11-15", HOUSED, [], birth_date="2015-03-01")
    _client(
        profile, 9, "anna", "2025-11-15", HOUSED, [], target_group=TargetGroup.TIJDELIJKE_BESCHERMING.value
    )
    return profile


def test_every_figure_follows_the_pip_in_force(team: Profile) -> None:
    report = FiguresService.for_profile(team).figures(today=TODAY)
    figures = report.team
    assert (figures.clients, figures.with_pip, figures.with_pip_in_force) == (7, 6, 4)
    routes = {row.route: (row.haalbaar, row.niet_haalbaar, row.geen_uitslag) for row in figures.route_test}
    # A counts with its adopted B1 version 1 (the concept version 2 changes nothing); B is withdrawn.
    assert routes == {"b1": (1, 1, 0), "onderwijs": (0, 0, 0), "z": (0, 0, 2)}
    assert (figures.ten_weeks.on_time, figures.ten_weeks.late, figures.ten_weeks.open) == (2, 2, 1)
    months = {m.month: (m.counts.on_time, m.counts.late, m.counts.open) for m in figures.ten_weeks_by_month}
    assert months == {"2026-01": (2, 2, 0), "2026-05": (0, 0, 1)}
    assert figures.ten_weeks.share.percent == 50.0
    # In the AZC: C (PIP in force) and D (a concept is no PIP in force).
    assert (figures.azc_without_pip.part, figures.azc_without_pip.whole) == (1, 2)
    assert (figures.started_in_azc.part, figures.started_in_azc.whole) == (3, 6)
    # Only I's adopted switch counts; A's switch is a concept.
    assert (figures.switched.part, figures.switched.whole) == (1, 4)
    assert (figures.afschalen.part, figures.afschalen.whole) == (1, 4)
    assert [(g.klantmanager, g.clients, g.with_pip_in_force) for g in report.per_klantmanager] == [
        ("", 2, 1), ("anna", 3, 2), ("bram", 2, 1)]  # fmt: skip


def test_the_period_goes_by_the_koppeldatum(team: Profile) -> None:
    report = FiguresService.for_profile(team).figures(Period(D("2025-11-01"), D("2025-12-31")), today=TODAY)
    assert report.team.clients == 4  # A, B, E and I; H has no koppeldatum
    assert report.without_koppeldatum == 1
    assert (report.team.ten_weeks.on_time, report.team.ten_weeks.late, report.team.ten_weeks.open) == (
        2,
        2,
        0,
    )
    assert report.team.azc_without_pip.whole == 0 and report.team.azc_without_pip.percent is None
    open_ended = FiguresService.for_profile(team).figures(Period(start=D("2026-01-01")), today=TODAY)
    assert open_ended.team.clients == 2  # C and D


def test_periods_are_typed_the_dutch_way_or_as_iso() -> None:
    assert parse_period("01-02-2026", "") == Period(D("2026-02-01"), None)
    assert parse_period(None, "2026-03-31") == Period(None, D("2026-03-31"))
    for start, end in (
        ("2026-02-30", None),
        ("gisteren", None),
        (None, "2026-13"),
        ("2026-05-02", "2026-05-01"),
    ):
        with pytest.raises(FiguresRefused) as refused:
            parse_period(start, end)
        message = str(refused.value)
        assert message.endswith(".") and "\n" not in message


def test_an_export_is_private_atomic_and_never_follows_a_symlink(team: Profile, tmp_path: Path) -> None:
    report = FiguresService.for_profile(team).figures(today=TODAY)
    elsewhere = tmp_path / "elders.txt"
    elsewhere.write_text("niet aanraken", encoding="utf-8")
    out = tmp_path / "uit"
    out.mkdir()
    link = out / "cijfers.csv"
    link.symlink_to(elsewhere)
    written = FiguresService.export(report, link)
    assert elsewhere.read_text(encoding="utf-8") == "niet aanraken"
    assert not written.is_symlink() and written.read_bytes().startswith("\ufefftabel;".encode())
    assert stat.S_IMODE(os.lstat(written).st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["cijfers.csv"]
    with pytest.raises(FiguresRefused):
        FiguresService.export(report, tmp_path / "cijfers.pdf")
    with pytest.raises(FiguresRefused):
        FiguresService.export(report, tmp_path / "bestaat-niet" / "cijfers.xlsx")
