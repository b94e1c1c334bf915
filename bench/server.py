"""The server side that bench/load.py and bench/quiz.py share: a free port on 127.0.0.1, the
environment of the production stack (gunicorn with stemtest/gunicorn.conf.py and bench/settings.py,
throwaway database and static files), starting that gunicorn, waiting until a server answers
/bench/bare/ (bench/urls.py), the CPU time a gunicorn and its workers used (from /proc), and
stopping a server.

A server here is a gunicorn arbiter: a `subprocess.Popen` (load.py's, started by start_gunicorn)
or a `multiprocessing.Process` (quiz.py's, gunicorn in a child of the benchmark)."""

import http.client
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

type Server = subprocess.Popen | multiprocessing.Process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir: Path, port: int, *, workers: int, threads: int) -> dict[str, str]:
    """Production settings for start_gunicorn: a random SECRET_KEY, DEBUG off, HTTPS=0 (plain
    HTTP on 127.0.0.1), the database and static files in `workdir` (or DATABASE_URL's database),
    `workers` gunicorn workers of `threads` threads, bound to 127.0.0.1:`port`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        BENCH_STATIC_ROOT=str(workdir / "static"),
        SNAPSHOT_DIR=str(workdir / "snapshots"),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'db.sqlite3'}",
        LOG_LEVEL="WARNING",
        BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(workers),
        WEB_THREADS=str(threads),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.pop("REDIS_URL", None)  # one machine: the per-process cache
    return env


def start_gunicorn(env: dict[str, str]) -> subprocess.Popen:
    """gunicorn as `make serve` runs it, with `env` (see environment), in a session of its own
    so that stop can kill it and its workers at once."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            *("-c", "stemtest/gunicorn.conf.py", "--no-control-socket", "stemtest.wsgi"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def exited(server: Server) -> bool:
    if isinstance(server, subprocess.Popen):
        return server.poll() is not None
    return server.exitcode is not None


def wait_until_ready(port: int, server: Server, path: str = "/bench/bare/") -> None:
    """Until the server on `port` answers `path` (the bare view); exits if it stops or takes
    30 s."""
    for _ in range(300):
        if exited(server):
            raise SystemExit("the server exited before it was ready; see its log above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 30 s")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of gunicorn: the arbiter `pid`, its workers, and the workers
    that have exited (max_requests), which count in the arbiter's children's times."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid:
            total += sum(map(int, fields[11:15])) / ticks  # utime stime cutime cstime
        elif int(fields[1]) == pid:  # fields[1]: the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class SlowClients:
    """`count` connections to 127.0.0.1:`port` that each send a request's first line and then
    one header line every `interval` seconds, never finishing; a closed one is opened again.
    The pressure of a slowloris attack, bounded: only while the `with` block runs."""

    def __init__(self, port: int, count: int, interval: float = 2.0):
        self.port, self.count, self.interval = port, count, interval
        self.sockets: list[socket.socket] = []
        self.stopping = threading.Event()
        self.reopened = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=1)
            sock.sendall(b"GET /stemtest/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return sock
        except OSError:
            return None

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            for index, sock in enumerate(self.sockets):
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    sock.close()
                    self.sockets[index] = self._open() or sock
                    self.reopened += 1

    def __enter__(self) -> "SlowClients":
        self.sockets = [sock for sock in (self._open() for _ in range(self.count)) if sock]
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def stop(server: Server, timeout: float = 15) -> None:
    """SIGTERM, which gunicorn answers by stopping its workers and exiting; SIGKILL after
    `timeout` seconds (start_gunicorn's: to its whole session, the workers too)."""
    if exited(server):
        return
    server.terminate()
    if isinstance(server, subprocess.Popen):
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    else:
        server.join(timeout)
        if server.is_alive():
            server.kill()
            server.join()
