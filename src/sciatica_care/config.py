"""Settings, declared once: typed, defaulted, documented in the README, loud when wrong.

Every setting is read from an environment variable named ``SCIATICA_CARE_<NAME>``. Secrets may
also be read from a file named by ``SCIATICA_CARE_<NAME>_FILE`` (for container secrets).
"""

from __future__ import annotations

import os
import secrets
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "SCIATICA_CARE_"
PLACEHOLDER_SECRETS = frozenset({"", "changethis", "change-me", "changeme", "secret", "dev"})
MIN_SECRET_LENGTH = 32
RATE_PATTERN = r"^[1-9][0-9]{0,8}/(second|minute|hour|day)$"
DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message names the environment variable."""


def default_data_dir() -> Path:
    """Where a single-user install keeps its SQLite file and generated secret."""
    return Path(user_data_dir("sciatica-care", appauthor=False))


class Settings(BaseSettings):
    """The application's settings. Each field is documented in README.md under "Settings"."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    environment: Literal["development", "production", "test"] = Field(
        default="development",
        description="development generates a secret key; production refuses to start without one",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="folder for the default SQLite database and the generated development secret",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: SQLite file sciatica-care.db in the data dir",
    )
    secret_key: SecretStr | None = Field(
        default=None, description="signs CSRF tokens; at least 32 characters"
    )
    secret_key_file: Path | None = Field(
        default=None, description="file holding the secret key (instead of secret_key)"
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="a session unused this long is signed out (ASVS L2: 30)"
    )
    session_max_hours: int = Field(
        default=12, ge=1, description="a session ends this long after sign-in (ASVS L2: 12)"
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="auto: cookies are Secure when the request came over TLS (https)",
    )
    public_base_url: str = Field(
        default=DEVELOPMENT_BASE_URL,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="the address people reach the app at; links sent out (invitations) use it",
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="failed sign-ins for one email before it is throttled"
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="the window the failures are counted in, and the wait"
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed; empty: the client address is the connection's peer",
    )
    rate_limit_sign_in: str = Field(
        default="10/minute",
        pattern=RATE_PATTERN,
        description="sign-ins, sign-ups and every other form that checks or sets a password or "
        "mails a link (each costs an argon2 hash or a mail), per client address",
    )
    rate_limit_sign_in_all: str = Field(
        default="300/minute",
        pattern=RATE_PATTERN,
        description="the same (sign-ins, sign-ups, password forms) from all addresses together",
    )
    rate_limit_assessment: str = Field(
        default="60/minute",
        pattern=RATE_PATTERN,
        description="assessment evaluations (wizard, early triage, brief, API) per client address",
    )
    rate_limit_export: str = Field(
        default="10/minute", pattern=RATE_PATTERN, description="data exports per client address"
    )
    rate_limit_report: str = Field(
        default="20/minute",
        pattern=RATE_PATTERN,
        description="doctor's reports (each PDF costs CPU) and clinician-link opens per client "
        "address",
    )
    rate_limit_slots: str = Field(
        default="60/minute",
        pattern=RATE_PATTERN,
        description="free-slot searches (a therapist's profile page and API, and their slots) "
        "per client address",
    )
    rate_limit_booking: str = Field(
        default="30/minute",
        pattern=RATE_PATTERN,
        description="bookings made (each checks the therapist's diary under its lock) per client "
        "address",
    )
    rate_limit_series: str = Field(
        default="30/minute",
        pattern=RATE_PATTERN,
        description="recurring-series previews and creations (each checks every date against the "
        "diary) per client address",
    )
    rate_limit_calendar: str = Field(
        default="60/minute",
        pattern=RATE_PATTERN,
        description="calendar feed fetches and .ics downloads (each builds a calendar) per "
        "client address",
    )
    rate_limit_counts: Literal["shared", "process"] = Field(
        default="shared",
        description="where the rate limits count: shared by every app process (SQLite: a file "
        "beside the database; PostgreSQL: a table every machine shares), or in each process "
        "(N processes then allow N times each limit)",
    )
    password_hash_slots: int = Field(
        default=2, ge=1, le=256, description="password hashes that may run at once, per process"
    )
    password_hash_wait_seconds: int = Field(
        default=5, ge=0, le=60, description="how long a sign-in waits for a slot before 503"
    )
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="SQLite only: full syncs every commit to disk before acknowledging it "
        "(survives a power cut; commits waiting for a sync share the next one); "
        "normal syncs at checkpoints (survives a killed app, not a power cut; faster writes)",
    )
    workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="app processes `serve` starts; 0: the number of cores for PostgreSQL, "
        "for SQLite the number of cores up to 2",
    )
    request_threads: int = Field(
        default=4,
        ge=1,
        le=256,
        description="threads per app process that run the request handlers (their database "
        "work and rendering); more threads than a few per core add switching, not speed",
    )
    kept_minutes: int = Field(
        default=15,
        ge=1,
        le=1440,
        description="minutes after which each app process lets go of all it kept in memory "
        "from records (the dashboard's and the client list's kept reads): an erasure empties "
        "them at once in the process that serves it, and in the others within this time",
    )
    migrate_on_start: bool = Field(
        default=True, description="run database migrations when the app starts"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="log level; logs never hold health data"
    )
    emergency_number: str = Field(
        default="999",
        pattern=r"^\+?[0-9]{2,15}$",
        description="the emergency telephone number shown (and dialled by tap-to-call) at triage",
    )

    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (TLS); "
        "smtp+insecure://host:port (no TLS, refused in production); "
        "unset: emails are written to files in the data dir",
    )
    mail_from: str = Field(
        default="Sciatica Care <no-reply@localhost>",
        max_length=320,
        description="the From address of emails",
    )
    password_reset_minutes: int = Field(
        default=30, ge=5, le=24 * 60, description="how long a password reset link works"
    )
    email_verification_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="how long an email verification link works"
    )
    embedded_worker: bool = Field(
        default=True,
        description="sciatica-care serve runs the background worker (reminders, agenda, mail) "
        "in a thread beside the web app; turn off when a separate sciatica-care worker runs",
    )
    job_queue_file: Path | None = Field(
        default=None,
        description="the worker's job queue (a SQLite file, one per host); "
        "default: jobs.db in the data dir",
    )

    def resolved_job_queue_file(self) -> Path:
        """The worker's SQLite job queue file (its folder made private if made here)."""
        if self.job_queue_file is not None:
            return self.job_queue_file
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.data_dir / "jobs.db"

    @model_validator(mode="after")
    def _no_plain_smtp_in_production(self) -> Settings:
        url = self.smtp_url.get_secret_value() if self.smtp_url is not None else ""
        if self.environment == "production" and url.startswith("smtp+insecure:"):
            raise ValueError(
                f"{ENV_PREFIX}SMTP_URL: smtp+insecure:// (mail without TLS) is refused "
                "in production"
            )
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        _networks(value)
        return value

    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """The trusted proxies as networks (a single address is a /32 or /128)."""
        return _networks(self.trusted_proxies)

    @model_validator(mode="after")
    def _one_secret_source(self) -> Settings:
        if self.secret_key is not None and self.secret_key_file is not None:
            raise ValueError(f"set {ENV_PREFIX}SECRET_KEY or {ENV_PREFIX}SECRET_KEY_FILE, not both")
        return self

    def resolved_public_base_url(self) -> str:
        """The public base URL (no trailing /); refuses the development default in production."""
        if self.environment == "production" and self.public_base_url == DEVELOPMENT_BASE_URL:
            raise SettingsError(
                f"{ENV_PREFIX}PUBLIC_BASE_URL must be set in production "
                "(the address people reach the app at, e.g. https://care.example.org)"
            )
        return self.public_base_url.rstrip("/")

    def public_url(self, path: str) -> str:
        """``path`` (starting with /) under the public base URL."""
        return self.resolved_public_base_url() + path

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir (created if needed)."""
        if self.database_url:
            return self.database_url
        # Only the owner may enter a data dir made here: it holds the database and secrets.
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'sciatica-care.db'}"

    def resolved_secret_key(self) -> str:
        """The secret key; refuses a missing or placeholder one outside development.

        In development a random key is generated once and kept in the data dir.
        """
        key: str | None = None
        if self.secret_key_file is not None:
            try:
                key = self.secret_key_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(
                    f"{ENV_PREFIX}SECRET_KEY_FILE: cannot read {self.secret_key_file}: {exc}"
                ) from None
        elif self.secret_key is not None:
            key = self.secret_key.get_secret_value().strip()
        if key is not None and key.lower() not in PLACEHOLDER_SECRETS:
            if len(key) < MIN_SECRET_LENGTH:
                raise SettingsError(
                    f"{ENV_PREFIX}SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"
                )
            return key
        if self.environment != "development":
            raise SettingsError(
                f"{ENV_PREFIX}SECRET_KEY (or {ENV_PREFIX}SECRET_KEY_FILE) must be set to a random "
                f"value of at least {MIN_SECRET_LENGTH} characters when "
                f"{ENV_PREFIX}ENVIRONMENT={self.environment}"
            )
        return _development_secret(self.data_dir)


def _networks(text: str) -> tuple[IPv4Network | IPv6Network, ...]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return tuple(ip_network(part, strict=False) for part in parts)


def _development_secret(data_dir: Path) -> str:
    """Generate a secret once per data dir, readable only by its owner."""
    path = data_dir / "secret-key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (overrides win); a wrong value names its variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{ENV_PREFIX}{'_'.join(str(p) for p in e['loc']).upper() or 'SETTINGS'}: {e['msg']}"
            for e in exc.errors()
        )
        raise SettingsError(problems) from None


def setting_env_names() -> list[str]:
    """Every environment variable the settings read (for the documentation test)."""
    names = [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]
    return names
