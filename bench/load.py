"""Load test: simulated voters through the real flow, against the production stack.

Sets up a throwaway database (SQLite in a temporary folder, or the empty PostgreSQL database
in DATABASE_URL), migrates it, imports the Vooruit programme and quiz, collects the static
files, and starts gunicorn with stemtest/gunicorn.conf.py and production settings (a random
SECRET_KEY, DEBUG off, whitenoise's compressed and hashed static files; HTTPS=0 because it
serves plain HTTP on 127.0.0.1). Then wrk (bench/voters.lua) plays voters, each on its own
connection, for a fixed time:

    landing  GET  /stemtest/<slug>/
    statement GET /stemtest/<slug>/stelling/1/            (the start link; no-JS: every step)
    answer   POST /stemtest/<slug>/stelling/<n>/  × 40     (htmx: returns the next statement;
                                                            no-JS: 303 to it)
    results  GET  /stemtest/<slug>/resultaat/?a=<token>

and, in the same run and with the same connections, a bare Django view (bench/urls.py, through
the whole middleware stack) and a static file through whitenoise. It prints completed quizzes
per second, requests per second, p50/p99 latency per step, errors (unexpected statuses, socket
errors), the CPU time the server and wrk used, and the ratios to the bare view and the static
file. Everything stops at the end, on Ctrl-C and on errors. Only 127.0.0.1, bounded in time.

    .venv/bin/python bench/load.py [--seconds 20] [--voters 16] [--workers <cores>]
                                   [--threads 4] [--flows htmx,form] [--repeat 1]

Needs wrk (Debian: apt-get install -y wrk). Figures and their meaning: docs/PERFORMANCE.md.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SLUG = "vooruit-2024"
TARGET = {"quizzes": 110, "p99_ms": 250}
STEPS = ("landing", "statement", "answer", "results")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir: Path, port: int, options: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        BENCH_STATIC_ROOT=str(workdir / "static"),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'db.sqlite3'}",
        LOG_LEVEL="WARNING",
        BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(options.workers),
        WEB_THREADS=str(options.threads),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.pop("REDIS_URL", None)  # one machine: the per-process cache
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, import the programme and the quiz, collect static files."""
    manage = [PYTHON, "manage.py"]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["import_programme", "fixtures/programmes/vooruit-2024.txt", "--party", "vooruit"],
        [
            "import_quiz",
            "fixtures/quizzes/vooruit-2024.csv",
            "--quiz",
            "fixtures/quizzes/vooruit-2024.json",
        ],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it was ready; see its log above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 30 s")


def walk_quiz(port: int) -> tuple[list[str], str]:
    """One voter in Python, htmx flow: checks the flow works and returns the statement ids
    in quiz order and the hashed address of the stylesheet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def fetch(method: str, path: str, body: str | None = None, **headers: str):
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read().decode()

    response, page = fetch("GET", f"/stemtest/{SLUG}/stelling/1/")
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
    ids, token, number = [], "", 1
    while True:
        ids.append(re.search(r'name="stelling" value="(\d+)"', page).group(1))
        body = f"a={token}&stelling={ids[-1]}&answer=eens"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
        response, page = fetch("POST", f"/stemtest/{SLUG}/stelling/{number}/", body, **headers)
        if response.status != 200:
            raise SystemExit(f"answer {number}: status {response.status}")
        target = response.getheader("HX-Push-Url") or response.getheader("HX-Redirect")
        token = re.search(r"[?&]a=([^&#]+)", target).group(1)
        if response.getheader("HX-Redirect"):
            break
        number += 1
    response, page = fetch("GET", target)
    if response.status != 200 or "%" not in page:
        raise SystemExit(f"results: status {response.status}")
    return ids, stylesheet


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


def run_wrk(arguments: list[str]) -> tuple[str, float]:
    """wrk's output and the CPU seconds it used."""
    process = subprocess.Popen(["wrk", *arguments], stdout=subprocess.PIPE, text=True)
    try:
        output = process.stdout.read()
    finally:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"wrk failed ({process.returncode}):\n{output}")
    return output, usage.ru_utime + usage.ru_stime


