"""Static files with content-hashed names, cached for a year by browsers.

Every file under ``web/static`` is hashed once, when the app starts (a few dozen small files).
``static_url('css/site.css')`` gives ``/static/css/site.<hash>.css``: the hash is of the file's
bytes, so a changed file has a new address and a hashed address can be cached "immutable" for a
year. The plain name (``/static/css/site.css``, as the web manifest and old bookmarks use) is
served too, revalidated on every use (``no-cache``, with its ETag). A hashed name whose hash is
not the file's (a page cached before the file changed) gets the current file, also ``no-cache``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)$")


def content_hash(data: bytes) -> str:
    """The first characters of the SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


class StaticAssets:
    """The hash of every file under ``directory``, taken once (at construction)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hashes: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        if directory.is_dir():
            for file in sorted(directory.rglob("*")):
                if file.is_file():
                    name = file.relative_to(directory).as_posix()
                    self.hashes[name] = content_hash(file.read_bytes())

    def url(self, path: str) -> str:
        """The hashed address of a static file (the plain one for a file that is not there),
        worked out once per path (the hashes never change after start; every page asks for
        the same few addresses, eight on the dashboard)."""
        known = self.urls.get(path)
        if known is None:
            known = self.urls[path] = self._url(path)
        return known

    def _url(self, path: str) -> str:
        name = path.lstrip("/")
        digest = self.hashes.get(name)
        if digest is None:
            return f"/static/{name}"
        pure = PurePosixPath(name)
        return f"/static/{pure.with_name(f'{pure.stem}.{digest}{pure.suffix}')}"

    def resolve(self, path: str) -> tuple[str, bool]:
        """The file a requested path names, and whether the request named its current hash."""
        pure = PurePosixPath(path)
        match = _HASHED.match(pure.name)
        if match is None:
            return path, False
        name = str(pure.with_name(match["stem"] + match["suffix"]))
        if name not in self.hashes:  # a file whose own name looks hashed
            return path, False
        return name, self.hashes[name] == match["hash"]


class HashedStaticFiles(StaticFiles):
    """Serves ``assets`` by hashed or plain name, with the cache lifetime each deserves."""

    def __init__(self, assets: StaticAssets) -> None:
        super().__init__(directory=assets.directory)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        name, current = self.assets.resolve(path)
        response = await super().get_response(name, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
        return response
