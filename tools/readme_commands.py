#!/usr/bin/env python3
"""The README's two commands, read from the README itself, so CI runs exactly what users read.

Each command is the shell block that follows a marker line `<!-- readme-command: NAME -->`.

    python3 tools/readme_commands.py serve      print the command
    python3 tools/readme_commands.py test
    python3 tools/readme_commands.py check-serve
        run the serve command in its own process group (a fresh data directory), wait until
        it serves, require the three seed documents over HTTP, stop it with SIGTERM as a
        process manager would, and require that no process still holds the data directory.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKER = re.compile(r"<!-- readme-command: (?P<name>[a-z-]+) -->\s*```(?:bash|sh)\n(?P<cmd>.*?)```",
                    re.S)
READY_TIMEOUT = 900.0
"""Seconds the serve command may take from an empty venv: install, seed load, start."""


def commands(readme: Path = README) -> dict[str, str]:
    """Marker name -> the command text (one line, as a user copies it)."""
    found: dict[str, str] = {}
    for m in MARKER.finditer(readme.read_text(encoding="utf-8")):
        if m["name"] in found:
            raise SystemExit(f"{readme}: two commands marked {m['name']!r}")
        found[m["name"]] = m["cmd"].strip()
    return found


def _get(url: str, body: dict[str, object] | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _holder_alive(data_dir: Path) -> int | None:
    """The pid of a live embedded server recorded in the data directory, if any."""
    try:
        pid = int((data_dir / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def check_serve(command: str) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="kb-readme-"))
    env = {**os.environ, "KB_DATA_DIR": str(data_dir)}
    env.pop("NEO4J_URI", None)
    started = time.monotonic()
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, start_new_session=True)
    base = "http://127.0.0.1:8000"
    try:
        while True:
            if proc.poll() is not None:
                print(f"serve command exited with {proc.returncode} before serving")
                return 1
            if time.monotonic() - started > READY_TIMEOUT:
                print(f"serve command not ready after {READY_TIMEOUT:.0f} s")
                return 1
            try:
                if _get(f"{base}/health/ready")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(1)
        ready = time.monotonic() - started
        status, body = _get(f"{base}/graphql", {"query": "{ documents { totalCount } }"})
        count = json.loads(body)["data"]["documents"]["totalCount"] if status == 200 else None
        print(f"serving after {ready:.0f} s; documents: {count}")
        if count != 3:
            print("expected the three seed documents")
            return 1
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # what systemd and Docker send
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                print("serve command did not stop within 60 s of SIGTERM")
                return 1
    left = _holder_alive(data_dir)
    if left:
        print(f"the embedded store (pid {left}) is still running after SIGTERM")
        os.kill(left, signal.SIGKILL)
        return 1
    print(f"stopped by SIGTERM with exit code {proc.returncode}; no store left running")
    return 0 if proc.returncode == 0 else 1


def main(argv: list[str]) -> int:
    found = commands()
    if len(argv) != 1:
        print(__doc__)
        return 2
    if argv[0] == "check-serve":
        return check_serve(found["serve"])
    if argv[0] not in found:
        print(f"no command marked {argv[0]!r} in {README}")
        return 2
    print(found[argv[0]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
