"""The message catalogs: up to date with the code, every Korean message translated (not empty,
not fuzzy, same placeholders), and the compiled catalog made from the current one."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from sciatica_care.i18n import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_exactly_the_words_marked_in_the_code(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-o",
            str(extracted),
            "--no-location",
            "--omit-header",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            str(ROOT / "src" / "sciatica_care"),
        ]
    )
    committed = read(LOCALE_DIR / "messages.pot")
    new, gone = ids(read(extracted)) - ids(committed), ids(committed) - ids(read(extracted))
    assert not new and not gone, (
        f"run `make i18n`: new {sorted(map(str, new))[:5]}, gone {sorted(map(str, gone))[:5]}"
    )


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_every_language_translates_every_message_with_the_same_placeholders() -> None:
    template = ids(read(LOCALE_DIR / "messages.pot"))
    for language in set(LANGUAGES) - {"en"}:
        catalog = read(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", language)
        assert ids(catalog) == template, f"{language}: run `make i18n`"
        for message in catalog:
            if not message.id:
                continue
            where = f"{language}: {message.id!r}"
            assert not message.fuzzy, f"{where} is fuzzy"
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(s and s.strip() for s in strings), f"{where} is not translated"
            for string in strings:
                assert placeholders(string) == placeholders(sources[-1]), where


def test_the_compiled_catalogs_are_made_from_the_current_ones() -> None:
    for language in set(LANGUAGES) - {"en"}:
        folder = LOCALE_DIR / language / "LC_MESSAGES"
        source = read(folder / "messages.po", language)
        with (folder / "messages.mo").open("rb") as handle:
            compiled = read_mo(handle)
        assert {_key(m.id): _key(m.string) for m in source if m.id} == {
            _key(m.id): _key(m.string) for m in compiled if m.id
        }, f"{language}: run `make i18n` (pybabel compile)"


def _key(value: object) -> object:
    """A message's id or string as a dict key (a plural's comes back from the .mo as a list)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value
