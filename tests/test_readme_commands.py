"""The README's two commands are what CI runs, and they install from the lock files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("readme_commands",
                                               ROOT / "tools" / "readme_commands.py")
assert _spec and _spec.loader
readme_commands = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_commands)


def test_the_readme_has_exactly_the_two_commands() -> None:
    found = readme_commands.commands()
    assert set(found) == {"serve", "test"}
    assert found["serve"].endswith("kb serve")
    assert found["test"].endswith("python -m pytest")


def test_both_commands_install_from_the_lock_with_the_stock_pip() -> None:
    found = readme_commands.commands()
    for name, lock in (("serve", "runtime.lock"), ("test", "dev.lock")):
        cmd = found[name]
        assert cmd.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
        assert f"pip install -r requirements/{lock}" in cmd
        assert "pip install --no-deps -e ." in cmd  # the project itself, nothing unlocked
        assert "--upgrade" not in cmd and "install pip" not in cmd
        assert "\n" not in cmd


def test_ci_runs_the_commands_read_from_the_readme() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 tools/readme_commands.py check-serve" in ci
    assert '"$(python3 tools/readme_commands.py test)"' in ci
    assert "pip install --quiet --upgrade pip" not in ci  # the stock pip, as users have it
    for line in ci.splitlines():  # CI installs nothing into .venv beside the README's commands
        assert not (".venv/bin/pip install" in line and ".venv-latest" not in line), line
