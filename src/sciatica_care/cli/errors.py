"""How the command line reports a problem: one line on stderr, an exit code, no traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

BAD_INPUT = 2


def fail(message: str, *, code: int = BAD_INPUT) -> NoReturn:
    """Print ``error: message`` as one line on stderr and exit with ``code``."""
    line = " ".join(message.split())
    sys.stderr.write(f"error: {line}\n")
    sys.stderr.flush()
    raise typer.Exit(code)
