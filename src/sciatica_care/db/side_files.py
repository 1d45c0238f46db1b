"""Files kept beside a SQLite database file (the writers' lock file, the rate limits' counts),
made as SQLite makes its ``-wal`` file: with the database file's mode whatever the umask, and,
when made by root (an upgrade by hand), with the service's owner, or the service could not open
them."""

from __future__ import annotations

import contextlib
import os


def open_beside(path: str, database_file: str | None) -> int:
    """``path`` opened for reading and writing (a descriptor the caller closes); made like
    ``database_file`` (owner-only without it) if it is not there yet. OSError when it can be
    neither opened nor made."""
    flags = os.O_RDWR | os.O_CLOEXEC
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        pass
    try:
        like = os.stat(database_file) if database_file else None
    except OSError:
        like = None
    mode = like.st_mode & 0o666 if like is not None else 0o600
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:  # another process made it first
        return os.open(path, flags)
    with contextlib.suppress(OSError):
        os.fchmod(fd, mode)
        if like is not None and os.geteuid() == 0 and like.st_uid != 0:
            os.fchown(fd, like.st_uid, like.st_gid)
    return fd
