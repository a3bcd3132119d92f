"""`field__among=[ids]`: `field IN (ids)` for long lists of ids.

Django sends `IN (%s, %s, …)` with one parameter per id; with the thousands of units and reports of
an import, preparing each parameter and splitting the query text for them cost more than running
the query. On PostgreSQL the list goes as one array parameter (`= ANY(%s)`), which the planner
also sizes right; elsewhere it is Django's own `IN`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if not isinstance(self.rhs, Iterable) or isinstance(self.rhs, str | bytes):
            raise TypeError("__among takes a list of ids")
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]


def register() -> None:
    Field.register_lookup(Among)
    ForeignObject.register_lookup(Among)  # relations keep their own registry
