"""Django's PostgreSQL backend, whose health check asks the socket before the server, and
whose compilers reuse one row's INSERT statement (compiler.py).

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


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

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
