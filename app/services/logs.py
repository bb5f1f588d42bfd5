"""The log: a rotating file in the profile's `logs` folder, for support and the administrator.

Only faults are written by default (WARNING and up: tracebacks); `WEGWIJS_LOG_LEVEL=INFO` adds the
commands run and the kinds of refusals, for support. The folder and file are made when the first
record is written, so a command that is only refused leaves the profile exactly as it was.
Private by default: the folder is 0700, the files 0600, and a symlink in their place is refused.
What is written never holds personal data: the log calls in the code name kinds of things and
counts, never names, V-nummers, BSNs, answers or free texts; and tracebacks are written without the
exception messages (a database error quotes the values it was given, an OSError the file name, which
holds a V-nummer): only the exception's type, and its errno for an OSError, beside the stack.
"""

from __future__ import annotations

import errno as errno_names
import io
import logging
import os
import stat
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from app import __version__

LOG_FOLDER = "logs"
LOG_FILE = "wegwijs.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LEVEL_ENV = "WEGWIJS_LOG_LEVEL"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

_handler: _PrivateRotatingFileHandler | None = None


def log_folder(profile_dir: Path) -> Path:
    return profile_dir / LOG_FOLDER


def current_log_file() -> Path | None:
    """The file the log goes to now, or None before `configure_logging`."""
    return Path(_handler.baseFilename) if _handler is not None else None


def _private_folder(folder: Path) -> None:
    if folder.is_symlink():
        raise OSError(errno_names.ELOOP, "the log folder is a symbolic link")
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new profile folder is private too
    folder.mkdir(mode=0o700, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(folder, 0o700)


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created 0600 and never through a symlink."""

    def _open(self) -> io.TextIOWrapper:
        _private_folder(Path(self.baseFilename).parent)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW, 0o600)
        if hasattr(os, "fchmod"):
            mode = os.fstat(fd).st_mode
            if stat.S_IMODE(mode) != 0o600:
                os.fchmod(fd, 0o600)
        stream = os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
        assert isinstance(stream, io.TextIOWrapper)
        return stream

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's naming)
        """A log that cannot be written must not disturb the program (nor its stderr sentence)."""


def _scrubbed(exception: BaseException) -> str:
    """The type of an exception, with the errno of an OSError: never its message."""
    name = f"{type(exception).__module__}.{type(exception).__qualname__}"
    code = getattr(exception, "errno", None) if isinstance(exception, OSError) else None
    return f"{name} (errno {errno_names.errorcode.get(code, code)})" if code else name


class PrivateFormatter(logging.Formatter):
    """Formats tracebacks as the stack and the exception types, without their messages."""

    def formatException(  # noqa: N802 (logging's naming)
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    ) -> str:
        _type, value, tb = ei
        if value is None:
            return ""
        lines: list[str] = []
        seen: set[int] = set()
        current: BaseException | None = value
        chain: list[BaseException] = []
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            chain.append(current)
            current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        for index, exception in enumerate(reversed(chain)):
            if index:
                lines.append("which led to:")
            frames = traceback.extract_tb(exception.__traceback__ if exception is not value else tb)
            lines.append("Traceback (most recent call last):")
            lines.extend(line.rstrip("\n") for line in traceback.format_list(frames))
            lines.append(_scrubbed(exception))
        return "\n".join(lines)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's naming)
        return stack_info


def _level(default: int) -> int:
    named = logging.getLevelName(os.environ.get(LEVEL_ENV, "").strip().upper())
    return named if isinstance(named, int) else default


def configure_logging(profile_dir: Path, level: int = logging.WARNING) -> Path | None:
    """Send the `app` loggers to the profile's rotating log file (made at the first record); returns
    its path, or None when a symlink stands in the folder's place (then there is no log)."""
    global _handler
    folder = log_folder(profile_dir)
    path = folder / LOG_FILE
    level = _level(level)
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        logging.getLogger("app").setLevel(level)
        return path
    try:
        if folder.is_symlink() or path.is_symlink():
            return None
    except OSError:  # a profile folder this user may not look into: no log, and the command says why
        return None
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(PrivateFormatter(_FORMAT))
    logger = logging.getLogger("app")
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    logger.addHandler(handler)
    logger.setLevel(level)
    _handler = handler
    logger.info("Wegwijs %s started (pid %d)", __version__, os.getpid())
    return path


def stop_logging() -> None:
    """Close the log file (tests, and a profile that is closed)."""
    global _handler
    if _handler is not None:
        logging.getLogger("app").removeHandler(_handler)
        _handler.close()
        _handler = None
