from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Reference pages and seed data for scripts/bench; its URLs exist only with BENCH_VIEWS."""

    name = "benchmarks"
