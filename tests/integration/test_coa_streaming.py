"""The COA import reads its file as it goes: a 60 MB line or a million rows is refused (the line, or
the file) within bounded memory, measured with tracemalloc on a real profile's store."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from sqlalchemy import func, select

from app.models.client import Client
from app.services.clients import ClientService
from app.services.coa_import import MAX_ROWS, CoaFileError
from app.services.profile import Profile

HEADER = b"v_nummer;achternaam;voornamen;geboortedatum;coa_locatie\n"
# Far below what reading the file whole would take (60 MB and up; the old import used 828 MB).
PEAK_LIMIT = 40 * 1024 * 1024


def _measured(profile: Profile, path: Path) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            result: object = ClientService.for_profile(profile).import_coa(path)
        except CoaFileError as error:
            result = error
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def _clients(profile: Profile) -> int:
    with profile.store().session() as session:
        return int(session.scalar(select(func.count()).select_from(Client)) or 0)


def test_a_60_mb_line_refuses_only_its_row_in_bounded_memory(profile: Profile, tmp_path: Path) -> None:
    path = tmp_path / "lange-regel.csv"
    with path.open("wb") as handle:
        handle.write(HEADER)
        handle.write(b"1234567890;Haddad;Rania;1990;")
        chunk = b"x" * (1024 * 1024)
        for _ in range(60):
            handle.write(chunk)
        handle.write(b"\n1234567891;Haddad;Omar;1988;AZC Gilze\n")
    report, peak = _measured(profile, path)
    assert not isinstance(report, CoaFileError), report
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "geweigerd"), (3, "toegevoegd")]  # type: ignore[attr-defined]
    assert "te lang" in report.outcomes[0].reason  # type: ignore[attr-defined]
    assert peak < PEAK_LIMIT, peak
    assert _clients(profile) == 1


def test_a_million_rows_are_refused_as_a_whole_in_bounded_memory(profile: Profile, tmp_path: Path) -> None:
    path = tmp_path / "miljoen.csv"
    with path.open("wb") as handle:
        handle.write(HEADER)
        block = b"".join(b"%010d;Haddad;Rania;1990;AZC Gilze\n" % (1_000_000_000 + n) for n in range(10_000))
        for _ in range(100):  # a million rows, about 40 MB
            handle.write(block)
    error, peak = _measured(profile, path)
    assert isinstance(error, CoaFileError)
    assert f"meer dan {MAX_ROWS} rijen" in str(error) and "niets ingelezen" in str(error)
    assert peak < PEAK_LIMIT, peak
    assert _clients(profile) == 0
