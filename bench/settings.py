"""Settings for bench/load.py's gunicorn: the product's settings plus the bench-only URLconf
(a bare view) and a throwaway STATIC_ROOT. Never used outside the benchmark."""

import os

from stemtest.settings import *  # noqa: F403 (Django's way to extend settings)

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
