"""One line of the caseload, and its texts as message ids: no SQLAlchemy here.

The start-up reads the stored caseload (app/services/caseload_state.py) on a plain DB-API connection
before the ORM is imported (issue 15), so the row and what it is made of live in this module;
app/services/caseload.py and app/services/pip/caseload.py re-export them.

A status is kept as a `Msg` (message id and parameters), not as text: the stored caseload is the same
in every language and is translated when it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Union

from app.domain.deadlines import DeadlineStatus
from app.i18n import _

# A month to arrange paying the fixed costs themselves: "ontzorgen loopt af" this many days before its end.
ONTZORGEN_ENDING_DAYS = 30

# A parameter of a message: text shown as it is, another message, or several joined by ", ".
MsgParam = Union[str, "Msg", tuple[Union[str, "Msg"], ...]]


@dataclass(frozen=True)
class Msg:
    """A text to show, by its message id: `_(msgid).format(**params)`, the parameters rendered first.
    `translate=False`: the msgid is a layout of other messages (no catalog entry), used as it is."""

    msgid: str
    params: tuple[tuple[str, MsgParam], ...] = ()
    translate: bool = True

    def __hash__(self) -> int:
        # Remembered: the caseload looks each line's status up by its Msg (10,000 lines).
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.msgid, self.params, self.translate))
            self.__dict__["_hash"] = cached
        return cached

    def render(self) -> str:
        if not self.msgid:
            return ""  # gettext("") is the catalog's header
        text = _(self.msgid) if self.translate else self.msgid
        if not self.params:
            return text
        return text.format(**{name: _render_param(value) for name, value in self.params})

    def to_json(self) -> str:
        return json.dumps(_msg_data(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, stored: str) -> Msg:
        return _msg_from(json.loads(stored))


def _render_param(value: MsgParam) -> str:
    if isinstance(value, Msg):
        return value.render()
    if isinstance(value, tuple):
        return ", ".join(_render_param(part) for part in value)
    return value


def _msg_data(msg: Msg) -> dict[str, Any]:
    data: dict[str, Any] = {"m": msg.msgid}
    if msg.params:
        data["p"] = {name: _param_data(value) for name, value in msg.params}
    if not msg.translate:
        data["t"] = False
    return data


def _param_data(value: MsgParam) -> Any:
    if isinstance(value, Msg):
        return _msg_data(value)
    if isinstance(value, tuple):
        return [_param_data(part) for part in value]
    return value


def _msg_from(data: dict[str, Any]) -> Msg:
    params = tuple((name, _param_from(value)) for name, value in data.get("p", {}).items())
    return Msg(data["m"], params, data.get("t", True))


def _param_from(value: Any) -> MsgParam:
    if isinstance(value, dict):
        return _msg_from(value)
    if isinstance(value, list):
        return tuple(_msg_from(part) if isinstance(part, dict) else part for part in value)
    return str(value)


@dataclass(frozen=True)
class CaseloadFlags:
    """What the caseload filters and counts look at, per client."""

    late: bool = False
    due_soon: bool = False
    # Not housed yet (or housing still ahead) and no PIP in force: a concept does not count.
    azc_without_pip: bool = False
    # Asylum statushouder whose six months of ontzorgen end within ONTZORGEN_ENDING_DAYS.
    ontzorgen_ending: bool = False
    # "Voortgangsgesprek te laat": the PIP in force's interval passed since the last meeting (or
    # the adoption) without one (app/domain/progress.py).
    meeting_late: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload: what the klantmanager scans, nothing they must click for."""

    client_id: uuid.UUID
    v_nummer: str
    name: str
    name_original: str
    birth_date: str
    coa_location: str
    klantmanager: str
    housing_date: dt.date | None
    status: str
    leerroute: str
    next_deadline: DeadlineStatus | None
    obliged: bool
    # The PIP's state (None: no PIP yet) and what the caseload views filter on (app/services/pip/caseload.py).
    pip_state: str | None = None
    flags: CaseloadFlags = field(default_factory=CaseloadFlags)
    # DUO's exemption: the day the whole duty ended, and the exam parts exempted one by one.
    exempted_on: dt.date | None = None
    exempt_parts: tuple[str, ...] = ()
