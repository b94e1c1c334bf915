"""Load test: simulated voters through the real flow, against the production stack, and the
same voters against the static export of the voter site.

Sets up a throwaway database (SQLite in a temporary folder, or the empty PostgreSQL database
in DATABASE_URL), migrates it, imports the Vooruit programme and quiz, collects the static
files, and starts gunicorn with stemtest/gunicorn.conf.py and production settings (a random
SECRET_KEY, DEBUG off, whitenoise's compressed and hashed static files; HTTPS=0 because it
serves plain HTTP on 127.0.0.1). For the export flow it also writes the site with
`manage.py export_site` and serves it with nginx as a plain static file server
(deploy/nginx-static.conf). Then wrk (bench/voters.lua) plays voters, each on its own
connection, for a fixed time, in one of three flows:

    js (static/js/quiz.js and results.js: the quiz and its results on the voter's device; 4
    requests per quiz, none with an answer, each the same for every voter), served by Django
    landing   GET  /stemtest/<slug>/
    statement GET  /stemtest/<slug>/stelling/1/            (the start link, a full page)
    bundle    GET  /stemtest/<slug>/stellingen/            (the statements and results' parts, gzip)
    results   GET  /stemtest/<slug>/resultaat/             (the answers stay in the fragment)

    export: the same four, from the static export under nginx

    form (no JavaScript; 84)
    landing   GET  /stemtest/<slug>/
    statement GET  /stemtest/<slug>/stelling/<n>/           (the start link, then every step)
    answer    POST /stemtest/<slug>/stelling/<n>/  × 40     (303 to the next; the last to the
                                                             overview)
    overview  GET  /stemtest/<slug>/overzicht/?a=<token>, then POST it (belangrijk) → 303
    results   GET  /stemtest/<slug>/resultaat/?a=<token>

With --cold, each quiz also fetches the static files a first-time visitor's browser does, right
after the page that references them (stylesheets, scripts; form: no scripts):

    static    GET  /static/…                               (hashed names, gzip or Brotli)

Before wrk starts, one voter walks the form flow and the js flow in Python (and the js flow on
the export): the bundle holds the statements the forms asked, in the same order, and every page
answers as a browser needs.

And, in the same run and with the same connections, a bare Django view (bench/urls.py, through
the whole middleware stack) and a static file through whitenoise. It prints completed quizzes
per second, requests per second, p50/p99 latency per step, errors (unexpected statuses, socket
errors), the CPU time the server (gunicorn; nginx for the export) and wrk used (and the share of
the machine other processes used meanwhile), and the ratios to the bare view and the static
file; server CPU per quiz also in bare-view requests, which a machine that runs slower for a
while (a busy neighbour, a busy host) changes less. Everything stops at the end, on Ctrl-C and
on errors. Only 127.0.0.1, bounded in time.

    .venv/bin/python bench/load.py [--seconds 20] [--voters 16] [--workers <cores>]
                                   [--threads 4] [--flows js,export,form] [--repeat 1] [--cold]

Needs wrk and nginx (Debian: apt-get install -y wrk nginx). Figures and their meaning:
docs/PERFORMANCE.md.
"""

import argparse
import gzip
import http.client
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from server import (  # bench/ is on sys.path when run as a script
    PYTHON,
    ROOT,
    SlowClients,
    environment,
    free_port,
    server_cpu_seconds,
    start_gunicorn,
    stop,
    wait_until_ready,
)

sys.path.insert(0, str(ROOT))
from deploy.serve import start_nginx, start_static_nginx

SLUG = "vooruit-2024"
# Quizzes/s per flow (docs/PERFORMANCE.md); the export's is TARGET_EXPORT_FACTOR × js's.
TARGET = {"js": 400, "form": 110, "p99_ms": 250}
STEPS = ("landing", "statement", "static", "bundle", "answer", "overview", "results", "consent")
FLOWS = ("js", "export", "form", "stats")
TARGET_EXPORT_FACTOR = 5  # the export serves at least 5 times the quizzes/s of Django's js flow


