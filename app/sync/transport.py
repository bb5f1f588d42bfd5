"""Sync targets: a folder (network share, synced cloud folder, USB stick) or a WebDAV server.

Both hold the same layout: `inbox/` with packages from devices and `receipts/` with the supervisor's
signed receipts. Every write is atomic: a temporary dot-name first, then a rename (folder) or MOVE
(WebDAV), so a reader never sees half a package, and an interrupted upload leaves only a temporary
file that importers skip.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
import xml.etree.ElementTree as ElementTree
from abc import ABC, abstractmethod
from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from app.i18n import _
from app.sync.atomic import TEMP_PREFIX, TEMP_SUFFIX, atomic_write_bytes, atomic_write_many, is_temporary_name
from app.sync.errors import FileTooLarge, RefusalReason, TargetUnreachable, TransportError, UnusableFile

if TYPE_CHECKING:
    import requests

# requests (with urllib3 and its TLS set-up) loads when a WebDAV target is used, not with every
# start of the GUI or the command line (issue 15).

INBOX = "inbox"
RECEIPTS = "receipts"
FOLDERS = (INBOX, RECEIPTS)
MAX_DOWNLOAD = 512 * 1024 * 1024
# A temporary upload this old was interrupted (no upload takes a day): prepare() removes it.
STALE_UPLOAD_SECONDS = 24 * 3600
_DAV = "{DAV:}"
_URL_SEGMENT = re.compile(r"[A-Za-z0-9._~%!$&'()*+,;=:@-]+")


class Transport(ABC):
    """One sync target. Methods raise TransportError when the target cannot be reached."""

    @property
    @abstractmethod
    def description(self) -> str: ...

    @abstractmethod
    def probe(self) -> bool:
        """True when the target answers now (never raises)."""

    @abstractmethod
    def prepare(self) -> None:
        """Create the folders of the layout where they are missing, and remove temporary files of
        uploads that were interrupted more than a day ago."""

    @abstractmethod
    def list(self, folder: str) -> dict[str, int]:
        """Finished files in a folder of the layout: name -> size (temporary files left out)."""

    def list_entries(self, folder: str) -> dict[str, int]:
        """Like `list`, plus what is no regular file (a link, a device) and names this target cannot
        use: the importer refuses those one by one (UnusableFile from `read`) instead of skipping them."""
        return self.list(folder)

    @abstractmethod
    def read(self, folder: str, name: str, limit: int = MAX_DOWNLOAD) -> bytes:
        """The whole file; FileTooLarge (without reading it all) when it is over `limit` bytes;
        UnusableFile when this one entry cannot be used (not a regular file, unreadable, bad name)."""

    @abstractmethod
    def write(self, folder: str, name: str, data: bytes) -> None: ...

    def write_many(self, folder: str, files: Sequence[tuple[str, bytes]]) -> None:
        """Several files, each as `write` writes one; a target may commit them together."""
        for name, data in files:
            self.write(folder, name, data)

    @abstractmethod
    def delete(self, folder: str, name: str) -> None:
        """Remove a file; a file that is already gone is fine."""


def _is_upload_leftover(name: str) -> bool:
    # Only our own temporary names (see atomic.py): other dot-files on a share are not ours to remove.
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def _timestamp(item: ElementTree.Element) -> float | None:
    """A PROPFIND entry's getlastmodified (an HTTP date), or None when missing or unreadable."""
    text = item.findtext(f".//{_DAV}getlastmodified")
    try:
        return parsedate_to_datetime(text).timestamp() if text else None
    except (TypeError, ValueError):
        return None


def _too_large(size: int | None) -> FileTooLarge:
    return FileTooLarge(_("Een bestand op het synchronisatiedoel is te groot."), size)


def _bad_name(name: str) -> bool:
    # Names come from listings of a target others can write to: never let one climb out of it.
    return (
        not name
        or name in (".", "..")
        or any(character in name for character in "/\\")
        or any(ord(character) < 32 or ord(character) == 127 for character in name)
    )


def _check_name(name: str) -> None:
    if _bad_name(name):
        raise UnusableFile(RefusalReason.BAD_NAME, "name with a separator or control character")


