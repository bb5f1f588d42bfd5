"""Builders for the hostile-inbox tests: genuine packages made cheaply from one real pushed package
(new ids and V-nummers, sealed with the device's real keys), and hostile ones around them."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
import zlib
from typing import Any

from sync_helpers import Pair, add_client

from app.services.sync import PushService, device_keys
from app.sync.envelope import open_package, seal_compressed, seal_package
from app.sync.importer import device_lookup
from app.sync.keys import DeviceKeys


def template_payload(pair: Pair) -> dict[str, Any]:
    """The payload of one real package (a household, a client and a case), taken out of the target."""
    add_client(pair.device, "1999999999", "Sjabloon")
    result = PushService.for_profile(pair.device).push(str(pair.target))
    path = pair.target / "inbox" / max(result.sent)
    data = path.read_bytes()
    path.unlink()
    with pair.supervisor.store().session() as session:
        opened = open_package(data, keys=device_keys(pair.supervisor), lookup_device=device_lookup(session))
    return opened.payload


def renumbered(template: dict[str, Any], v_nummer: str) -> tuple[dict[str, Any], uuid.UUID]:
    """The same records with new ids (references kept consistent) and another V-nummer."""
    payload = copy.deepcopy(template)
    ids = {record["id"]: str(uuid.uuid4()) for record in payload["records"]}
    text = json.dumps(payload)
    for old, new in ids.items():
        text = text.replace(old, new)
    payload = json.loads(text)
    client_id = uuid.UUID(next(r["id"] for r in payload["records"] if r["table"] == "client"))
    for record in payload["records"]:
        if record["table"] == "client":
            record["data"]["v_nummer"] = v_nummer
            record["data"]["bsn"] = None
    return payload, client_id


def sealed(
    pair: Pair, payload: dict[str, Any], sequence: int, created_at: dt.datetime | None = None
) -> bytes:
    keys: DeviceKeys = device_keys(pair.device)
    return seal_package(
        {k: v for k, v in payload.items() if k not in ("device_id", "sequence")},
        keys=keys,
        recipient=device_keys(pair.supervisor).public(),
        sequence=sequence,
        created_at=created_at or dt.datetime.now(dt.UTC),
    )


def deeply_nested(pair: Pair, sequence: int, depth: int = 200_000) -> bytes:
    """A correctly signed package whose JSON is nested `depth` deep (RecursionError in a parser)."""
    keys = device_keys(pair.device)
    raw = (
        b'{"schema":1,"device_id":"'
        + keys.device_id.encode()
        + b'","sequence":%d,"records":' % sequence
        + b"[" * depth
        + b"]" * depth
        + b"}"
    )
    return seal_compressed(
        zlib.compress(raw),
        len(raw),
        keys=keys,
        recipient=device_keys(pair.supervisor).public(),
        sequence=sequence,
        created_at=dt.datetime.now(dt.UTC),
    )
