"""Requests per second for the voter pages against a bare Django view, served the same way.

Serves the project under gunicorn (one gthread worker, keep-alive, DEBUG off, plain HTTP) on a
free port of 127.0.0.1, with bench/urls.py's URLconf: the product's URLs plus one that only the
benchmarks have, a bare view returning "ok" through the full middleware stack. Client processes
then hit, in turn:

    bare           GET  /bench/bare/
    landing        GET  /stemtest/<slug>/
    statement      GET  /stemtest/<slug>/stelling/1/ (the start link, no token)
    step GET       GET  /stemtest/<slug>/stelling/12/?a=<11 answers>       (full page)
    step POST      POST the 12th answer, plain form → 303 to statement 13
    results        GET  /stemtest/<slug>/resultaat/?a=<40 answers>       (no JavaScript)
    bundle         GET  /stemtest/<slug>/stellingen/ (statements and results' parts, gzip)
    results page   GET  /stemtest/<slug>/resultaat/ (what results.js fills in on the device)

and the script prints two figures per page, medians over interleaved rounds, each with its
ratio to the bare view: requests per wall-clock second, and requests per second of server CPU
time (gunicorn's own user + system time from /proc). Client and server share the machine, and a
busy machine makes wall-clock rates noisy; the CPU-based rate is what one server core can do,
so the targets (a quiz step at least 70 % of the bare view, the results page at least 50 %)
are judged on it. Both are printed.

With --in-process it serves nothing: it calls the WSGI application in this process and prints
the CPU time per request of each of these steps (no gunicorn, no sockets: Django's and
Stemtest's own share); --profile <step> adds cProfile's view of that step.

Run against a database with the programme and the quiz imported (`make data` and import_quiz):
    DEBUG=1 .venv/bin/python bench/quiz.py [--seconds 5] [--clients 2] [--quiz vooruit-2024]
    DEBUG=1 .venv/bin/python bench/quiz.py --in-process [--calls 2000] [--profile results]
"""

import argparse
import cProfile
import http.client
import io
import multiprocessing
import os
import pstats
import statistics
import sys
import time
from urllib.parse import urlencode

from server import (  # bench/ is on sys.path when run as a script
    ROOT,
    free_port,
    server_cpu_seconds,
    stop,
    wait_until_ready,
)

TARGETS = {"step GET": 0.70, "step POST": 0.70, "results": 0.50}


