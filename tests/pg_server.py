"""A throwaway PostgreSQL server for the test suite.

``ThrowawayPostgres`` runs ``initdb`` into a fresh temporary directory, starts a
postmaster on a free TCP port on 127.0.0.1 (trust auth, superuser ``csdesk``, fsync
off) and creates a ``csdesk`` database. Used as a context manager it stops the server
(``pg_ctl stop -m immediate``) and removes the directory on exit; an ``atexit`` hook
does the same if the context is never left, and every new instance reaps clusters
left behind by earlier runs whose owning process is gone (e.g. after ``kill -9``).

The directory goes on /dev/shm when that is a roomy tmpfs (much faster), else /tmp;
``CSDESK_TEST_PG_TMPDIR`` overrides.

PostgreSQL refuses to run as root. When ``os.geteuid() == 0`` the temporary directory
is handed to the ``postgres`` system user and every server-side command runs via
``runuser -u postgres --``. As a normal user the commands run directly.

The server binaries are taken from the newest ``/usr/lib/postgresql/*/bin`` (Debian's
layout; ``scripts/ensure-postgres.sh`` installs them), falling back to ``initdb`` on
``PATH``.

This is a plain module (no pytest import) so scripts and benchmarks can use it too::

    with ThrowawayPostgres() as pg:
        psycopg.connect(pg.url)
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import psycopg

__all__ = ["PostgresError", "ThrowawayPostgres", "find_bin_dir"]

HOST = "127.0.0.1"
SUPERUSER = "csdesk"
DBNAME = "csdesk"
SYSTEM_USER = "postgres"  # who runs the server when we are root
DIR_PREFIX = "csdesk-pg-"
OWNER_FILE = "owner.pid"  # pid of the process that created the cluster
START_TIMEOUT_S = 30
_UNIX_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes; keep room for "/.s.PGSQL.NNNNN"
_PORT_ATTEMPTS = 3
_SHM_MIN_FREE = 1 << 30  # use /dev/shm only with >= 1 GiB free (Docker's default is 64 MiB)
TMPDIR_ENV = "CSDESK_TEST_PG_TMPDIR"  # overrides where the cluster directory goes
_INSTALL_HINT = "run scripts/ensure-postgres.sh (it installs Debian's postgresql package)"


class PostgresError(RuntimeError):
    """Setting up, starting or stopping the throwaway server failed."""


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin paths (numeric, newest last)."""
    version = bin_dir.parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)


def find_bin_dir() -> Path:
    """Return the directory holding ``initdb``/``pg_ctl``/``postgres`` (newest version)."""
    candidates = [
        initdb.parent for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb") if os.access(initdb, os.X_OK)
    ]
    if candidates:
        return max(candidates, key=_version_key)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresError(f"no PostgreSQL server binaries (initdb) found; {_INSTALL_HINT}")


