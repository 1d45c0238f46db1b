"""The commands of ``sciatica-care`` (``app``; the console script is
:func:`sciatica_care.cli.main`).

The root app holds the global options; the commands are defined on :data:`subcommands` and
made into click commands only when looked up (:mod:`sciatica_care.cli.lazy`), so a run builds
the parameters of the one command it runs.
"""

from __future__ import annotations

import gc
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from sciatica_care.cli.errors import fail
from sciatica_care.cli.language import LANGUAGE_ENV, Language, choose
from sciatica_care.cli.lazy import LazyGroup

subcommands = typer.Typer()
db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)
subcommands.add_typer(db_app, name="db")
admin_app = typer.Typer(help="Manage admin accounts.", no_args_is_help=True)
subcommands.add_typer(admin_app, name="admin")
mail_app = typer.Typer(help="Send the waiting emails.", no_args_is_help=True)
subcommands.add_typer(mail_app, name="mail")


class _Group(LazyGroup):
    source = subcommands


app = typer.Typer(
    name="sciatica-care",
    help="Safe, evidence-honest massage guidance for sciatica.",
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DATABASE_URL_ENV = "SCIATICA_CARE_DATABASE_URL"
#: How this process runs the command line: ``own_process`` when it is the console script
#: (:func:`sciatica_care.cli.main`), not a program that calls ``app`` (the tests' CliRunner);
#: ``one_shot`` once ``assess`` runs in it.
RUN = {"own_process": False, "one_shot": False}


def _lang_option(default: Language | None) -> Any:
    """The ``--lang`` option (the global one reads ``SCIATICA_CARE_LANG`` too)."""
    return typer.Option(
        default,
        "--lang",
        envvar=LANGUAGE_ENV if default is not None else None,
        help="The language of the answer: en (English) or ko (Korean; clinical texts "
        "translated, not yet reviewed by a Korean clinician).",
        case_sensitive=False,
    )


def _database_url_option() -> Any:
    """The ``--database-url`` option (reads ``SCIATICA_CARE_DATABASE_URL`` too)."""
    return typer.Option(
        None,
        help="SQLAlchemy URL; default: a SQLite file in the user data folder.",
        envvar=DATABASE_URL_ENV,
    )


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _print_version(value: bool) -> None:
    if not value:
        return
    from sciatica_care import __version__, knowledge_version

    typer.echo(f"sciatica-care {__version__} (knowledge base {knowledge_version()})")
    raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the package and knowledge-base versions, then exit.",
        callback=_print_version,
        is_eager=True,
    ),
    lang: Language = _lang_option(Language.en),
) -> None:
    """Safe, evidence-honest massage guidance for sciatica."""
    if ctx.invoked_subcommand != "assess":
        gc.enable()  # main() turned it off for assess; the other commands may run for long
    choose(lang.value)


@subcommands.command()
def assess(
    input: str | None = typer.Option(
        None,
        "--input",
        "-i",
        help="Read the assessment from this JSON file ('-' for stdin) instead of asking.",
    ),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output."),
    brief: bool = typer.Option(False, "--brief", help="Print the therapist brief instead."),
    save: Path | None = typer.Option(None, "--save", help="Also save the answers to this file."),
    lang: Language | None = _lang_option(None),
) -> None:
    """Assess sciatica: safety first, then a massage and self-care plan.

    Without --input, asks the questions in the terminal. Bad input exits with code 2.
    """
    from sciatica_care.cli.assess import assess_file, assess_interactively

    if RUN["own_process"]:
        RUN["one_shot"] = True
    choose(lang.value if lang else None)

    if input is None:
        assess_interactively(fmt=format.value, brief=brief, save=save)
    else:
        assess_file(input, fmt=format.value, brief=brief, save=save)


@subcommands.command()
def techniques(
    technique: str | None = typer.Argument(None, metavar="[ID]", help="Show this technique."),
    lang: Language | None = _lang_option(None),
) -> None:
    """List the five massage techniques, or show one in full with its sources."""
    from sciatica_care.cli.techniques import list_techniques, show_technique

    choose(lang.value if lang else None)

    if technique is None:
        list_techniques()
    else:
        show_technique(technique)


@subcommands.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    database_url: str | None = _database_url_option(),
    demo: bool = typer.Option(False, "--demo", help="Load demo accounts and data first."),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=64,
        help="App processes (default: SCIATICA_CARE_WORKERS, else one per core for "
        "PostgreSQL, and for SQLite one per core up to 2).",
    ),
) -> None:
    """Run the web application."""
    from sciatica_care.config import SettingsError

    try:
        from sciatica_care.web.server import run
    except ImportError as exc:
        fail(f"the web server is not available ({exc})", code=1)
    try:
        run(host=host, port=port, database_url=database_url, demo=demo, workers=workers)
    except SettingsError as exc:  # a setting named, as the other commands say it
        fail(str(exc), code=2)


@subcommands.command()
def worker(
    database_url: str | None = _database_url_option(),
) -> None:
    """Run the background worker (reminders, daily agenda, mail) until interrupted.

    Use it when the web app runs with SCIATICA_CARE_EMBEDDED_WORKER=false, e.g. on PostgreSQL.
    """
    from sciatica_care.config import SettingsError, load_settings
    from sciatica_care.worker.runner import run_worker

    overrides: dict[str, object] = {"database_url": database_url} if database_url else {}
    try:
        settings = load_settings(**overrides)
        typer.echo("Background worker: running (reminders, agenda, mail); Ctrl-C stops it")
        run_worker(settings)
    except SettingsError as exc:
        fail(str(exc), code=2)


@db_app.command("upgrade")
def db_upgrade(
    database_url: str | None = _database_url_option(),
) -> None:
    """Create or upgrade the database schema to the latest version."""
    try:
        from sciatica_care.db.migrate import upgrade
    except ImportError as exc:
        fail(f"database migrations are not available ({exc})", code=1)
    upgrade(database_url)


@subcommands.command()
def demo(
    database_url: str | None = _database_url_option(),
) -> None:
    """Load demo accounts and data, and print how to sign in."""
    try:
        from sciatica_care.services.demo import load_demo
    except ImportError as exc:
        fail(f"demo data is not available ({exc})", code=1)
    accounts = load_demo(database_url)
    typer.echo("Demo accounts (role, email, password):")
    for role, email, password in accounts:
        typer.echo(f"  {role:<10} {email:<32} {password}")


@admin_app.command("create")
def admin_create(
    email: str = typer.Option(..., "--email", help="The admin's email address."),
    display_name: str = typer.Option("", "--name", help="The admin's name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from one line of stdin (scripts)."
    ),
    database_url: str | None = _database_url_option(),
) -> None:
    """Create an admin account; asks for the password twice without showing it."""
    from sciatica_care.cli.admin import create_admin, read_password

    password = read_password(from_stdin=password_stdin)
    user_id = create_admin(
        email=email, display_name=display_name, password=password, database_url=database_url
    )
    typer.echo(f"admin {user_id} created")


@mail_app.command("send")
def mail_send() -> None:
    """Deliver the emails waiting in the outbox (SMTP, or files in the data dir)."""
    from sciatica_care.config import load_settings
    from sciatica_care.db.engine import Database
    from sciatica_care.notifications.outbox import deliver_pending

    settings = load_settings()
    database = Database(settings.resolved_database_url())
    try:
        with database.session() as db:
            sent = deliver_pending(db, settings=settings)
    finally:
        database.dispose()
    typer.echo(f"{sent} sent")
