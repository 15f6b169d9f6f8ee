"""Django's PostgreSQL backend, whose health check asks the socket before the server, whose
compilers reuse one row's INSERT statement (compiler.py), and which prepares the statements
that every request runs (prepared_cursor).

With CONN_HEALTH_CHECKS on, Django checks a kept connection at the start of each request
by running SELECT 1: a round trip on every request, about 0.2 ms of a page that takes 3.
A connection the server has closed (a restart, a crash, an administrator ending it) has
its goodbye and the end of the stream waiting to be read, while a connection in good
health between requests has nothing to read. So the socket is asked first, which costs
no round trip; only when something is waiting does SELECT 1 decide, as Django's own
check would. A server that vanishes without closing anything (a partition) fails the
request's first query instead; the request's error closes the connection for the next.
"""

import select

import psycopg
import psycopg._queries
from django.db.backends.postgresql import base

# psycopg remembers how it split a statement around its placeholders only for statements of
# at most 50 parameters; a journal entry's INSERT has 56, and splitting it again on every
# save took longer than preparing its values. Raised for this process (a tuning knob of
# psycopg's; if a release drops it, statements are split every time, as before).
if getattr(psycopg._queries, "MAX_CACHED_STATEMENT_PARAMS", 100) < 100:
    psycopg._queries.MAX_CACHED_STATEMENT_PARAMS = 100


class DatabaseOperations(base.DatabaseOperations):
    compiler_module = "core.postgresql.compiler"  # one row's INSERT built once (compiler.py)


class _PreparingCursor(psycopg.Cursor):
    """Binds its values on the server and prepares each statement the first time it runs on
    the connection; afterwards PostgreSQL neither parses nor plans it again."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("prepare_threshold") is None:
            # Django turns prepared statements off (a pooler in transaction mode loses them
            # between transactions). Its own cursors bind values on the client and never
            # prepare whatever this says; a statement is prepared only through
            # prepared_cursor(), which names it, and psycopg never prepares on its own count.
            params["prepare_threshold"] = 2**31 - 1
        return params

    def prepared_cursor(self):
        """A cursor for the few statements every request runs (core.prebuilt.Prebuilt):
        prepared on the server once per connection, so PostgreSQL skips parsing and
        planning them (pgbench: the dashboard's page of shares 0.55 ms to 0.32, the signed-in
        user 0.16 to 0.08). Logged, wrapped and health-checked as Django's own cursors are."""
        self.close_if_health_check_failed()  # as Django's _cursor(): often the first query
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(_PreparingCursor(self.connection))

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        try:
            poller = select.poll()  # poll, not select: any descriptor number
            poller.register(self.connection.fileno(), select.POLLIN)
            waiting = poller.poll(0)
        except (OSError, ValueError, AttributeError):  # no poll here, or no socket to ask
            return super().is_usable()
        return not waiting or super().is_usable()
