"""A Typer group that makes only the subcommand asked for.

Typer turns an app into a click group each time it runs (``typer.main.get_command``): it
inspects the signature of every command and sub-app and builds each of their parameters,
though a run uses one. :class:`LazyGroup` is the click-documented way round it (a group whose
``get_command`` makes the command it is asked for): its subcommands are defined on a second
Typer app, :attr:`LazyGroup.source`, and each is made by Typer's own functions, with the
settings Typer itself would pass, the first time it is looked up. Help (which lists every
command), errors and "did you mean" suggestions read the same as with Typer's eager group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import MarkupMode, TyperGroup
from typer.main import get_command_from_info, get_command_name, get_group_from_info

if TYPE_CHECKING:
    from typer._click import Command  # Typer's own copy of click


class LazyCommands(MutableMapping[str, "Command"]):
    """The commands, then the sub-apps, of ``source`` by name (Typer's order), each made into
    a click command when first looked up."""

    def __init__(
        self,
        source: typer.Typer,
        *,
        pretty_exceptions_short: bool,
        rich_markup_mode: MarkupMode,
        suggest_commands: bool,
    ) -> None:
        self._make: dict[str, Callable[[], Command]] = {}
        self._made: dict[str, Command] = {}
        for info in source.registered_commands:
            assert info.callback is not None, "a command needs a function"
            name = info.name or get_command_name(info.callback.__name__)
            self._make[name] = partial(
                get_command_from_info,
                info,
                pretty_exceptions_short=pretty_exceptions_short,
                rich_markup_mode=rich_markup_mode,
            )
        for group in source.registered_groups:
            if not isinstance(group.name, str) or not group.name:
                raise TypeError("a sub-app added to a lazy group needs an explicit name")
            self._make[group.name] = partial(
                get_group_from_info,
                group,
                pretty_exceptions_short=pretty_exceptions_short,
                rich_markup_mode=rich_markup_mode,
                suggest_commands=suggest_commands,
            )

    def __getitem__(self, name: str) -> Command:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = self._make[name]()
        return made

    def __setitem__(self, name: str, command: Command) -> None:
        self._make.setdefault(name, lambda: command)
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._make[name]
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._make)

    def __len__(self) -> int:
        return len(self._make)


class LazyGroup(TyperGroup):
    """The group of a Typer app with only a callback (``typer.Typer(cls=...)``), whose
    subcommands are those of :attr:`source`, made one by one when looked up."""

    #: The Typer app that holds the subcommands (set by a subclass).
    source: ClassVar[typer.Typer]

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(
            self.source,
            pretty_exceptions_short=self.source.pretty_exceptions_short,
            rich_markup_mode=self.rich_markup_mode,
            suggest_commands=self.suggest_commands,
        )