def wrk_errors(output: str) -> int:
    """Socket errors (connect, read, write, timeout) and non-2xx/3xx responses wrk saw."""
    socket_errors = re.search(r"Socket errors: (.*)", output)
    count = sum(map(int, re.findall(r"\d+", socket_errors.group(1)))) if socket_errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return count + (int(non_2xx.group(1)) if non_2xx else 0)


def wrk_rate(output: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_flow(flow: str, port: int, server_pid: int, ids: list[str], options, workdir) -> dict:
    report = workdir / f"{flow}.txt"
    cpu = server_cpu_seconds(server_pid)
    output, wrk_cpu = run_wrk(
        [
            f"-t{options.voters}",
            f"-c{options.voters}",
            f"-d{options.seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "voters.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            SLUG,
            ",".join(ids),
            flow,
            str(report),
        ]
    )
    cpu = server_cpu_seconds(server_pid) - cpu
    completed, errors, latencies = 0, dict.fromkeys(STEPS, 0), {step: [] for step in STEPS}
    for log in workdir.glob(f"{flow}.txt.*"):
        for line in log.read_text().splitlines():
            word, *rest = line.split()
            if word == "L":
                latencies[rest[0]].append(int(rest[1]) / 1000)
            elif word == "E":
                errors[rest[0]] += 1
            elif word == "C":
                completed += 1
        log.unlink()
    requests = sum(len(values) for values in latencies.values())
    return {
        "quizzes": completed / options.seconds,
        "requests": requests / options.seconds,
        "errors": sum(errors.values()) + wrk_errors(output),
        "p50": {step: percentile(latencies[step], 0.50) for step in STEPS},
        "p99": {step: percentile(latencies[step], 0.99) for step in STEPS},
        "server_cpu_ms_per_quiz": 1000 * cpu / max(completed, 1),
        "server_cpu_ms_per_request": 1000 * cpu / max(requests, 1),
        "wrk_cpu_share": wrk_cpu / (options.seconds * (os.cpu_count() or 1)),
    }


def run_plain(path: str, port: int, server_pid: int, options, headers=()) -> dict:
    arguments = [f"-t{min(options.voters, 4)}", f"-c{options.voters}", f"-d{options.seconds}s"]
    for header in headers:
        arguments += ["-H", header]
    cpu = server_cpu_seconds(server_pid)
    output, wrk_cpu = run_wrk([*arguments, "--latency", f"http://127.0.0.1:{port}{path}"])
    cpu = server_cpu_seconds(server_pid) - cpu
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "requests": wrk_rate(output),
        "server_cpu_ms_per_request": 1000 * cpu / (wrk_rate(output) * options.seconds),
        "errors": wrk_errors(output),
        "p50": float(p50.group(1)) * scale[p50.group(2)],
        "p99": float(p99.group(1)) * scale[p99.group(2)],
        "wrk_cpu_share": wrk_cpu / (options.seconds * (os.cpu_count() or 1)),
    }