def setup_django() -> None:
    """Production-like settings: DEBUG off, templates cached, plain static storage, plus the
    benchmarks' URLconf (bench/urls.py) with the bare view that the product's URLs never have."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="stemtest.settings",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        LOG_LEVEL="ERROR",
    )
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    import django

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"


def serve(port: int) -> None:
    from gunicorn.app.base import BaseApplication

    setup_django()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"127.0.0.1:{port}",
                "workers": 1,
                "threads": 4,
                "worker_class": "gthread",
                "keepalive": 30,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


def request_loop(args) -> tuple[int, int]:
    """One client: keep-alive requests for `seconds`; returns (done, unexpected statuses)."""
    port, method, path, body, headers, status, seconds = args
    connection = http.client.HTTPConnection("127.0.0.1", port)
    done = bad = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        done += 1
        bad += response.status != status
    connection.close()
    return done, bad


def measure(server_pid, port, clients, seconds, method, path, body, headers, status):
    """Returns (requests per wall-clock second, requests per server CPU second)."""
    job = (port, method, path, body, headers or {}, status, seconds)
    request_loop((port, method, path, body, headers or {}, status, 0.3))  # warm
    with multiprocessing.Pool(clients) as pool:
        cpu, start = server_cpu_seconds(server_pid), time.perf_counter()
        results = pool.map(request_loop, [job] * clients)
        elapsed, cpu = time.perf_counter() - start, server_cpu_seconds(server_pid) - cpu
    done, bad = sum(r[0] for r in results), sum(r[1] for r in results)
    if bad:
        raise SystemExit(f"{method} {path[:60]}: {bad} of {done} responses were not {status}")
    return done / elapsed, done / max(cpu, 1e-9)


def call_in_process(application, method, path, body, headers) -> int:
    """One request through the WSGI application, as gunicorn would make it; the status."""
    path, _, query = path.partition("?")
    body = (body or "").encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    statuses = []
    result = application(environ, lambda status, *_: statuses.append(int(status[:3])))
    try:
        b"".join(result)
    finally:
        result.close()
    return statuses[0]


def in_process(run, calls: int, profile: str | None) -> None:
    """CPU ms per request of each step, called in this process (means of `calls`, after a
    warm-up), and cProfile's top functions for the step named `profile`."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    print(f"{'':10} {'CPU ms':>7}  (in-process, mean of {calls} calls)")
    for name, method, path, body, headers, status in run:
        for _ in range(max(calls // 10, 10)):  # warm: caches, fragments
            if call_in_process(application, method, path, body, headers) != status:
                raise SystemExit(f"{name}: not {status}")
        start = time.process_time()
        for _ in range(calls):
            call_in_process(application, method, path, body, headers)
        print(f"{name:12} {1000 * (time.process_time() - start) / calls:7.3f}")
    for name, method, path, body, headers, _status in run:
        if name != profile:
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            call_in_process(application, method, path, body, headers)
        profiler.disable()
        for order in ("tottime", "cumulative"):
            print(f"\n{name}: cProfile, {calls} calls, by {order}")
            pstats.Stats(profiler).sort_stats(order).print_stats(25)


def requests_to_time(slug: str) -> tuple:
    """The quiz's snapshot and the requests to time: (name, method, path, body, headers,
    expected status) per step."""
    from quiz.answers import Answer, encode
    from quiz.snapshot import get_snapshot

    snapshot = get_snapshot(slug)
    choices = ["eens", "oneens", "neutraal", "eens", "overslaan"]
    answers = {
        s.id: Answer(choices[i % len(choices)], i % 7 == 0)
        for i, s in enumerate(snapshot.statements)
    }
    first_11 = {s.id: answers[s.id] for s in snapshot.statements[:11]}
    half, full = encode(first_11, snapshot), encode(answers, snapshot)
    step = f"/stemtest/{slug}/stelling/12/?a={half}"
    form = urlencode({"a": half, "stelling": snapshot.statements[11].id, "answer": "eens"})
    post = {"Content-Type": "application/x-www-form-urlencoded"}
    gzip_ok = {"Accept-Encoding": "gzip, br"}
    run = [
        ("bare", "GET", "/bench/bare/", None, None, 200),
        ("landing", "GET", f"/stemtest/{slug}/", None, gzip_ok, 200),
        ("statement", "GET", f"/stemtest/{slug}/stelling/1/", None, gzip_ok, 200),
        ("step GET", "GET", step, None, None, 200),
        ("step POST", "POST", f"/stemtest/{slug}/stelling/12/", form, post, 303),
        ("results", "GET", f"/stemtest/{slug}/resultaat/?a={full}", None, None, 200),
        ("bundle", "GET", f"/stemtest/{slug}/stellingen/", None, gzip_ok, 200),
        ("results page", "GET", f"/stemtest/{slug}/resultaat/", None, gzip_ok, 200),
    ]
    return snapshot, run


def against_gunicorn(server_pid: int, port: int, snapshot, run, options) -> None:
    """Time each request under gunicorn, in interleaved rounds, and print the medians."""
    print(
        f"{len(snapshot)} statements, {len(snapshot.parties)} part(y/ies); "
        f"gunicorn 1 gthread worker, {options.clients} client processes, {options.seconds:g} s "
        f"× {options.rounds} rounds each, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    wall: dict[str, list[float]] = {name: [] for name, *_ in run}
    capacity: dict[str, list[float]] = {name: [] for name, *_ in run}
    for _ in range(options.rounds):  # interleaved, so that load from elsewhere hits all alike
        for name, method, path, body, headers, status in run:
            rate, per_cpu = measure(
                server_pid,
                port,
                options.clients,
                options.seconds,
                method,
                path,
                body,
                headers,
                status,
            )
            wall[name].append(rate)
            capacity[name].append(per_cpu)
    print(f"{'':12} {'req/s':>8} {'vs bare':>8} {'req/CPU-s':>10} {'vs bare':>8} {'target':>7}")
    for name, *_ in run:
        rate, per_cpu = statistics.median(wall[name]), statistics.median(capacity[name])
        ratio = rate / statistics.median(wall["bare"])
        cpu_ratio = per_cpu / statistics.median(capacity["bare"])
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else f"{target:>6.0%} {'ok' if cpu_ratio >= target else 'MISSED'}"
        )
        print(f"{name:12} {rate:8.0f} {ratio:8.0%} {per_cpu:10.0f} {cpu_ratio:8.0%} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians")
    parser.add_argument("--quiz", default="vooruit-2024")
    parser.add_argument("--in-process", action="store_true", help="CPU per step, no server")
    parser.add_argument("--calls", type=int, default=2000, help="per step, with --in-process")
    parser.add_argument("--profile", help="with --in-process: cProfile this step")
    options = parser.parse_args()

    if options.in_process:
        setup_django()
        _, run = requests_to_time(options.quiz)
        return in_process(run, options.calls, options.profile)
    port = free_port()
    # Started before this process sets Django up (and opens the database): it sets up its own.
    server = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    server.start()
    try:
        setup_django()
        snapshot, run = requests_to_time(options.quiz)
        wait_until_ready(port, server)
        against_gunicorn(server.pid, port, snapshot, run, options)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