# Opened without following a link and without waiting on a pipe; only a regular file is read.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# What says "this one file" rather than "the whole target": the next file may well be fine.
_ITEM_ERRORS = {errno.EACCES, errno.EPERM, errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENODEV}


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """Read a regular file without following a symbolic link (the link itself is refused):
    UnusableFile for a link, a pipe, a device or a file that cannot be read, FileTooLarge over `limit`
    (without reading it), FileNotFoundError when it is gone, OSError for anything else."""
    if os.name == "nt" and os.path.islink(path):  # Windows has no O_NOFOLLOW
        raise UnusableFile(RefusalReason.NOT_A_FILE, "symbolic link")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnusableFile(RefusalReason.NOT_A_FILE, "symbolic link") from error
        if error.errno in _ITEM_ERRORS:
            raise UnusableFile(RefusalReason.UNREADABLE, f"errno {error.errno}") from error
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise UnusableFile(RefusalReason.NOT_A_FILE, f"mode {stat.S_IFMT(status.st_mode):o}")
        if status.st_size > limit:
            raise _too_large(status.st_size)
        # Straight from the descriptor (no buffered file object: half the cost of a small package's
        # read); what the size says plus one, then on until the end in case it grew.
        parts: list[bytes] = []
        total = 0
        try:
            while chunk := os.read(fd, max(status.st_size + 1 - total, 1 << 16)):
                parts.append(chunk)
                total += len(chunk)
                if total > limit:
                    break
        except OSError as error:
            if error.errno in _ITEM_ERRORS or error.errno == errno.EIO:
                raise UnusableFile(RefusalReason.UNREADABLE, f"errno {error.errno}") from error
            raise
        data = parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while we read
        raise _too_large(len(data))
    return data


class FolderTransport(Transport):
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def description(self) -> str:
        return str(self.root)

    def _unreachable(self, error: OSError) -> TransportError:
        return TargetUnreachable(
            _("De synchronisatiemap {path} is niet bereikbaar; controleer de verbinding of de stick.").format(
                path=self.root
            )
        )

    def probe(self) -> bool:
        return self.root.is_dir()

    def prepare(self) -> None:
        if not self.root.is_dir():
            raise self._unreachable(FileNotFoundError(str(self.root)))
        try:
            for folder in FOLDERS:
                (self.root / folder).mkdir(exist_ok=True)
        except OSError as error:
            raise self._unreachable(error) from error
        cutoff = time.time() - STALE_UPLOAD_SECONDS
        for folder in FOLDERS:
            with contextlib.suppress(OSError):  # tidying up never stops a sync
                for entry in (self.root / folder).iterdir():
                    if _is_upload_leftover(entry.name) and entry.stat().st_mtime < cutoff:
                        entry.unlink(missing_ok=True)

    def list(self, folder: str) -> dict[str, int]:
        path = self.root / folder
        if not self.root.is_dir():
            raise self._unreachable(FileNotFoundError(str(self.root)))
        if not path.is_dir():
            return {}
        return {name: size for name, (size, regular) in self._scan(folder).items() if regular}

    def list_entries(self, folder: str) -> dict[str, int]:
        return {name: size for name, (size, _regular) in self._scan(folder).items()}

    def _scan(self, folder: str) -> dict[str, tuple[int, bool]]:
        """name -> (size, regular file) of every entry but folders and temporary files, by lstat:
        a link is seen as a link, never as what it points to."""
        path = self.root / folder
        if not self.root.is_dir():
            raise self._unreachable(FileNotFoundError(str(self.root)))
        if not path.is_dir():
            return {}
        found: dict[str, tuple[int, bool]] = {}
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if is_temporary_name(entry.name):
                        continue
                    with contextlib.suppress(FileNotFoundError):  # gone since the listing
                        status = entry.stat(follow_symlinks=False)
                        if not stat.S_ISDIR(status.st_mode):
                            found[entry.name] = (status.st_size, stat.S_ISREG(status.st_mode))
        except OSError as error:
            raise self._unreachable(error) from error
        return found

    def _check_local_name(self, name: str) -> None:
        # A name from this folder's own listing; only what would leave the folder is refused.
        if (
            not name
            or name in (".", "..")
            or "\x00" in name
            or "/" in name
            or (os.sep in name)
            or (os.altsep is not None and os.altsep in name)
        ):
            raise UnusableFile(RefusalReason.BAD_NAME, "name with a separator")

    def read(self, folder: str, name: str, limit: int = MAX_DOWNLOAD) -> bytes:
        self._check_local_name(name)
        try:
            # A string path: two pathlib joins (2 µs) cost as much as reading a small package itself.
            return read_regular_file(os.path.join(self.root, folder, name), limit)
        except (UnusableFile, FileTooLarge):
            raise
        except OSError as error:
            if not self.root.is_dir():
                raise self._unreachable(error) from error
            raise UnusableFile(RefusalReason.UNREADABLE, f"errno {error.errno}") from error

    def write(self, folder: str, name: str, data: bytes) -> None:
        _check_name(name)
        if not self.root.is_dir():
            raise self._unreachable(FileNotFoundError(str(self.root)))
        try:
            # A lost receipt only means the package is sent and acknowledged again; packages must last.
            atomic_write_bytes(self.root / folder / name, data, durable=folder != RECEIPTS)
        except OSError as error:
            raise self._unreachable(error) from error

    def write_many(self, folder: str, files: Sequence[tuple[str, bytes]]) -> None:
        # One check of the target and one fsync pass for the whole set (receipts of a batch).
        for name, _data in files:
            _check_name(name)
        if not self.root.is_dir():
            raise self._unreachable(FileNotFoundError(str(self.root)))
        try:
            atomic_write_many(self.root / folder, files, durable=folder != RECEIPTS)
        except OSError as error:
            raise self._unreachable(error) from error

    def delete(self, folder: str, name: str) -> None:
        self._check_local_name(name)
        try:
            os.unlink(os.path.join(self.root, folder, name))  # a link goes, never what it points to
        except FileNotFoundError:
            pass  # gone already: fine
        except OSError as error:
            raise self._unreachable(error) from error


