"""The intake screen over a real encrypted store: rendering, autosave, validation, resume, screenshots."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.services.intake import IntakeService
from app.services.profile import Profile, init_profile
from app.ui.intake import IntakeScreen
from app.ui.intake.editors import GroupEditor

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def profile(tmp_path: Path, passphrase_env: str) -> Iterator[Profile]:
    profile = init_profile(tmp_path / "profiel", Role.KLANTMANAGER, "Utrecht", "km.jansen")
    yield profile
    profile.close()


@pytest.fixture
def client_id(profile: Profile) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        client = Client(
            v_nummer="1234567890", family_name="Haddad", given_names="Rania", name_original="رانيا حداد",
            birth_date="1994-05", languages=["ar"], target_group="asiel",
        )  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", coa_location="AZC Utrecht"))
        return client.id


def shot(qtbot, screen: IntakeScreen, path: Path) -> None:
    """Let Qt lay out pending changes first, then save a PNG to look at."""
    qtbot.wait(50)
    assert screen.grab().save(str(path))


def make_screen(
    qtbot, profile: Profile, client_id: uuid.UUID, role: Role = Role.KLANTMANAGER
) -> IntakeScreen:
    set_ui_language("nl")
    screen = IntakeScreen(IntakeService(profile.store(), profile.actor, role), client_id, TODAY)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_screen_renders_sections_with_states_and_screenshots(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None, artifacts_dir: Path
) -> None:
    screen = make_screen(qtbot, profile, client_id)
    screen.jump_to("identiteit", "naam_latijns")
    screen.editor("naam_latijns").focus_widget().setText("Rania Haddad")  # type: ignore[union-attr]
    screen.editor("naam_origineel").focus_widget().setText("رانيا حداد")  # type: ignore[union-attr]
    screen.editor("geboortedatum").focus_widget().setText("2031-01-01")  # type: ignore[union-attr]
    screen.editor("bsn").focus_widget().setText("111222334")  # type: ignore[union-attr]
    screen.flush()
    assert screen.row("geboortedatum").problem.text() == "Deze datum ligt in de toekomst; controleer hem."  # type: ignore[union-attr]
    assert "elfproef" in screen.row("bsn").problem.text()  # type: ignore[union-attr]
    line = screen.editor("naam_origineel").focus_widget()  # type: ignore[union-attr]
    assert line.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shot(qtbot, screen, artifacts_dir / "intake_identiteit.png")
    states = {screen.nav.item(i).data(Qt.ItemDataRole.UserRole): screen.nav.item(i).data(Qt.ItemDataRole.UserRole + 1)
              for i in range(screen.nav.count())}  # fmt: skip
    assert states["identiteit"] == "has_problems" and states["huisvesting"] == "not_started"
    screen.jump_to("huishouden", "huishoudleden")
    group = screen.editor("huishoudleden")
    assert isinstance(group, GroupEditor)
    for number in range(12):
        entry = group.add_entry()
        entry.editors["lid_naam"].focus_widget().setText(f"Kind {number + 1}")  # type: ignore[attr-defined]
        entry.editors["lid_geboortedatum"].focus_widget().setText(f"{2010 + number}")  # type: ignore[attr-defined]
    screen.flush()
    shot(qtbot, screen, artifacts_dir / "intake_huishouden.png")
    screen.show_key("__afronden__")
    shot(qtbot, screen, artifacts_dir / "intake_afronden.png")
    assert "Nog" in screen.conclusion_page.missing_title.text()


def test_interpreter_does_not_get_health_or_finance(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None
) -> None:
    screen = make_screen(qtbot, profile, client_id, Role.INTERPRETER)
    keys = [screen.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(screen.nav.count())]
    assert "gezondheid" not in keys and "financien" not in keys and "identiteit" in keys
