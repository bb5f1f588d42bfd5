"""Every bad package from the issue: refused with its reason, quarantined, the import goes on, and the
supervisor's store is exactly as before for that package."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_helpers import Pair, add_client, make_pair, snapshot

from app.services.sync import PushService, SupervisorImportService, SyncKeysService, device_keys
from app.sync.envelope import seal_compressed, seal_package
from app.sync.keys import DeviceKeys

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def pushed_package(pair: Pair) -> bytes:
    """Push the device's pending changes and take the package out of the target."""
    result = PushService.for_profile(pair.device).push(str(pair.target))
    assert result.packaged == 1
    data = (pair.target / "inbox" / max(result.sent)).read_bytes()
    for path in (pair.target / "inbox").iterdir():
        path.unlink()
    return data


def zip_bomb() -> bytes:
    """A valid zlib stream that inflates to 2 GiB of zeros, built without compressing 2 GiB.

    After a full flush deflate starts afresh, so every 8 MiB block of zeros compresses to the same
    bytes; the Adler-32 trailer is computed over the real 2 GiB, so the stream is genuine.
    """
    chunk = b"\0" * (8 * 1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()
    adler = 1
    for _ in range(256):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + block * 256 + end + adler.to_bytes(4, "big")


def test_every_bad_package_is_refused_quarantined_and_the_import_goes_on(pair: Pair, tmp_path: Path) -> None:
    add_client(pair.device, "1111111111", "Haddad")
    first = pushed_package(pair)
    add_client(pair.device, "2222222222", "Tesfaye")
    second = pushed_package(pair)
    assert SupervisorImportService.for_profile(pair.supervisor).import_paths(
        [_write(tmp_path / "a", "first.wgw", first)]
    ).outcomes[0].status == ("imported")
    device = device_keys(pair.device)
    supervisor = device_keys(pair.supervisor).public()
    stranger = DeviceKeys.generate()
    revoked = DeviceKeys.generate()
    (tmp_path / "revoked.json").write_bytes(revoked.export_public("klantmanager", "Oud", "Utrecht"))
    SyncKeysService.for_profile(pair.supervisor).register_device(tmp_path / "revoked.json")
    SyncKeysService.for_profile(pair.supervisor).revoke_device(revoked.device_id)
    payload = {"schema": 1, "records": []}
    flipped = bytearray(second)
    flipped[len(flipped) // 2] ^= 0x10
    bad = {
        "01-truncated.wgw": (second[: len(second) * 2 // 3], "truncated"),
        "02-flipped.wgw": (bytes(flipped), "tampered"),
        "03-other-supervisor.wgw": (
            seal_package(
                payload, keys=device, recipient=DeviceKeys.generate().public(), sequence=50, created_at=NOW
            ),
            "wrong_recipient",
        ),
        "04-unknown-device.wgw": (
            seal_package(payload, keys=stranger, recipient=supervisor, sequence=1, created_at=NOW),
            "unknown_device",
        ),
        "05-revoked-device.wgw": (
            seal_package(payload, keys=revoked, recipient=supervisor, sequence=1, created_at=NOW),
            "revoked_device",
        ),
        # Sequence 1 was imported above with other content.
        "06-replayed.wgw": (
            seal_package(payload, keys=device, recipient=supervisor, sequence=1, created_at=NOW),
            "replayed",
        ),
        "07-unknown-format.wgw": (
            seal_compressed(
                zlib.compress(b"{}"),
                2,
                keys=device,
                recipient=supervisor,
                sequence=51,
                created_at=NOW,
                format_version=7,
            ),
            "unknown_format",
        ),
        "08-zip-bomb.wgw": (
            seal_compressed(zip_bomb(), 1000, keys=device, recipient=supervisor, sequence=52, created_at=NOW),
            "oversize",
        ),
        "09-empty.wgw": (b"", "empty"),
        "10-holiday-photo.jpg": (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, "not_a_package"),
        "11-bad-schema.wgw": (
            seal_package(
                {"schema": 99, "records": []}, keys=device, recipient=supervisor, sequence=53, created_at=NOW
            ),
            "invalid_payload",
        ),
    }
    folder = tmp_path / "usb"
    for name, (data, _reason) in bad.items():
        _write(folder, name, data)
    before = snapshot(pair.supervisor)
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([folder])
    assert snapshot(pair.supervisor) == before
    outcomes = {o.name: o for o in summary.outcomes}
    assert set(outcomes) == set(bad)
    for name, (_data, reason) in bad.items():
        outcome = outcomes[name]
        assert (outcome.status, outcome.reason) == ("refused", reason), name
        assert outcome.message and outcome.message.endswith("."), name
        assert outcome.quarantined and Path(outcome.quarantined).exists(), name
        assert not (folder / name).exists(), name
        note = Path(outcome.quarantined + ".reden.txt").read_text(encoding="utf-8")
        assert note.startswith(reason + "\n"), name
    # The import goes on: a good package among bad ones is applied.
    _write(folder, "05b-good.wgw", second)
    _write(folder, "05a-empty.wgw", b"")
    _write(folder, "05c-garbage.wgw", b"WEGWIJS\x1a\x00\x01garbage")
    mixed = SupervisorImportService.for_profile(pair.supervisor).import_paths([folder])
    assert [(o.name, o.status) for o in mixed.outcomes] == [
        ("05a-empty.wgw", "refused"),
        ("05b-good.wgw", "imported"),
        ("05c-garbage.wgw", "refused"),
    ]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


corruption = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("cut"), st.integers(min_value=0), st.just(0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    st.tuples(st.just("delete"), st.integers(min_value=0), st.just(0)),
)


def corrupt(data: bytes, steps: list[tuple[str, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, position, value in steps:
        at = position % max(len(out), 1)
        if kind == "flip" and out:
            out[at] ^= value
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out.insert(at, value)
        elif kind == "delete" and out:
            del out[at]
    return bytes(out)


def test_random_corruption_is_never_half_applied(tmp_path: Path, passphrase_env: str) -> None:
    made = make_pair(tmp_path)
    try:
        for index in range(5):
            add_client(made.device, f"33333333{index:02d}", f"Naam{index}")
        package = pushed_package(made)
        folder = tmp_path / "fuzz"
        before = snapshot(made.supervisor)
        seen = {"refused": 0}

        @settings(
            max_examples=60,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(st.lists(corruption, min_size=1, max_size=4))
        def check(steps: list[tuple[str, int, int]]) -> None:
            data = corrupt(package, steps)
            if data == package:
                return
            outcome = (
                SupervisorImportService.for_profile(made.supervisor)
                .import_paths([_write(folder, "p.wgw", data)])
                .outcomes[0]
            )
            assert outcome.status == "refused"
            assert snapshot(made.supervisor) == before
            seen["refused"] += 1

        check()
        assert seen["refused"] > 0
        # After all that, the genuine package still applies completely.
        good = (
            SupervisorImportService.for_profile(made.supervisor)
            .import_paths([_write(folder, "good.wgw", package)])
            .outcomes[0]
        )
        assert (good.status, good.records) == ("imported", 15)
    finally:
        made.device.close()
        made.supervisor.close()


def test_signed_but_wrong_content_is_all_or_nothing(tmp_path: Path, passphrase_env: str) -> None:
    """Genuinely signed packages whose records are damaged at random: applied whole or not at all."""
    made = make_pair(tmp_path)
    try:
        for index in range(4):
            add_client(made.device, f"44444444{index:02d}", f"Naam{index}")
        package = pushed_package(made)
        supervisor_keys = device_keys(made.supervisor)
        device = device_keys(made.device)
        from app.sync.envelope import open_package
        from app.sync.importer import device_lookup

        with made.supervisor.store().session() as session:
            records = open_package(
                package, keys=supervisor_keys, lookup_device=device_lookup(session)
            ).payload["records"]
        folder = tmp_path / "content"
        sequence = {"next": 100}
        values = st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=12),
            st.booleans(),
            st.uuids().map(str),
            st.just([1, "x"]),
        )

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            st.integers(min_value=0, max_value=len(records) - 1),
            st.integers(min_value=0, max_value=50),
            st.booleans(),
            values,
        )
        def check(index: int, which: int, unknown: bool, value: object) -> None:
            damaged = [dict(r, data=dict(r["data"])) for r in records]
            known = sorted(damaged[index]["data"])
            name = "onbekend_veld" if unknown else known[which % len(known)]
            damaged[index]["data"][name] = value
            sequence["next"] += 1
            data = seal_package(
                {"schema": 1, "records": damaged},
                keys=device,
                recipient=supervisor_keys.public(),
                sequence=sequence["next"],
                created_at=NOW,
            )
            before = snapshot(made.supervisor)
            outcome = (
                SupervisorImportService.for_profile(made.supervisor)
                .import_paths([_write(folder, f"{sequence['next']}.wgw", data)])
                .outcomes[0]
            )
            if outcome.status == "refused":
                assert snapshot(made.supervisor) == before
            elif outcome.status == "duplicate":
                # The same versions from the same device were here already (superseded): only the
                # package itself is noted as imported.
                after = snapshot(made.supervisor)
                after.pop("sync_imported"), before.pop("sync_imported")
                assert after == before
            else:
                assert outcome.status in ("imported", "conflict")
                assert outcome.records == len(records)

        check()
    finally:
        made.device.close()
        made.supervisor.close()
