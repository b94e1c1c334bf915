"""gunicorn for `make serve`. Figures behind the defaults: docs/PERFORMANCE.md."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core with 4 threads (gthread): measured on 2 cores, as little CPU per completed
# quiz as sync workers and as many quizzes per second, with keep-alive (clients and the load
# balancer reuse connections) and no need for a buffering proxy against slow clients.
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
preload_app = True  # import Django once, fork warm workers
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = None
errorlog = "-"
