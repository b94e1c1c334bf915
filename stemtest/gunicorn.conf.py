"""gunicorn for `make serve`, behind nginx (deploy/). Figures behind the defaults:
docs/PERFORMANCE.md."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8001")  # nginx listens on 8000 (deploy/serve.py)
# One process per core with 4 threads (gthread): measured on 2 cores, as little CPU per completed
# quiz as sync workers and as many quizzes per second, with keep-alive. A few slow clients can
# hold all of these threads: gunicorn must sit behind a buffering proxy (nginx, deploy/).
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
preload_app = True  # import Django once, fork warm workers
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = None
errorlog = "-"
