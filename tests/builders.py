"""Constants and builders shared by the tests of every folder (unit, integration, gui).

Importable as `builders` from any test module: tests/ has no __init__.py, so pytest's default
"prepend" import mode puts tests/ (the folder of the top conftest.py) on sys.path, as it does
tests/integration/ for `store_helpers`. Test modules import this module, never each other or a
conftest.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import Role, TargetGroup
from app.models.client import Case, Client
from app.models.pip import REVIEW_APPROVED, PipVersion
from app.services.pip import PipService, PipSettings
from app.services.profile import Profile

REPO_ROOT = Path(__file__).resolve().parent.parent

# keyring's backend that refuses everything: with it the app falls back to the passphrase vault.
FAIL_KEYRING = "keyring.backends.fail.Keyring"
TEST_PASSPHRASE = "correct horse battery staple"

# The default profile of the `profile` fixture.
DEFAULT_MUNICIPALITY = "Utrecht"
DEFAULT_USER = "km.jansen"

# Under pytest's base temp folder, never created: WEGWIJS_POLICY_FILE points here during tests.
NO_POLICY_FILE_NAME = "geen-beleid.toml"

HOUSING_DATE = dt.date(2025, 1, 20)

# The `make_profile` fixture: make_profile(role=..., municipality=..., user_name=...) -> Profile.
MakeProfile = Callable[..., Profile]


# add_client_with_case's default document language: the language the client speaks.
SPOKEN = "spoken"


def add_client_with_case(
    session: Session,
    v_nummer: str,
    *,
    family_name: str = "Haddad",
    given_names: str = "Rania",
    name_original: str | None = "رانيا حداد",
    birth_date: str = "1990-05",
    language: str = "ar",
    languages: list[str] | None = None,
    document_language: str | None = SPOKEN,
    target_group: str = TargetGroup.ASIEL.value,
    municipality: str = DEFAULT_MUNICIPALITY,
    huisvestingsdatum: dt.date | None = HOUSING_DATE,
    **case_fields: Any,
) -> Client:
    """A client who speaks `language` (and `languages`, if given; by default `language` is also the
    document language) and their case, with `case_fields` such as klantmanager or coa_location;
    flushed, so `client.id` is set."""
    client = Client(
        v_nummer=v_nummer,
        family_name=family_name,
        given_names=given_names,
        name_original=name_original,
        birth_date=birth_date,
        languages=languages if languages is not None else [language],
        document_language=language if document_language == SPOKEN else document_language,
        target_group=target_group,
    )
    session.add(client)
    session.flush()
    session.add(
        Case(
            client_id=client.id, municipality=municipality, huisvestingsdatum=huisvestingsdatum, **case_fields
        )
    )
    session.flush()
    return client


def klantmanager_pips(profile: Profile, actor: str = DEFAULT_USER) -> PipService:
    """The PIP service as the klantmanager works with it, with the default settings."""
    return PipService(profile.store(), actor, Role.KLANTMANAGER, PipSettings())


def draft_pip_with(
    profile: Profile, client_id: uuid.UUID, changes: dict[str, Any], today: dt.date
) -> uuid.UUID:
    """A concept PIP for the client, saved with `changes` through the PIP service; its version id."""
    service = klantmanager_pips(profile)
    pip = service.draft(client_id, today)
    service.save(pip.version_id, changes, today)
    return pip.version_id


def set_translation(
    profile: Profile,
    version_id: uuid.UUID,
    part: str,
    language: str,
    translation: str,
    status: str = REVIEW_APPROVED,
    by: str = "tolk",
) -> None:
    """Give one text of a PIP version a translation with a review status, as an interpreter's
    review leaves it."""
    with profile.store().session() as session:
        version = session.get(PipVersion, version_id)
        assert version is not None
        texts = dict(version.texts)
        texts[part] = {**texts[part], "lang": language, "translation": translation,
                       "review": {"status": status, "by": by}}  # fmt: skip
        version.texts = texts


def adopted_pip(profile: Profile, client_id: uuid.UUID, today: dt.date) -> uuid.UUID:
    """A complete PIP for the client, discussed and signed by the klantmanager and adopted by a
    supervisor colleague (four eyes), through the PIP service; the version id."""
    from pip_parts import COMPLETE_PARTS

    from app.domain.pip_lifecycle import PipAction
    from app.services.pip import Signatures, TextPart, text_key

    service = klantmanager_pips(profile)
    version_id = draft_pip_with(
        profile,
        client_id,
        {**COMPLETE_PARTS, "leerroute": "b1", "period_months": 36, text_key(TextPart.FINAL_GOAL): "Werk"},
        today,
    )
    service.act(version_id, PipAction.BESPREKEN, today)
    service.act(version_id, PipAction.ONDERTEKENEN, today, Signatures(today, today))
    supervisor = PipService(profile.store(), "tl.devries", Role.SUPERVISOR, PipSettings())
    supervisor.act(version_id, PipAction.VASTSTELLEN, today)
    return version_id
