"""The parts every PIP must have before it can be signed and adopted (DOMAIN.md section 4), filled
in the way a klantmanager would; tests that walk a PIP to "vastgesteld" save these first."""

from __future__ import annotations

from typing import Any

from app.models.pip import TextPart
from app.services.pip import text_key

COMPLETE_PARTS: dict[str, Any] = {
    "map_hours": 64,
    "pvt_hours": 12,
    "progress_interval_months": 3,
    "taalschool": "Taalhuis Utrecht",
    "agreements": [
        {"id": "1", "what": {"nl": "Inschrijven bij de taalschool"}, "who": "inburgeraar", "status": "open"}
    ],
    text_key(TextPart.GUIDANCE): "Maatschappelijke begeleiding door VluchtelingenWerk.",
    text_key(TextPart.PRECONDITIONS): "geen",
    text_key(TextPart.MONITORING): "Voortgangsgesprek elke drie maanden met de klantmanager.",
    text_key(TextPart.ONTZORGEN): "Vaste lasten worden zes maanden ingehouden op de uitkering.",
}
