"""The console script keeps pydantic plugins out of its processes (they would be handed every
assessment it validates) unless ``PYDANTIC_DISABLE_PLUGINS`` says otherwise, and it does so
without importing pydantic's entry-point loader."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_care.cli import PYDANTIC_PLUGIN_LOADER, _no_plugins
from tests.conftest import baseline

SPY = """
from pathlib import Path
import os


class Spy:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        Path(os.environ["SPY_SAW"]).write_text("validated " + path.name)
        return None, None, None


plugin = Spy()
"""


@pytest.fixture
def installed_plugin(tmp_path: Path) -> dict[str, str]:
    """An environment in which a pydantic plugin is installed (a distribution with an entry
    point in the "pydantic" group), which writes to a file when it is handed a validator."""
    site = tmp_path / "site"
    info = site / "spy_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    (site / "spy_plugin.py").write_text(SPY)
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    path = [str(site), env.get("PYTHONPATH", "")]
    env |= {
        "PYTHONPATH": os.pathsep.join(p for p in path if p),
        "SPY_SAW": str(tmp_path / "saw"),
        "SCIATICA_CARE_CACHE_DIR": str(tmp_path / "cache"),
    }
    (tmp_path / "assessment.json").write_text(json.dumps(baseline()))
    return env


def console_script(env: dict[str, str], tmp_path: Path, *flags: str) -> str:
    """Run ``sciatica-care assess -i FILE`` as the console script does; its import log."""
    script = "from sciatica_care.cli import main; main()"
    answers = str(tmp_path / "assessment.json")
    done = subprocess.run(
        [sys.executable, *flags, "-c", script, "assess", "-i", answers, "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["triage"]["level"]
    return done.stderr


def test_an_installed_plugin_is_not_handed_the_assessment(
    installed_plugin: dict[str, str], tmp_path: Path
) -> None:
    imported = console_script(installed_plugin, tmp_path, "-X", "importtime")
    assert not (tmp_path / "saw").exists()
    assert "importlib.metadata" not in imported


def test_an_explicit_switch_is_obeyed_even_empty(
    installed_plugin: dict[str, str], tmp_path: Path
) -> None:
    # Empty is pydantic's "load them all": the plugin is then found and used (which also shows
    # the test above would see a plugin that was loaded).
    console_script(installed_plugin | {"PYDANTIC_DISABLE_PLUGINS": ""}, tmp_path)
    assert (tmp_path / "saw").read_text().startswith("validated ")
    (tmp_path / "saw").unlink()
    console_script(installed_plugin | {"PYDANTIC_DISABLE_PLUGINS": "spy"}, tmp_path)
    assert not (tmp_path / "saw").exists()


def test_the_stand_in_answers_what_pydantics_loader_answers_when_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pinned pydantic: if an upgrade changes the loader's function, this fails first.
    real = importlib.import_module(PYDANTIC_PLUGIN_LOADER)
    assert not inspect.signature(real.get_plugins).parameters
    assert not inspect.signature(_no_plugins).parameters
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert tuple(real.get_plugins()) == _no_plugins() == ()
