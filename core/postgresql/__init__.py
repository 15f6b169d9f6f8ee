"""Django's PostgreSQL backend with a health check that costs no round trip and one row's
INSERT built once per process (base.py, compiler.py)."""