class WebDavTransport(Transport):
    """WebDAV over HTTP(S) with PUT/GET/PROPFIND/MKCOL/DELETE, plus MOVE for the atomic rename."""

    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float = 15.0,
        session: requests.Session | None = None,
    ) -> None:
        import requests

        self.url = url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = session or requests.Session()
        self._raw_names: dict[tuple[str, str], str] = {}
        if username:
            self.session.auth = (username, password or "")

    @property
    def description(self) -> str:
        parts = urlsplit(self.url)
        # Never show credentials that may be embedded in the address.
        return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}{parts.path}"

    def _url(self, folder: str, name: str = "") -> str:
        return self.url + quote(folder) + "/" + quote(name)

    def _request(self, method: str, url: str, **kwargs: object) -> requests.Response:
        import requests

        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as error:
            # Worded for the device, which is the one that sends; the supervisor's import rewords it.
            raise TargetUnreachable(
                _("De synchronisatieserver {url} is niet bereikbaar; de wijzigingen blijven bewaard.").format(
                    url=self.description
                )
            ) from error

    def _fail(self, response: requests.Response) -> TransportError:
        if response.status_code in (401, 403):
            return TransportError(
                _("De synchronisatieserver weigert de toegang; controleer gebruikersnaam en wachtwoord.")
            )
        return TransportError(
            _("De synchronisatieserver gaf een fout ({status}); probeer het later opnieuw.").format(
                status=response.status_code
            )
        )

    def probe(self) -> bool:
        import requests

        try:
            response = self.session.request(
                "PROPFIND", self.url, headers={"Depth": "0"}, timeout=min(self.timeout, 5.0)
            )
        except requests.RequestException:
            return False
        return response.status_code in (200, 207)

    def prepare(self) -> None:
        for folder in FOLDERS:
            response = self._request("MKCOL", self.url + quote(folder) + "/")
            # 405: the collection exists already.
            if response.status_code not in (201, 405):
                raise self._fail(response)
        cutoff = time.time() - STALE_UPLOAD_SECONDS
        for folder in FOLDERS:
            with contextlib.suppress(TransportError):  # tidying up never stops a sync
                for name, (_size, modified) in self._entries(folder).items():
                    if _is_upload_leftover(name) and modified is not None and modified < cutoff:
                        self.delete(folder, name)

    def list(self, folder: str) -> dict[str, int]:
        return {name: size for name, size in self.list_entries(folder).items() if not _bad_name(name)}

    def list_entries(self, folder: str) -> dict[str, int]:
        return {
            name: size
            for name, (size, _modified) in self._entries(folder).items()
            if not is_temporary_name(name)
        }

    def _entries(self, folder: str) -> dict[str, tuple[int, float | None]]:
        """Every file in a folder, temporary ones too: name -> (size, last modified as a timestamp)."""
        response = self._request(
            "PROPFIND",
            self.url + quote(folder) + "/",
            headers={"Depth": "1", "Content-Type": "application/xml"},
            data=(
                b'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
                b"<d:getcontentlength/><d:getlastmodified/><d:resourcetype/></d:prop></d:propfind>"
            ),
        )
        if response.status_code == 404:
            return {}
        if response.status_code != 207:
            raise self._fail(response)
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError as error:
            raise TransportError(
                _("De synchronisatieserver gaf een onleesbaar antwoord; probeer het later opnieuw.")
            ) from error
        files: dict[str, tuple[int, float | None]] = {}
        for item in root.iter(f"{_DAV}response"):
            href = item.findtext(f"{_DAV}href") or ""
            if item.find(f".//{_DAV}collection") is not None:
                continue
            raw = href.rstrip("/").rsplit("/", 1)[-1]
            name = unquote(raw)
            if not name:
                continue
            if _bad_name(name) and _URL_SEGMENT.fullmatch(raw):
                # %2F or %5C in the href: `delete` removes it by the server's own form of the name
                # (one segment inside the folder listed); `read` refuses it.
                self._raw_names[(folder, name)] = raw
            length = item.findtext(f".//{_DAV}getcontentlength") or "0"
            files[name] = (int(length) if length.isdigit() else 0, _timestamp(item))
        return files

    def read(self, folder: str, name: str, limit: int = MAX_DOWNLOAD) -> bytes:
        import requests

        _check_name(name)
        response = self._request("GET", self._url(folder, name), stream=True)
        with contextlib.closing(response):
            if response.status_code != 200:
                raise self._fail(response)
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > limit:
                raise _too_large(int(announced))
            chunks: list[bytes] = []
            total = 0
            try:
                # Bounded even when the server sends no length or a wrong one.
                for chunk in response.iter_content(1024 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise _too_large(None)
                    chunks.append(chunk)
            except requests.RequestException as error:
                raise TransportError(
                    _("De verbinding met de synchronisatieserver viel weg; probeer het later opnieuw.")
                ) from error
        return b"".join(chunks)

    def write(self, folder: str, name: str, data: bytes) -> None:
        _check_name(name)
        temp = f"{TEMP_PREFIX}{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        response = self._request(
            "PUT", self._url(folder, temp), data=data, headers={"Content-Type": "application/octet-stream"}
        )
        if response.status_code not in (200, 201, 204):
            raise self._fail(response)
        response = self._request(
            "MOVE",
            self._url(folder, temp),
            headers={"Destination": self._url(folder, name), "Overwrite": "T"},
        )
        if response.status_code not in (201, 204):
            with contextlib.suppress(TransportError):
                self._request("DELETE", self._url(folder, temp))
            raise self._fail(response)

    def delete(self, folder: str, name: str) -> None:
        raw = self._raw_names.get((folder, name))
        if raw is not None:  # a name from the listing that cannot be used: removed as listed
            response = self._request("DELETE", self.url + quote(folder) + "/" + raw)
            if response.status_code not in (200, 204, 404):
                raise self._fail(response)
            return
        _check_name(name)
        response = self._request("DELETE", self._url(folder, name))
        if response.status_code not in (200, 204, 404):
            raise self._fail(response)


def make_transport(target: str, username: str | None = None, password: str | None = None) -> Transport:
    """A folder path or an http(s) URL."""
    if target.startswith(("http://", "https://")):
        return WebDavTransport(target, username, password)
    return FolderTransport(Path(target).expanduser())
