"""A client with a PIP whose texts an interpreter reviews, for the translation review tests."""

from __future__ import annotations

import datetime as dt
import uuid

from builders import add_client_with_case

from app.i18n.review_layer import Reviewer
from app.services.pip.records import draft_pip, update_version
from app.services.profile import Profile
from app.services.review import ReviewItem, ReviewSet

TODAY = dt.date(2025, 3, 3)
TOLK = Reviewer("Samira Tolk", "123456")
GOAL = "Nederlands op B1-niveau en werk in de zorg"
GOAL_AR = "الهولندية بمستوى B1 والعمل في رعاية المسنين"


def add_client_with_pip(profile: Profile, language: str = "ar", v_nummer: str = "2345678901") -> uuid.UUID:
    with profile.store().session(actor="km.jansen") as session:
        client = add_client_with_case(session, v_nummer, language=language)
        version = draft_pip(session, client.id, "km.jansen", TODAY)
        update_version(
            session,
            version.id,
            {
                "leerroute": "b1",
                "text.einddoel": GOAL,
                "text.monitoring": "Elke drie maanden een gesprek.",
                "agreements": [
                    {
                        "id": "1",
                        "what": {"nl": "Inschrijven bij de taalschool"},
                        "who": "Rania",
                        "status": "open",
                    }
                ],
            },
        )
        return client.id


def item(review_set: ReviewSet, key: str) -> ReviewItem:
    return next(i for i in review_set.items if i.key == key)