def _free_port() -> int:
    """Ask the kernel for a currently free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


class ThrowawayPostgres:
    """A private PostgreSQL cluster in a temporary directory, on a free port.

    ``start()`` (or entering the context) runs initdb once and starts the server;
    ``stop()``/``start()``/``restart()`` can then be used freely (fault tests);
    ``close()`` (or leaving the context) stops it and deletes everything.
    """

    def __init__(self, bin_dir: Path | str | None = None) -> None:
        self.bin_dir: Path = Path(bin_dir) if bin_dir else find_bin_dir()
        self._as_root = os.geteuid() == 0
        self._base: Path | None = None
        self._port: int | None = None
        self._initialized = False
        self._closed = False

    # -- properties ------------------------------------------------------------------

    @property
    def port(self) -> int:
        """TCP port the server listens on (127.0.0.1)."""
        if self._port is None:
            raise PostgresError("server not started")
        return self._port

    @property
    def base_dir(self) -> Path:
        """Temporary directory holding data dir, socket dir and server log."""
        if self._base is None:
            raise PostgresError("server not started")
        return self._base

    @property
    def datadir(self) -> Path:
        """The cluster's data directory (``-D``)."""
        return self.base_dir / "data"

    @property
    def sockdir(self) -> Path:
        """Directory for the server's Unix socket (``-k``)."""
        return self.base_dir / "sock"

    @property
    def logfile(self) -> Path:
        """The server log written by ``pg_ctl -l``."""
        return self.base_dir / "server.log"

    @property
    def host(self) -> str:
        return HOST

    @property
    def user(self) -> str:
        return SUPERUSER

    @property
    def url(self) -> str:
        """URL of the ``csdesk`` database (superuser ``csdesk``, trust auth)."""
        return self.url_for(DBNAME)

    def url_for(self, dbname: str) -> str:
        """URL of another database on this server, e.g. ``url_for("postgres")``."""
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{dbname}"

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Create the cluster on first use, then start the server (waits until ready)."""
        if self._closed:
            raise PostgresError("server already closed")
        if not self._initialized:
            self._init_cluster()
            self._start_with_port_retry()
            self._create_database()
        elif not self.is_running():
            self._start()

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m MODE`` (smart, fast or immediate)."""
        self.pg_ctl("stop", "-m", mode, "-w", "-t", str(START_TIMEOUT_S))

    def restart(self, mode: str = "immediate") -> None:
        """``pg_ctl restart -m MODE -w``: kills all connections, then waits until ready.

        With the default ``immediate`` mode the server goes through crash recovery.
        """
        self._pg_ctl_start("restart", "-m", mode)

    def is_running(self) -> bool:
        """Whether a postmaster is running for the data directory (``pg_ctl status``)."""
        if not self._initialized or self._closed:
            return False
        return self.pg_ctl("status", check=False).returncode == 0

    def close(self) -> None:
        """Stop the server immediately and delete the temporary directory."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        if self._base is not None:
            _destroy(self._base, self.bin_dir, self._as_root)

    # -- commands --------------------------------------------------------------------

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``pg_ctl -D DATADIR ARGS...`` as the server's user."""
        return self._run(["pg_ctl", "-D", str(self.datadir), *args], check=check)

    def _run(self, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server binary (as ``postgres`` via runuser when we are root)."""
        cmd = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", SYSTEM_USER, "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        proc = subprocess.run(
            cmd,
            cwd=self.base_dir,  # postgres must be able to read its cwd
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise PostgresError(
                f"{shlex.join(cmd)} failed (exit {proc.returncode}):\n"
                f"{proc.stdout}{proc.stderr}\n--- server log tail ({self.logfile}) ---\n"
                f"{_tail(self.logfile)}"
            )
        return proc

    # -- internals -------------------------------------------------------------------

    def _make_base_dir(self) -> Path:
        reap_orphans()
        base = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=_parent_dir(self._as_root)))
        (base / OWNER_FILE).write_text(f"{os.getpid()}\n")
        (base / "sock").mkdir()
        if self._as_root:
            try:
                pw = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                shutil.rmtree(base, ignore_errors=True)
                raise PostgresError(
                    f"running as root but there is no '{SYSTEM_USER}' system user; {_INSTALL_HINT}"
                ) from None
            for path in (base, base / "sock"):
                os.chown(path, pw.pw_uid, pw.pw_gid)
            base.chmod(0o711)  # postgres owns it; root can always traverse
        return base

    def _init_cluster(self) -> None:
        self._base = self._make_base_dir()
        atexit.register(self.close)
        self._run(
            [
                "initdb",
                "-D",
                str(self.datadir),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        self._initialized = True

    def _server_options(self) -> str:
        opts = [
            "-p",
            str(self.port),
            "-k",
            str(self.sockdir),
            "-c",
            f"listen_addresses={HOST}",
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
        ]
        return shlex.join(opts)  # pg_ctl hands this string to a shell

    def _pg_ctl_start(self, action: str, *extra: str) -> None:
        self.pg_ctl(
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "-o",
            self._server_options(),
            "-l",
            str(self.logfile),  # also keeps the postmaster off our stdout pipe
            *extra,
            action,
        )

    def _start(self) -> None:
        self._pg_ctl_start("start")

    def _start_with_port_retry(self) -> None:
        """Start on a free port; retry with a new one if another process raced us to it."""
        for attempt in range(_PORT_ATTEMPTS):
            self._port = _free_port()
            try:
                self._start()
                return
            except PostgresError as exc:
                port_taken = "could not bind" in str(exc) or "already in use" in str(exc)
                if not port_taken or attempt == _PORT_ATTEMPTS - 1:
                    raise

    def _create_database(self) -> None:
        with psycopg.connect(self.url_for("postgres"), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{DBNAME}"')


def _destroy(base: Path, bin_dir: Path, as_root: bool) -> None:
    """Stop the postmaster of the cluster under ``base`` (if any) and delete ``base``."""
    datadir = base / "data"
    pid_file = datadir / "postmaster.pid"
    if pid_file.exists():
        cmd = [str(bin_dir / "pg_ctl"), "-D", str(datadir), "stop", "-m", "immediate", "-w"]
        if as_root:
            cmd = ["runuser", "-u", SYSTEM_USER, "--", *cmd]
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(
                cmd,
                cwd="/",
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=START_TIMEOUT_S,
                check=False,
            )
        _kill_postmaster(pid_file)
    shutil.rmtree(base, ignore_errors=True)


def _kill_postmaster(pid_file: Path) -> None:
    """Last resort if pg_ctl could not stop it: SIGKILL the postmaster in postmaster.pid."""
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not _pid_alive(pid):
                break
            time.sleep(0.02)


def _parent_dir(as_root: bool) -> Path:
    """Where to put the cluster: $CSDESK_TEST_PG_TMPDIR, else a roomy /dev/shm, else /tmp.

    tmpfs makes initdb about twice and CREATE DATABASE about ten times as fast as a
    disk. As root the default TMPDIR is ignored (postgres may not be able to traverse
    it, e.g. /root/tmp); a TMPDIR too long for the Unix socket path is ignored too.
    """
    override = os.environ.get(TMPDIR_ENV)
    if override:
        return Path(override)
    shm = Path("/dev/shm")
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= _SHM_MIN_FREE:
            return shm
    except OSError:
        pass
    tmp = Path(tempfile.gettempdir())
    if as_root or len(str(tmp)) + 40 > _UNIX_SOCKET_PATH_MAX:
        return Path("/tmp")
    return tmp


def reap_orphans() -> None:
    """Remove clusters left in the temp dirs by dead test processes (best effort)."""
    bin_dir: Path | None = None
    as_root = os.geteuid() == 0
    tmpdirs = {Path("/tmp"), Path("/dev/shm"), Path(tempfile.gettempdir())}
    if os.environ.get(TMPDIR_ENV):
        tmpdirs.add(Path(os.environ[TMPDIR_ENV]))
    for tmp in tmpdirs:
        for base in tmp.glob(DIR_PREFIX + "*"):
            try:
                if not as_root and base.stat().st_uid != os.getuid():
                    continue
                owner = int((base / OWNER_FILE).read_text().strip())
            except (OSError, ValueError):
                continue
            if _pid_alive(owner):
                continue
            if bin_dir is None:
                bin_dir = find_bin_dir()
            _destroy(base, bin_dir, as_root)