STATS_REDIS = "redis://127.0.0.1:6379/14"


def count_consents(env: dict[str, str]) -> int:
    """Flush the counters from Redis (manage.py flush_statistics), then the consents the
    database holds."""
    manage = [PYTHON, "manage.py"]
    subprocess.run(
        [*manage, "flush_statistics"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    script = (
        "from django.db.models import Sum; from quiz.models import ConsentTally; "
        "print(ConsentTally.objects.aggregate(n=Sum('count'))['n'] or 0)"
    )
    result = subprocess.run(
        [*manage, "shell", "-v0", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


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


STATIC_FILE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
WALK_CHOICES = ("eens", "oneens", "neutraal", "overslaan", "eens")  # belangrijk: every 7th


def walk_quiz(port: int, export_port: int | None = None) -> tuple[list[str], str, list[list[str]]]:
    """One voter in Python through the form flow and then the js flow (and the js flow on the
    export): checks both work. Returns the statement ids in quiz order, the hashed address of
    the stylesheet, and the static files a first-time visitor fetches after the landing page,
    statement 1 and the results (each only once)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    base = f"/stemtest/{SLUG}/"

    def fetch(method: str, path: str, body: str | None = None, **headers: str):
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read()

    # form: a POST per answer
    response, page = fetch("GET", f"{base}stelling/1/")
    page = page.decode()
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
    ids, token, number = [], "", 1
    while True:
        ids.append(re.search(r'name="stelling" value="(\d+)"', page).group(1))
        answer = WALK_CHOICES[number % len(WALK_CHOICES)]
        body = f"a={token}&stelling={ids[-1]}&answer={answer}" + (
            "&belangrijk=1" * (number % 7 == 0)
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response, _ = fetch("POST", f"{base}stelling/{number}/", body, **headers)
        target = response.getheader("Location") or ""
        if response.status != 303:
            raise SystemExit(f"form answer {number}: status {response.status}")
        token = re.search(r"[?&]a=([^&#]+)", target).group(1)
        if "/overzicht/" in target:
            break
        number += 1
        response, page = fetch("GET", target)
        page = page.decode()
    response, overview = fetch("GET", target)
    if response.status != 200 or b"Wat vind je belangrijk?" not in overview:
        raise SystemExit(f"form overview: status {response.status}")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response, _ = fetch("POST", f"{base}overzicht/", f"a={token}", **headers)
    target = response.getheader("Location") or ""
    if response.status != 303 or "/resultaat/?a=" not in target:
        raise SystemExit(f"form overview POST: status {response.status}, Location {target!r}")
    response, form_results = fetch("GET", target)
    if response.status != 200 or b"%" not in form_results:
        raise SystemExit(f"form results: status {response.status}")

    static: list[list[str]] = []
    walk_js(connection, ids, static)
    if export_port is not None:
        export = http.client.HTTPConnection("127.0.0.1", export_port, timeout=10)
        walk_js(export, ids, [])
    for path in [f for files in static for f in files]:
        response, content = fetch("GET", path, **{"Accept-Encoding": "gzip, br"})
        if response.status != 200 or not content:
            raise SystemExit(f"js: {path}: status {response.status}")
    return ids, stylesheet, static


def walk_js(connection: http.client.HTTPConnection, ids: list[str], static: list[list[str]]):
    """What quiz.js and results.js ask, on `connection`: the pages and the bundle, each the
    same for every voter; `static` gets the static files each page names (new ones only)."""
    base = f"/stemtest/{SLUG}/"
    seen: set[str] = set()
    where = f"127.0.0.1:{connection.port}"

    def fetch(path: str, **headers: str):
        connection.request("GET", path, headers={"Accept-Encoding": "gzip, br", **headers})
        response = connection.getresponse()
        return response, response.read()

    def page_of(path: str) -> str:
        response, page = fetch(path)
        if response.status != 200:
            raise SystemExit(f"js ({where}): {path}: status {response.status}")
        if response.getheader("Content-Encoding") == "gzip":
            page = gzip.decompress(page)
        page = page.decode()
        static.append([f for f in dict.fromkeys(STATIC_FILE.findall(page)) if f not in seen])
        seen.update(static[-1])
        return page

    page_of(base)
    first = page_of(f"{base}stelling/1/")
    if f'data-stellingen="{base}stellingen/"' not in first or not re.search(
        r'src="/static/js/quiz\.[0-9a-f]+\.js"', first
    ):
        raise SystemExit(f"js ({where}): statement 1 names no bundle or no quiz.js")
    response, compressed = fetch(f"{base}stellingen/", Accept="text/html")
    if response.status != 200 or response.getheader("Content-Encoding") != "gzip":
        raise SystemExit(f"js ({where}): stellingen/: status {response.status}, not gzip")
    bundle = gzip.decompress(compressed).decode()
    if re.findall(r'<template data-number="\d+" data-stelling="(\d+)">', bundle) != ids:
        raise SystemExit(f"js ({where}): stellingen/ has other statements than the forms")
    if '<template id="resultaten">' not in bundle:
        raise SystemExit(f"js ({where}): stellingen/ has no results part")
    revalidate = {"If-None-Match": response.getheader("ETag")}
    response, _ = fetch(f"{base}stellingen/", **revalidate)
    if response.status != 304:
        raise SystemExit(f"js ({where}): stellingen/ with its ETag: status {response.status}")
    results = page_of(f"{base}resultaat/")
    if f'data-bundle="{base}stellingen/"' not in results or not re.search(
        r'src="/static/js/results\.[0-9a-f]+\.js"', results
    ):
        raise SystemExit(f"js ({where}): the results page names no bundle or no results.js")


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used since boot (/proc/stat)."""
    fields = list(map(int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]))
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def others_share(busy: float, server: float, wrk: float, seconds: int) -> float:
    """The share of the machine that processes other than gunicorn and wrk used."""
    return max(0.0, busy - server - wrk) / (seconds * (os.cpu_count() or 1))


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


def run_flow(
    flow: str, port: int, server_pid: int, ids: list[str], static: list[list[str]], options, workdir
) -> dict:
    """wrk's voters in `flow` against `port`; `server_pid`: whose CPU time to count."""
    report = workdir / f"{flow}.txt"
    static_argument = ";".join(",".join(files) for files in static) if options.cold else ";;"
    cpu, busy = server_cpu_seconds(server_pid), machine_busy_seconds()
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
            "js" if flow == "export" else flow,
            str(report),
            static_argument,
            str(options.consent),
        ]
    )
    cpu, busy = server_cpu_seconds(server_pid) - cpu, machine_busy_seconds() - busy
    completed, consents = 0, 0
    errors, latencies = dict.fromkeys(STEPS, 0), {step: [] for step in STEPS}
    for log in workdir.glob(f"{flow}.txt.*"):
        for line in log.read_text().splitlines():
            word, *rest = line.split()
            if word == "L":
                latencies[rest[0]].append(int(rest[1]) / 1000)
            elif word == "E":
                errors[rest[0]] += 1
            elif word == "C":
                completed += 1
            elif word == "S":
                consents += 1
        log.unlink()
    requests = sum(len(values) for values in latencies.values())
    return {
        "quizzes": completed / options.seconds,
        "consents": consents,
        "requests": requests / options.seconds,
        "errors": sum(errors.values()) + wrk_errors(output),
        "step_errors": errors,
        "requests_per_quiz": requests / max(completed, 1),
        "p50": {step: percentile(latencies[step], 0.50) for step in STEPS if latencies[step]},
        "p99": {step: percentile(latencies[step], 0.99) for step in STEPS if latencies[step]},
        "server_cpu_ms_per_quiz": 1000 * cpu / max(completed, 1),
        "server_cpu_ms_per_request": 1000 * cpu / max(requests, 1),
        "wrk_cpu_share": wrk_cpu / (options.seconds * (os.cpu_count() or 1)),
        "others_share": others_share(busy, cpu, wrk_cpu, options.seconds),
    }


def run_plain(path: str, port: int, server_pid: int, options, headers=()) -> dict:
    arguments = [f"-t{min(options.voters, 4)}", f"-c{options.voters}", f"-d{options.seconds}s"]
    for header in headers:
        arguments += ["-H", header]
    cpu, busy = server_cpu_seconds(server_pid), machine_busy_seconds()
    output, wrk_cpu = run_wrk([*arguments, "--latency", f"http://127.0.0.1:{port}{path}"])
    cpu, busy = server_cpu_seconds(server_pid) - cpu, machine_busy_seconds() - busy
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    done = wrk_rate(output) * options.seconds  # none at all when slow clients hold every thread
    return {
        "requests": wrk_rate(output),
        "server_cpu_ms_per_request": 1000 * cpu / done if done else math.nan,
        "errors": wrk_errors(output),
        "p50": float(p50.group(1)) * scale[p50.group(2)] if p50 else math.nan,
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else math.nan,
        "wrk_cpu_share": wrk_cpu / (options.seconds * (os.cpu_count() or 1)),
        "others_share": others_share(busy, cpu, wrk_cpu, options.seconds),
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
            if all(step in run["p50"] for run in runs)
        )
        errors = sum(run["errors"] for run in runs)
        by_step = {
            step: sum(run["step_errors"][step] for run in runs)
            for step in STEPS
            if any(run["step_errors"][step] for run in runs)
        }
        print(
            f"{flow:6} {median(runs, 'quizzes'):9.1f} {median(runs, 'requests'):7.0f} "
            f"{errors:6d}  {steps}" + (f"  (errors by step: {by_step})" if by_step else "")
        )
    for name, runs in (("bare", bare), ("static", static)):
        print(
            f"{name:6} {'':9} {median(runs, 'requests'):7.0f} "
            f"{sum(run['errors'] for run in runs):6d}  "
            f"p50 {median(runs, 'p50'):.1f}  p99 {median(runs, 'p99'):.1f}"
        )
    print()
    cores = os.cpu_count() or 1
    bare_cpu = median(bare, "server_cpu_ms_per_request")
    for flow, runs in flows.items():
        rate, per_quiz = median(runs, "requests"), median(runs, "server_cpu_ms_per_quiz")
        wrk_share = median(runs, "wrk_cpu_share")
        print(
            f"{flow}: {median(runs, 'requests_per_quiz'):.1f} requests per quiz; requests/s "
            f"{share(rate, bare_rate):.0%} of the bare view, "
            f"{share(rate, static_rate):.0%} of the static file; server CPU "
            f"{median(runs, 'server_cpu_ms_per_request'):.2f} ms per request, "
            f"{per_quiz:.1f} ms per quiz (as much as {share(per_quiz, bare_cpu):.1f} bare-view "
            f"requests); wrk used {wrk_share:.0%} of the machine, other "
            f"processes {median(runs, 'others_share'):.0%}; all of the "
            "machine but wrk's share would carry "
            f"{share(1000 * cores * (1 - wrk_share), per_quiz):.0f} quizzes/s"
        )
    for name, runs in (("bare view", bare), ("static file", static)):
        print(
            f"{name}: server CPU {median(runs, 'server_cpu_ms_per_request'):.2f} ms per request; "
            f"wrk used {median(runs, 'wrk_cpu_share'):.0%} of the machine, other processes "
            f"{median(runs, 'others_share'):.0%}"
        )
    print(f"bare view: {share(bare_rate, static_rate):.0%} of the static file's requests/s")
    for flow, runs in flows.items():
        quizzes = median(runs, "quizzes")
        p99 = max((median(runs, "p99", step) for step in runs[0]["p99"]), default=math.nan)
        errors = sum(run["errors"] for run in runs)
        if flow == "export" and "js" in flows:
            wanted = TARGET_EXPORT_FACTOR * median(flows["js"], "quizzes")
            goal = f"≥ {TARGET_EXPORT_FACTOR} × js ({wanted:.0f} quizzes/s)"
        elif flow in TARGET:
            wanted = TARGET[flow]
            goal = f"≥ {wanted} quizzes/s"
        else:
            continue
        reached = quizzes >= wanted and p99 < TARGET["p99_ms"] and not errors
        print(
            f"target ({flow}): {goal}, p99 < {TARGET['p99_ms']} ms, 0 errors: "
            f"{'reached' if reached else 'MISSED'} "
            f"({quizzes:.1f} quizzes/s, worst p99 {p99:.1f} ms, {errors} errors)"
        )
    if "export" in flows and "js" in flows:
        ratio = share(median(flows["export"], "quizzes"), median(flows["js"], "quizzes"))
        print(f"export: {ratio:.1f} × the quizzes/s of the Django-served js flow")


def share(part: float, whole: float) -> float:
    """part / whole; nan when nothing was served at all (slow clients holding every thread)."""
    return part / whole if whole else math.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="per measurement (default 20)")
    parser.add_argument("--voters", type=int, default=16, help="concurrent voters/connections")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--threads", type=int, default=4, help="per worker; 1: sync worker")
    parser.add_argument(
        "--flows",
        default="js,export,form",
        help="js (the quiz and results on the device, from Django), export (the same from the "
        "static export under nginx), form (no JavaScript), stats (js, with --consent of the "
        "voters adding their answers to the statistics, counted in Redis)",
    )
    parser.add_argument(
        "--consent",
        type=float,
        default=0.3,
        help="stats flow: the share of quizzes whose voter consents to be counted (default 0.3)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="each quiz also fetches the static files a first-time visitor does (stylesheets, "
        "and scripts except in form)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; medians")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="put nginx in front, as make serve does (deploy/nginx.conf); wrk talks to nginx",
    )
    parser.add_argument(
        "--hanging-redis",
        action="store_true",
        help="REDIS_URL points at a server that accepts connections and never answers",
    )
    parser.add_argument(
        "--slow-clients",
        type=int,
        default=0,
        metavar="N",
        help="meanwhile, N connections that send a header line every 2 s and never finish",
    )
    options = parser.parse_args()
    if not 1 <= options.seconds <= 300 or not 1 <= options.voters <= 256:
        parser.error("--seconds must be 1–300 and --voters 1–256")
    if not 0 <= options.slow_clients <= 256:
        parser.error("--slow-clients must be 0–256")
    if shutil.which("wrk") is None:
        raise SystemExit("bench/load.py needs wrk: apt-get install -y wrk")
    flows = [flow for flow in options.flows.split(",") if flow]
    if not flows or not set(flows) <= set(FLOWS):
        parser.error(f"--flows: one or more of {', '.join(FLOWS)}")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that `finally` stops gunicorn
    server = None
    with tempfile.TemporaryDirectory(prefix="stemtest-load-") as folder, ExitStack() as later:
        workdir = Path(folder)
        app_port = free_port()
        env = environment(workdir, app_port, workers=options.workers, threads=options.threads)
        port = app_port
        if "stats" in flows:  # the consents' counters, batched in a Redis database of their own
            env["STATISTICS_REDIS_URL"] = STATS_REDIS
            subprocess.run(
                ["redis-cli", "-u", STATS_REDIS, "flushdb"], check=True, capture_output=True
            )
        if options.hanging_redis:  # a listening socket that nobody ever accepts from
            hanging = later.enter_context(socket.socket())
            hanging.bind(("127.0.0.1", 0))
            hanging.listen(64)
            env["REDIS_URL"] = f"redis://127.0.0.1:{hanging.getsockname()[1]}/0"
        try:
            prepare(env)
            if options.nginx:
                env["BEHIND_PROXY"] = "1"
            server = start_gunicorn(env)
            wait_until_ready(app_port, server)
            if options.nginx:
                port = free_port()
                proxy, run = start_nginx(listen=f"127.0.0.1:{port}", app=f"127.0.0.1:{app_port}")
                later.callback(shutil.rmtree, run, ignore_errors=True)  # last: after nginx stops
                later.callback(stop, proxy)
                wait_until_ready(port, proxy)
            export_port, export_pid = None, None
            if "export" in flows:
                site = workdir / "site"
                subprocess.run(
                    [PYTHON, "manage.py", "export_site", str(site), "--origin", "127.0.0.1"],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                workdir.chmod(0o711)  # nginx's workers (another user) go through to the site
                site.chmod(0o755)
                export_port = free_port()
                exported, run = start_static_nginx(listen=f"127.0.0.1:{export_port}", root=site)
                later.callback(shutil.rmtree, run, ignore_errors=True)
                later.callback(stop, exported)
                wait_until_ready(export_port, exported, "/")
                export_pid = exported.pid
            ids, stylesheet, static_files = walk_quiz(port, export_port)
            if options.slow_clients:
                slow = later.enter_context(SlowClients(port, options.slow_clients))
            worker = f"{options.workers} × {'gthread' if options.threads > 1 else 'sync'}"
            if options.threads > 1:
                worker += f" ({options.threads} threads)"
            print(
                f"{len(ids)} statements; gunicorn {worker}"
                + (" behind nginx" if options.nginx else "")
                + (f"; {options.slow_clients} slow clients" if options.slow_clients else "")
                + ("; a Redis that hangs" if options.hanging_redis else "")
                + f"; {options.voters} voters (wrk "
                f"connections), {options.seconds} s × {options.repeat}; "
                + ("with static files (--cold); " if options.cold else "origin only; ")
                + f"{os.cpu_count()} CPUs; "
                f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            if options.cold:
                print("static files:", ", ".join(f for files in static_files for f in files))
            results: dict[str, list[dict]] = {flow: [] for flow in flows}
            bare, static = [], []
            for round in range(1, options.repeat + 1):  # interleaved: outside load hits all alike
                for flow in flows:
                    where, pid = (
                        (export_port, export_pid) if flow == "export" else (port, server.pid)
                    )
                    run = run_flow(flow, where, pid, ids, static_files, options, workdir)
                    results[flow].append(run)
                    print(
                        f"round {round}, {flow}: {run['quizzes']:.1f} quizzes/s, "
                        f"{run['errors']} errors, server CPU {run['server_cpu_ms_per_quiz']:.1f} "
                        f"ms per quiz, wrk {run['wrk_cpu_share']:.0%}, other processes "
                        f"{run['others_share']:.0%} of the machine, worst p99 "
                        f"{max(run['p99'].values(), default=0):.1f} ms; load average "
                        f"{os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
                bare.append(run_plain("/bench/bare/", port, server.pid, options))
                static.append(
                    run_plain(stylesheet, port, server.pid, options, ("Accept-Encoding: gzip, br",))
                )
            print_report(results, bare, static)
            if "stats" in flows:
                sent = sum(run["consents"] for run in results["stats"])
                counted = count_consents(env)
                print(
                    f"stats: {options.consent:.0%} of the quizzes consented; {sent} consents "
                    f"answered 200, {counted} counted in the database after the flush"
                )
            if options.slow_clients:
                print(f"slow clients: {slow.reopened} connections closed on them and reopened")
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        finally:
            later.close()  # the slow clients, then nginx
            if server is not None:
                stop(server)


if __name__ == "__main__":
    main()