def print_report(flows: dict[str, list[dict]], bare: list[dict], static: list[dict]) -> None:
    def median(runs: list[dict], key: str, step: str | None = None) -> float:
        return statistics.median(run[key][step] if step else run[key] for run in runs)

    bare_rate, static_rate = median(bare, "requests"), median(static, "requests")
    print(f"\n{'flow':6} {'quizzes/s':>9} {'req/s':>7} {'errors':>6}  p50 / p99 ms per step")
    for flow, runs in flows.items():
        steps = "  ".join(
            f"{step} {median(runs, 'p50', step):.1f}/{median(runs, 'p99', step):.1f}"
            for step in STEPS
        )
        print(
            f"{flow:6} {median(runs, 'quizzes'):9.1f} {median(runs, 'requests'):7.0f} "
            f"{sum(run['errors'] for run in runs):6d}  {steps}"
        )
    for name, runs in (("bare", bare), ("static", static)):
        print(
            f"{name:6} {'':9} {median(runs, 'requests'):7.0f} "
            f"{sum(run['errors'] for run in runs):6d}  "
            f"p50 {median(runs, 'p50'):.1f}  p99 {median(runs, 'p99'):.1f}"
        )
    print()
    cores = os.cpu_count() or 1
    for flow, runs in flows.items():
        rate, per_quiz = median(runs, "requests"), median(runs, "server_cpu_ms_per_quiz")
        wrk_share = median(runs, "wrk_cpu_share")
        print(
            f"{flow}: requests/s {rate / bare_rate:.0%} of the bare view, "
            f"{rate / static_rate:.0%} of the static file; server CPU "
            f"{median(runs, 'server_cpu_ms_per_request'):.2f} ms per request, {per_quiz:.1f} ms "
            f"per quiz; wrk used {wrk_share:.0%} of the machine; all of the machine but wrk's "
            f"share would carry {1000 * cores * (1 - wrk_share) / per_quiz:.0f} quizzes/s"
        )
    for name, runs in (("bare view", bare), ("static file", static)):
        print(f"{name}: server CPU {median(runs, 'server_cpu_ms_per_request'):.2f} ms per request")
    print(f"bare view: {bare_rate / static_rate:.0%} of the static file's requests/s")
    if "htmx" in flows:
        runs = flows["htmx"]
        quizzes = median(runs, "quizzes")
        p99 = max(median(runs, "p99", step) for step in STEPS)
        errors = sum(run["errors"] for run in runs)
        reached = quizzes >= TARGET["quizzes"] and p99 < TARGET["p99_ms"] and not errors
        print(
            f"target (htmx): ≥ {TARGET['quizzes']} quizzes/s, p99 < {TARGET['p99_ms']} ms, "
            f"0 errors: {'reached' if reached else 'MISSED'} "
            f"({quizzes:.1f} quizzes/s, worst p99 {p99:.1f} ms, {errors} errors)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="per measurement (default 20)")
    parser.add_argument("--voters", type=int, default=16, help="concurrent voters/connections")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--threads", type=int, default=4, help="per worker; 1: sync worker")
    parser.add_argument("--flows", default="htmx,form", help="htmx, form (no JavaScript)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; medians")
    options = parser.parse_args()
    if not 1 <= options.seconds <= 300 or not 1 <= options.voters <= 256:
        parser.error("--seconds must be 1–300 and --voters 1–256")
    if shutil.which("wrk") is None:
        raise SystemExit("bench/load.py needs wrk: apt-get install -y wrk")
    flows = [flow for flow in options.flows.split(",") if flow]
    if not set(flows) <= {"htmx", "form"}:
        parser.error("--flows: htmx and/or form")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that `finally` stops gunicorn
    server = None
    with tempfile.TemporaryDirectory(prefix="stemtest-load-") as folder:
        workdir = Path(folder)
        port = free_port()
        env = environment(workdir, port, options)
        try:
            prepare(env)
            server = subprocess.Popen(
                [str(Path(PYTHON).parent / "gunicorn"), "-c", "stemtest/gunicorn.conf.py"]
                + ["--no-control-socket", "stemtest.wsgi"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            wait_until_ready(port, server)
            ids, stylesheet = walk_quiz(port)
            worker = f"{options.workers} × {'gthread' if options.threads > 1 else 'sync'}"
            if options.threads > 1:
                worker += f" ({options.threads} threads)"
            print(
                f"{len(ids)} statements; gunicorn {worker}; {options.voters} voters (wrk "
                f"connections), {options.seconds} s × {options.repeat}; {os.cpu_count()} CPUs; "
                f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            results: dict[str, list[dict]] = {flow: [] for flow in flows}
            bare, static = [], []
            for _ in range(options.repeat):  # interleaved, so that outside load hits all alike
                for flow in flows:
                    results[flow].append(run_flow(flow, port, server.pid, ids, options, workdir))
                bare.append(run_plain("/bench/bare/", port, server.pid, options))
                static.append(
                    run_plain(stylesheet, port, server.pid, options, ("Accept-Encoding: gzip, br",))
                )
            print_report(results, bare, static)
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        finally:
            if server is not None and server.poll() is None:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()


if __name__ == "__main__":
    main()
