"""Django's PostgreSQL compilers, where saving one new row reuses its INSERT statement,
prepared on the server.

Saving a new row through the ORM compiles its INSERT afresh every time: for a journal entry
(56 columns, most of them another kind's) that took longer than PostgreSQL takes to run it.
The statement depends only on the table, the columns written and the columns returned, so
for the usual case (one row of plain values, no ON CONFLICT, no database defaults) Django
builds it once per process, and afterwards only the values are prepared, by each field's
own pre_save() and get_db_prep_save(), as Django prepares them. Anything else (bulk
inserts, expressions, database defaults) is compiled as Django compiles it.
"""

from functools import cached_property

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as DjangoInsertCompiler

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]

# (model, columns written, columns returned, connection) -> (SQL, RETURNING's params)
_STATEMENTS: dict[tuple, tuple[str, tuple]] = {}


class SQLInsertCompiler(DjangoInsertCompiler):
    @cached_property
    def _one_plain_row(self) -> list | None:
        """The values of the one row to insert (each field's pre_save(), once), or None where
        Django compiles the statement itself: several rows, ON CONFLICT, database defaults,
        expressions."""
        query = self.query
        fields = list(query.fields)
        if (
            len(query.objs) != 1
            or query.on_conflict is not None
            or not fields
            or any(f.has_db_default() or hasattr(f, "get_placeholder_sql") for f in fields)
        ):
            return None
        values = [self.pre_save_val(field, query.objs[0]) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            return None
        return values

    def as_sql(self):
        values = self._one_plain_row
        if values is None:
            return super().as_sql()
        fields = list(self.query.fields)
        returning = tuple(self.returning_fields or ())
        key = (self.query.model, tuple(fields), returning, self.connection.alias)
        if key not in _STATEMENTS:
            [(sql, params)] = super().as_sql()
            _STATEMENTS[key] = (sql, tuple(self.returning_params))
            return [(sql, params)]
        sql, self.returning_params = _STATEMENTS[key]
        prepared = zip(fields, values, strict=True)
        params = [field.get_db_prep_save(value, self.connection) for field, value in prepared]
        return [(sql, (*params, *self.returning_params))]

    def execute_sql(self, returning_fields=None):
        """One plain row goes through a prepared statement (the backend's prepared_cursor):
        its values are sent beside the statement instead of quoted into it, and PostgreSQL
        parses the statement once per connection (a journal entry's INSERT has 56 values:
        0.4 ms of Python and 0.3 ms of PostgreSQL a save). The rest is Django's."""
        self.returning_fields = returning_fields
        if self._one_plain_row is None:
            return super().execute_sql(returning_fields)
        [(sql, params)] = self.as_sql()
        with self.connection.prepared_cursor() as cursor:
            cursor.execute(sql, params)
            if not returning_fields:
                return []
            rows = self.connection.ops.fetch_returned_rows(cursor, self.returning_params)
        table = self.query.get_meta().db_table
        converters = self.get_converters([field.get_col(table) for field in returning_fields])
        return list(self.apply_converters(rows, converters) if converters else rows)
