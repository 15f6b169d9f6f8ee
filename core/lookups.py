"""`field__any=[...]`: the field equals one of the values, sent as one array.

`field__in=[...]` writes one placeholder per value: for a batch of 500 ids Django builds 500
of them, psycopg splits the statement around each, and PostgreSQL plans the list value by
value (a join on the batch's users took 3 ms to plan and 0.4 ms to run). On PostgreSQL this
lookup sends the list as one array (`= ANY(%s)`), planned at once; elsewhere it is `IN`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        field = self.lhs.output_field
        return [field.get_prep_value(value) for value in self.rhs]

    def process_rhs(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as `__in=[]`: nothing matches (and exclude() keeps all)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]
        if connection.vendor == "postgresql":
            return "ANY(%s)", [values]
        return f"({', '.join(['%s'] * len(values))})", values

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "=" if connection.vendor == "postgresql" else "IN"
        return f"{lhs} {operator} {rhs}", (*lhs_params, *rhs_params)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # related fields keep a lookup list of their own
