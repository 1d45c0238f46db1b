"""The validated knowledge base kept on disk between runs, so that a start skips the YAML.

Reading and validating the data files is most of what ``sciatica-care assess`` does at start-up.
Once they have been validated, the knowledge base (before its conditions are compiled) is
pickled into the user's cache folder under a key: the sha256 of the data files' bytes, the
language, the package, Python and pydantic versions and the code that reads and validates the
files. A copy is used only when its key is the key of the files and code as they are now;
anything else (no copy, another key, a damaged file) means the files are read and validated
again, and a fresh copy is written. Writing is best-effort: a read-only or full disk only
means the next start reads the YAML too.

Beside it, the functions generated from the knowledge base's conditions when it is first used
(``domain/rule_code.py``) are kept compiled (:func:`read_code`, :func:`write_code`), each under
the exact source text it was compiled from, for the Python that compiled it.

``SCIATICA_CARE_CACHE_DIR`` chooses the folder; set to an empty value, nothing is kept.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
from pathlib import Path
from types import CodeType

import pydantic_core

import sciatica_care

CACHE_ENV = "SCIATICA_CARE_CACHE_DIR"
#: The first line of every copy; a new layout changes it.
MAGIC = b"sciatica-care validated knowledge base 1\n"
#: The first line of the kept compiled rule code, then the Python it is for.
CODE_MAGIC = b"sciatica-care compiled rule code 1\n"
CODE_FILE = "rule-code.marshal"
_PACKAGE = Path(sciatica_care.__file__).parent
#: The code a copy depends on: the models, the vocabulary and the reading and validation.
_CODE = (
    "domain/kb.py",
    "domain/vocabulary.py",
    "knowledge/loader.py",
    "knowledge/translations.py",
    "knowledge/cache.py",
)


def cache_dir() -> Path | None:
    """Where copies are kept: ``SCIATICA_CARE_CACHE_DIR``, else the user's cache folder
    (None: keep nothing)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    if not os.path.isabs(base):  # no home (a service account): keep nothing
        return None
    return Path(base) / "sciatica-care"


def key(data_digest: bytes, language: str) -> str:
    """The key of a copy of the knowledge base in ``language`` made from files whose sha256 is
    ``data_digest``, by this code."""
    from pydantic.version import VERSION

    digest = hashlib.sha256(MAGIC + data_digest)
    for part in (language, sciatica_care.__version__, sys.version, VERSION):
        digest.update(part.encode() + b"\0")
    digest.update(pydantic_core.__version__.encode() + b"\0")
    for name in _CODE:
        try:
            digest.update((_PACKAGE / name).read_bytes() + b"\0")
        except OSError:  # pragma: no cover - installed without its sources
            digest.update(b"?\0")
    return digest.hexdigest()


def _path(folder: Path, language: str) -> Path:
    # One copy per language: a new one replaces a stale one instead of piling up beside it.
    return folder / f"knowledge-{language}.pickle"


def _only_mine(path: Path) -> bool:
    """Whether only this user can have written ``path`` and its folder: owned by them and not
    writable by their group or others. A kept copy is unpickled, which runs code, so a copy
    anybody else could have put there is never read (it is made again, best-effort)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no owners to compare (Windows): keep no copy
        return False
    try:
        for where in (path.parent, path):
            facts = where.stat()
            if facts.st_uid != getuid() or facts.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def read(folder: Path, language: str, copy_key: str) -> object | None:
    """The object kept under ``copy_key``, or None when there is none, it was made from other
    files or code, it cannot be read, or someone else could have written it."""
    path = _path(folder, language)
    if not _only_mine(path):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = MAGIC + copy_key.encode() + b"\n"
    if not data.startswith(header):
        return None
    try:
        kept: object = pickle.loads(data[len(header) :])
    except Exception:  # a damaged copy is made again
        return None
    return kept


def write(folder: Path, language: str, copy_key: str, pickled: bytes) -> None:
    """Keep ``pickled`` under ``copy_key`` (atomically; private to the user; best-effort)."""
    import tempfile

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".knowledge-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + copy_key.encode() + b"\n" + pickled)
            os.replace(temporary, _path(folder, language))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


def _code_header() -> bytes:
    # Compiled code is for one Python only (its bytecode and marshal format).
    return CODE_MAGIC + f"{sys.version}|{sys.implementation.cache_tag}|{marshal.version}\n".encode()


def read_code(folder: Path) -> dict[str, CodeType]:
    """The compiled rule code kept in ``folder`` (source key -> code), or nothing when there is
    none, it is for another Python, it cannot be read, or someone else could have written it
    (it is run, so only a copy only this user could have written is read)."""
    path = folder / CODE_FILE
    if not _only_mine(path):
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header = _code_header()
    if not data.startswith(header):
        return {}
    try:
        kept = marshal.loads(data[len(header) :])
    except Exception:  # a damaged copy is made again
        return {}
    if not isinstance(kept, dict) or not all(
        isinstance(k, str) and isinstance(v, CodeType) for k, v in kept.items()
    ):
        return {}
    return kept


def write_code(folder: Path, compiled: dict[str, CodeType]) -> None:
    """Keep ``compiled`` in ``folder`` (atomically; private to the user; best-effort)."""
    import tempfile

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rule-code-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_code_header() + marshal.dumps(compiled))
            os.replace(temporary, folder / CODE_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):  # ValueError: marshal cannot write it
        return
