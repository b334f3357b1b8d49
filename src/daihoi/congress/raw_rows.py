"""Model rows read with one hand-written joined SELECT, made into model instances exactly as the ORM
makes them: the hot paths' reads (the gate, the cast's election lock), where building the ORM's query
cost more than running it.

Only table and column names from the models' own metadata are formatted into the SQL; every value is a
parameter. Each value goes through the converters the ORM applies (dates and booleans on SQLite, JSON
everywhere), so an instance read here equals the one `QuerySet` would give; the gate's and the cast's
tests compare them with the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]

_converters: dict[tuple[str, type[Model], tuple[str, ...]], list[tuple[Any, list[Converter]]]] = {}
_column_lists: dict[tuple[str, type[Model], tuple[str, ...], str], str] = {}


def all_fields(model: type[Model]) -> tuple[str, ...]:
    """Every concrete field's attname, in the model's order (as `from_db` takes them)."""
    return tuple(f.attname for f in model._meta.concrete_fields)


def columns(model: type[Model], attnames: Sequence[str], alias: str, connection: BaseDatabaseWrapper) -> str:
    """`alias.col, alias.col, ...` for these fields of the model, quoted for the connection (kept per
    database vendor: quoting every column again cost a hot read more than its SQL)."""
    key = (connection.vendor, model, tuple(attnames), alias)
    found = _column_lists.get(key)
    if found is None:
        quote = connection.ops.quote_name
        found = ", ".join(f"{alias}.{quote(model._meta.get_field(name).column)}" for name in attnames)  # type: ignore[union-attr]
        _column_lists[key] = found
    return found


def table(model: type[Model], connection: BaseDatabaseWrapper) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _field_converters(
    connection: BaseDatabaseWrapper, model: type[Model], attnames: tuple[str, ...]
) -> list[tuple[Any, list[Converter]]]:
    """Each field's column expression and the converters the ORM applies to its values (kept per model
    and database vendor: working them out cost more than the read)."""
    key = (connection.vendor, model, attnames)
    found = _converters.get(key)
    if found is None:
        found = []
        for name in attnames:
            field = model._meta.get_field(name)
            column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
            found.append(
                (column, [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)])  # type: ignore[union-attr, list-item]
            )
        _converters[key] = found
    return found


def instance(
    connection: BaseDatabaseWrapper, model: type[M], attnames: tuple[str, ...], values: Sequence[Any]
) -> M:
    """The model instance of these database values (of the fields `attnames`, in that order), converted
    as the ORM converts them."""
    converted = list(values)
    for i, (column, converters) in enumerate(_field_converters(connection, model, attnames)):
        for convert in converters:
            converted[i] = convert(converted[i], column, connection)
    return model.from_db(connection.alias, list(attnames), converted)


def instances(
    connection: BaseDatabaseWrapper, row: Sequence[Any], *parts: tuple[type[Model], tuple[str, ...]]
) -> list[Any]:
    """One joined row cut into the instances of its parts, each (model, its fields) in the row's order."""
    made, start = [], 0
    for model, attnames in parts:
        made.append(instance(connection, model, attnames, row[start : start + len(attnames)]))
        start += len(attnames)
    return made


def one_with_congress(
    connection: BaseDatabaseWrapper,
    model: type[M],
    attnames: tuple[str, ...],
    where: str,
    params: Sequence[Any],
    tail: str = "",
) -> M | None:
    """The first row of `model` (alias `m`) joined to its congress (alias `c`) where `where` holds, as an
    instance with `.congress` set (every concrete field of the congress); None if there is none.
    `where` and `tail` are SQL written by the caller, with every value a %s parameter."""
    from daihoi.congress.models import Congress

    fields = all_fields(Congress)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(model, attnames, 'm', connection)}, {columns(Congress, fields, 'c', connection)} "  # noqa: S608
            f"FROM {table(model, connection)} m JOIN {table(Congress, connection)} c ON c.id = m.congress_id "
            f"WHERE {where}{tail}",
            list(params),
        )
        row = cursor.fetchone()
    if row is None:
        return None
    found, found.congress = instances(connection, row, (model, attnames), (Congress, fields))
    return found  # type: ignore[no-any-return]
