"""The command line: ``sciatica-care assess | techniques | serve | worker | db upgrade | demo |
admin create | mail send``, defined in :mod:`sciatica_care.cli.commands` (``app``, imported
from here when first asked for).

Only Typer is imported up front; each command imports what it needs when it runs, so that
``assess --input`` starts fast and never loads the web stack, the database or rich. Of the
commands, only the one run is made into a click command (``cli/lazy.py``).

Run as the console script (:func:`main`), ``assess`` is a one-shot process: see :func:`main`.
"""

from __future__ import annotations

import gc
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sciatica_care.cli.commands import app as app


def __getattr__(name: str) -> object:
    """``app``, the Typer application, imported on first use (so :func:`main` can turn the
    collector off before Typer is imported)."""
    if name == "app":
        from sciatica_care.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point of the ``sciatica-care`` console script.

    ``assess`` answers once and ends, and most of its run is start-up (importing Typer and
    pydantic, building validators), so its process is run as one: the cyclic garbage collector
    is off from the start, before Typer is imported (nothing it makes is garbage before the
    end; the other commands turn it back on before they start), and once the answer or error
    is written and flushed the process exits with its code without tearing the interpreter
    down (freeing every module and object is work nobody sees), as mypy does.

    Every command run this way keeps pydantic plugins out (:func:`_without_pydantic_plugins`).
    """
    gc.disable()
    _without_pydantic_plugins()
    from sciatica_care.cli.commands import RUN, app

    RUN["own_process"] = True
    try:
        app()
    except SystemExit as done:
        if RUN["one_shot"] and (done.code is None or isinstance(done.code, int)):
            _exit_now(done.code or 0)
        raise


def _exit_now(code: int) -> None:
    """End the process with ``code`` once everything written is flushed; if flushing fails
    (a closed pipe), return, so the interpreter ends as it always does and reports it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


#: The module pydantic imports to find its plugins (``pydantic.plugin._schema_validator``
#: imports it before it builds each validator, and calls its ``get_plugins``).
PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def _without_pydantic_plugins() -> None:
    """Keep pydantic plugins out of this process, unless ``PYDANTIC_DISABLE_PLUGINS`` is set.

    Pydantic hands every value it validates to each plugin installed in the environment (entry
    point group "pydantic", such as observability tools that send what they see to a service):
    here that is assessments, diary entries and notes. So the console script's processes load
    none unless told to: ``PYDANTIC_DISABLE_PLUGINS`` set (even empty, pydantic's own "load
    them all") is left as it is. Otherwise the switch is set to ``__all__``, so worker processes
    the server starts inherit it, and, in this process, ``get_plugins`` is given the answer the
    switch gives (none) without pydantic's loader, which imports the entry-point machinery
    (``importlib.metadata``, with email, zipfile and csv: about 10 ms of a 150 ms ``assess``).
    A loader already imported is left alone: it reads the switch on each call.
    """
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        return
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    if PYDANTIC_PLUGIN_LOADER not in sys.modules:
        loader = ModuleType(PYDANTIC_PLUGIN_LOADER, _without_pydantic_plugins.__doc__)
        loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[PYDANTIC_PLUGIN_LOADER] = loader


def _no_plugins() -> tuple[()]:
    """What pydantic's ``get_plugins`` returns when ``PYDANTIC_DISABLE_PLUGINS`` is ``__all__``."""
    return ()
