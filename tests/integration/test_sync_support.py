"""Shared fixtures for the sync tests (no tests here): two real profiles and a folder target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.domain.enums import Role
from app.models.base import Base
from app.models.client import Case, Client, Household
from app.services import sync
from app.services.profile import Profile, init_profile


@dataclass
class Pair:
    device: Profile
    supervisor: Profile
    target: Path
    folder: Path


def make_pair(folder: Path) -> Pair:
    device = init_profile(folder / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
    supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Utrecht", "Sam")
    sync.export_public_keys(supervisor, folder / "sup.json")
    sync.export_public_keys(device, folder / "km.json")
    sync.trust_supervisor(device, folder / "sup.json")
    sync.register_device(supervisor, folder / "km.json")
    target = folder / "share"
    target.mkdir()
    return Pair(device, supervisor, target, folder)


@pytest.fixture
def pair(tmp_path: Path, passphrase_env: str) -> Iterator[Pair]:
    made = make_pair(tmp_path)
    yield made
    made.device.close()
    made.supervisor.close()


def add_client(profile: Profile, v_nummer: str, name: str, label: str | None = None) -> Client:
    with profile.store().session(actor="Karin") as session:
        household = Household(label=label or f"hh-{v_nummer}")
        client = Client(
            v_nummer=v_nummer,
            family_name=name,
            given_names="Amal",
            name_original="أمل",
            birth_date="1990-05",
            languages=["ar", "nl"],
            household=household,
        )
        session.add_all([household, client])
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", koppeldatum=dt.date(2026, 3, 1)))
    return client


def snapshot(profile: Profile) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: 'exactly as before' means this is equal."""
    with profile.store().session() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }
