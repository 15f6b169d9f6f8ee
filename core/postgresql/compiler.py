"""Django's PostgreSQL compilers, where saving one new row reuses its INSERT statement.

Saving a new row through the ORM compiles its INSERT afresh every time: for a journal entry
(56 columns, most of them another kind's) that took longer than PostgreSQL takes to run it.
The statement depends only on the table, the columns written and the columns returned, so
for the usual case (one row of plain values, no ON CONFLICT, no database defaults) Django
builds it once per process, and afterwards only the values are prepared, by each field's
own pre_save() and get_db_prep_save(), as Django prepares them. Anything else (bulk
inserts, expressions, database defaults) is compiled as Django compiles it.
"""

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
    def as_sql(self):
        query = self.query
        fields = list(query.fields)
        if (
            len(query.objs) != 1
            or query.on_conflict is not None
            or not fields
            or any(f.has_db_default() or hasattr(f, "get_placeholder_sql") for f in fields)
        ):
            return super().as_sql()
        values = [self.pre_save_val(field, query.objs[0]) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            return super().as_sql()
        returning = tuple(self.returning_fields or ())
        key = (query.model, tuple(fields), returning, self.connection.alias)
        if key not in _STATEMENTS:
            [(sql, params)] = super().as_sql()
            _STATEMENTS[key] = (sql, tuple(self.returning_params))
            return [(sql, params)]
        sql, self.returning_params = _STATEMENTS[key]
        prepared = zip(fields, values, strict=True)
        params = [field.get_db_prep_save(value, self.connection) for field, value in prepared]
        return [(sql, (*params, *self.returning_params))]
