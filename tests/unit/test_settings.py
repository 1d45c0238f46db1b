"""Settings: documented in the README, loud when wrong, a real secret outside development."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sciatica_care.config import Settings, SettingsError, load_settings, setting_env_names

README = Path(__file__).parents[2] / "README.md"


def _read_by_the_code() -> list[str]:
    """Every ``SCIATICA_CARE_…`` variable the package names (some are read where loading the
    settings would cost too much: the command line's language, the knowledge-base copy)."""
    package = Path(__file__).parents[2] / "src" / "sciatica_care"
    found = {
        name
        for path in package.rglob("*.py")
        for name in re.findall(r"SCIATICA_CARE_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8"))
    }
    return sorted(found - {"SCIATICA_CARE_TEST_POSTGRES_URL"})  # the tests' own


@pytest.mark.parametrize("name", sorted({*setting_env_names(), *_read_by_the_code()}))
def test_every_setting_is_documented_in_the_readme(name: str) -> None:
    settings_section = README.read_text(encoding="utf-8").split("## Settings", 1)[-1]
    assert f"`{name}`" in settings_section


@pytest.mark.parametrize(
    ("name", "field", "given"),
    [
        ("SCIATICA_CARE_REQUEST_THREADS", "request_threads", 6),
        ("SCIATICA_CARE_KEPT_MINUTES", "kept_minutes", 60),
    ],
)
def test_a_count_comes_from_the_environment_and_zero_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, field: str, given: int
) -> None:
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, str(given))
    assert getattr(load_settings(), field) == given
    monkeypatch.setenv(name, "0")
    with pytest.raises(SettingsError, match=name):
        load_settings()


def test_a_wrong_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCIATICA_CARE_SESSION_IDLE_MINUTES", "soon")
    with pytest.raises(SettingsError, match="SCIATICA_CARE_SESSION_IDLE_MINUTES"):
        load_settings()


def test_production_refuses_a_missing_secret(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path)
    with pytest.raises(SettingsError, match="SCIATICA_CARE_SECRET_KEY"):
        settings.resolved_secret_key()


def test_production_refuses_a_placeholder_secret(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path, secret_key="changethis")  # type: ignore[arg-type]
    with pytest.raises(SettingsError):
        settings.resolved_secret_key()


def test_a_short_secret_is_refused(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path, secret_key="x" * 10)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="at least 32"):
        settings.resolved_secret_key()


def test_the_secret_can_come_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text("k" * 40 + "\n")
    settings = Settings(environment="production", data_dir=tmp_path, secret_key_file=path)
    assert settings.resolved_secret_key() == "k" * 40


def test_development_generates_one_secret_and_keeps_it(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).resolved_secret_key()
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0


def test_the_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    url = Settings(data_dir=tmp_path / "d").resolved_database_url()
    assert url == f"sqlite:///{tmp_path / 'd' / 'sciatica-care.db'}"
