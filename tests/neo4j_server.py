"""A real Neo4j 5.26 Community server for the tests, started without Docker.

tools/neo4j-server/Neo4jTestServer.java runs the embedded Neo4j DBMS with Bolt on 127.0.0.1
(a free port), auth on, and a modest heap and page cache. Its jars come from
tools/neo4j-server/pom.xml through Maven, once, into tools/neo4j-server/lib/ (git-ignored), or
from the folder named by KB_NEO4J_JARS. Stdlib only.

    server = start(tmp_path / "neo4j")
    ...  # connect with server.uri, server.user, server.password
    server.stop()

The server also exits by itself when this process dies: it watches its stdin, which only
this process holds open.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

TOOL_DIR = Path(__file__).resolve().parent.parent / "tools" / "neo4j-server"
POM = TOOL_DIR / "pom.xml"
SOURCE = TOOL_DIR / "Neo4jTestServer.java"
DEFAULT_JARS = TOOL_DIR / "lib"
JARS_ENV = "KB_NEO4J_JARS"
PASSWORD_ENV = "KB_NEO4J_PASSWORD"  # how the password reaches Neo4jTestServer.java
HEAP = "768m"
PAGECACHE_MIB = 512
"""Heap and page cache: the defaults of docker-compose.yml's Neo4j too (tests/test_compose.py)."""
START_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
SERVER_LOG = "neo4j-server.log"  # the Java process's stdout and stderr, in the data dir
_BOLT_LINE = re.compile(r"^BOLT_URI=(bolt://\S+)$", re.MULTILINE)


class Neo4jServerError(RuntimeError):
    """The server could not be started (no Java or Maven, jars missing, died, timed out)."""


@dataclass
class Neo4jServer:
    uri: str
    user: str
    password: str = field(repr=False)
    process: subprocess.Popen[bytes] | None
    """None for a server the suite did not start (the user's own, from NEO4J_URI)."""
    data_dir: Path | None = field(default=None, repr=False)

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, up to `timeout` s for a clean shutdown, then kill; returns the exit code."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdin is not None:
            self.process.stdin.close()
        return self.process.returncode

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def neo4j_version() -> str:
    """The Neo4j version pinned in the pom."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", POM.read_text())
    if not match:
        raise Neo4jServerError(f"no <neo4j.version> in {POM}")
    return match.group(1).strip()


def resolve_jars(jars: Path | None = None) -> Path:
    """The jars folder: `jars`, else $KB_NEO4J_JARS, else tools/neo4j-server/lib/.

    Fills it with Maven when the pinned neo4j jar is not there yet.
    """
    if jars is None:
        jars = Path(os.environ[JARS_ENV]) if os.environ.get(JARS_ENV) else DEFAULT_JARS
    jars = jars.resolve()
    if (jars / f"neo4j-{neo4j_version()}.jar").is_file():
        return jars
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(f"no Neo4j jars in {jars} and no `mvn` to fetch them "
                               f"(install Maven, or set {JARS_ENV} to a jars folder)")
    print(f"neo4j_server: fetching the Neo4j {neo4j_version()} jars into {jars} with Maven",
          file=sys.stderr, flush=True)
    cmd = [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
           f"-DoutputDirectory={jars}"]
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0 or not (jars / f"neo4j-{neo4j_version()}.jar").is_file():
        raise Neo4jServerError(f"{' '.join(cmd)} failed ({done.returncode}):\n"
                               f"{_tail(done.stdout + done.stderr)}")
    return jars


def start(data_dir: Path, jars: Path | None = None, *, password: str | None = None,
          port: int = 0, heap: str = HEAP, timeout: float = START_TIMEOUT) -> Neo4jServer:
    """Starts a server whose home (store and logs) is `data_dir`; returns once Bolt is up.

    The user is `neo4j`; its password is `password` (a random one if None), set at every start.
    Port 0 picks a free port.
    """
    java = shutil.which("java")
    if java is None:
        raise Neo4jServerError("no `java` on PATH (Neo4j 5.26 needs Java 17 or 21)")
    jars = resolve_jars(jars)
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    password = password or secrets.token_urlsafe(16)
    log_path = data_dir / SERVER_LOG
    # Serial GC: no concurrent GC threads competing with the test suite for the 2 cores.
    cmd = [java, f"-Xmx{heap}", "-XX:+UseSerialGC", "-cp", f"{jars}{os.sep}*", str(SOURCE),
           "--data", str(data_dir), "--port", str(port), "--pagecache-mib", str(PAGECACHE_MIB)]
    env = {**os.environ, PASSWORD_ENV: password}  # not --password: that shows in ps and logs
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=log, env=env,
                                   start_new_session=True)  # Ctrl-C goes to pytest, not here
    server = Neo4jServer("", "neo4j", password, process, data_dir)
    deadline = time.monotonic() + timeout
    while True:
        match = _BOLT_LINE.search(log_path.read_text(errors="replace"))
        if match:
            server.uri = match.group(1)
            return server
        if process.poll() is not None:
            raise Neo4jServerError(f"the Neo4j server exited ({process.returncode}) before it "
                                   f"was ready\n{_logs(data_dir)}")
        if time.monotonic() > deadline:
            server.stop()
            raise Neo4jServerError(f"the Neo4j server was not ready within {timeout:.0f} s\n"
                                   f"{_logs(data_dir)}")
        time.sleep(0.1)


def _logs(data_dir: Path) -> str:
    parts = []
    for path in (data_dir / SERVER_LOG, data_dir / "logs" / "debug.log"):
        if path.is_file():
            parts.append(f"--- {path} (tail) ---\n{_tail(path.read_text(errors='replace'))}")
    return "\n".join(parts) or "(no log was written)"


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


if __name__ == "__main__":  # `python3 tests/neo4j_server.py resolve`: fetch the jars (CI)
    if sys.argv[1:] != ["resolve"]:
        sys.exit("usage: python3 tests/neo4j_server.py resolve")
    print(resolve_jars())
