"""Fill a message catalog from translations kept as JSON (the form translators hand back).

    python tools/po_fill.py src/sciatica_care/locale/ko/LC_MESSAGES/messages.po part.json ...

Each JSON file maps an English message (the msgid, as in messages.pot) to its translation; a
plural message maps its singular to a list of forms; a message with a context (pgettext) is
keyed "context\u0004message", as gettext stores it. Later files win. Messages the catalog
does not have are reported and skipped (the code no longer says them); run ``make i18n``
afterwards to compile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(po_path: Path, parts: list[Path]) -> tuple[int, list[str]]:
    """Fill ``po_path`` from ``parts``; return how many messages were set and the unknown ones."""
    wanted: dict[str, str | list[str]] = {}
    for part in parts:
        wanted.update(json.loads(part.read_text(encoding="utf-8")))
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    known: set[str] = set()
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
        if message.context:
            key = f"{message.context}\x04{key}"
        known.add(key)
        if key in wanted:
            value = wanted[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            filled += 1
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return filled, sorted(set(wanted) - known)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    filled, unknown = fill(Path(argv[0]), [Path(a) for a in argv[1:]])
    print(f"{filled} messages filled; {len(unknown)} not in the catalog")
    for key in unknown[:20]:
        print(f"  not in the catalog: {key[:70]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
