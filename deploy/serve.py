"""`make serve`: gunicorn on 127.0.0.1 behind nginx, both stopped together.

    python -m deploy.serve          # nginx on LISTEN (default 127.0.0.1:$PORT, PORT 8000),
                                    # gunicorn on APP_BIND (default the next port)

nginx buffers every request and response (deploy/nginx.conf), so slow clients cannot hold
gunicorn's threads. gunicorn gets BEHIND_PROXY=1: the client's address is the last entry nginx
adds to X-Forwarded-For. Settings come from the environment as for `make serve` (.env.example).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise SystemExit("make serve puts nginx in front of gunicorn: apt-get install -y nginx")
    return found


def _start(template: Path, **values: str) -> tuple[subprocess.Popen, Path]:
    """nginx in the foreground with `template` filled in (@NAME@ → values, @RUN@ → a new
    folder for its pid and temporary files, returned to remove when it has stopped)."""
    run = Path(tempfile.mkdtemp(prefix="stemtest-nginx-"))
    run.chmod(0o755)  # nginx's workers may run as another user
    text = template.read_text(encoding="utf-8")
    for name, value in {**values, "RUN": str(run)}.items():
        text = text.replace(f"@{name}@", value)
    config = run / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    command = [nginx_binary(), "-c", str(config), "-p", str(run), "-e", "stderr"]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if check.returncode:
        raise SystemExit(f"nginx refuses its configuration:\n{check.stderr}")
    return subprocess.Popen(command, start_new_session=True), run


def start_nginx(*, listen: str, app: str) -> tuple[subprocess.Popen, Path]:
    """nginx on `listen` in front of gunicorn on `app` (deploy/nginx.conf)."""
    media = os.environ.get("MEDIA_ROOT") or str(ROOT / "media")
    return _start(TEMPLATE, LISTEN=listen, APP=app, MEDIA=media)


def start_static_nginx(*, listen: str, root: Path) -> tuple[subprocess.Popen, Path]:
    """nginx on `listen` serving the static export in `root` (deploy/nginx-static.conf)."""
    return _start(ROOT / "deploy" / "nginx-static.conf", LISTEN=listen, ROOT=str(root))


def addresses(environ: Mapping[str, str]) -> tuple[str, str]:
    """Where nginx listens and where gunicorn does: LISTEN and APP_BIND, else 127.0.0.1 on PORT
    (8000) and the port after it."""
    port = int(environ.get("PORT") or 8000)
    listen = environ.get("LISTEN") or f"127.0.0.1:{port}"
    return listen, environ.get("APP_BIND") or f"127.0.0.1:{port + 1}"


def main() -> None:
    listen, app = addresses(os.environ)
    env = {**os.environ, "BIND": app, "BEHIND_PROXY": "1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    app_server = subprocess.Popen(
        [str(gunicorn), "-c", "stemtest/gunicorn.conf.py", "stemtest.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    proxy, run = start_nginx(listen=listen, app=app)
    sys.stderr.write(f"Stemtest on http://{listen}/ (nginx), gunicorn on {app}\n")

    def stop(*_: object) -> None:
        for server in (proxy, app_server):
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while proxy.poll() is None and app_server.poll() is None:
            try:
                os.wait()
            except ChildProcessError:
                break
    finally:
        stop()
        for server in (proxy, app_server):
            server.wait()
        shutil.rmtree(run, ignore_errors=True)


if __name__ == "__main__":
    main()
