"""``one_of(column, ids)``: ``column IN ids`` as one bound value, whatever the number of ids;
``id_pairs``: rows of two id lists, each list one bound value.

An ``IN`` list binds one parameter per id, so its SQL differs with the number of ids and the
driver parses it afresh each time (psycopg caches statements of at most 50 parameters; the
therapist's client list asks about 200 clients several times per view). Here the ids travel as
one array: ``column = ANY(:ids)`` on PostgreSQL, ``column IN (SELECT value FROM
json_each(:ids))`` on SQLite (the ids as a JSON array). Same rows as ``column.in_(ids)``.

On PostgreSQL the array travels as its text form (``{"id1","id2"}``, made here in one join):
psycopg adapts a Python list element by element in Python, 0.4-0.6 ms for 200 ids, where
the text form is made in 0.03 ms and parsed by the server in C.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Boolean, ColumnElement, FromClause, Text, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType


def array_text(ids: Iterable[str]) -> str:
    """PostgreSQL's text form of a one-dimensional array of ``ids``: each one double-quoted,
    its backslashes and double quotes escaped (so any string, "NULL" too, reads back as
    itself)."""
    ids = list(ids)
    if not ids:
        return "{}"
    joined = '","'.join(ids)
    # Each separator holds two double quotes: any more are in an id (ours never hold one).
    if "\\" in joined or joined.count('"') != 2 * (len(ids) - 1):
        joined = '","'.join(i.replace("\\", "\\\\").replace('"', '\\"') for i in ids)
    return '{"' + joined + '"}'


class _ArrayText(UserDefinedType[str]):
    """A text array (``VARCHAR[]``, the bound value cast to it as ``ARRAY(String)``'s is) bound
    as its text form (:func:`array_text`), passed to the driver as it is."""

    cache_ok = True
    render_bind_cast = True

    def get_col_spec(self, **_: Any) -> str:
        return "VARCHAR[]"


class IdList(TypeDecorator[list[str]]):
    """A list of ids bound as one value: a text array on PostgreSQL (sent as its text form),
    JSON text elsewhere."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return _ArrayText()
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> Any:
        ids = value or []
        return array_text(ids) if dialect.name == "postgresql" else to_json(list(ids)).decode()


class one_of(ColumnElement[bool]):
    """Whether ``column`` is one of ``ids``."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a comparison: no "= 1" after it where booleans are integers
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy's protocol)
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(
        self,
        column: ColumnElement[Any] | QueryableAttribute[Any],
        ids: Iterable[str] | BindParameter[Any],
    ):
        self.column = (
            column.__clause_element__() if isinstance(column, QueryableAttribute) else column
        )
        # A named parameter (``ids_parameter``) lets a statement be built once, at import.
        self.ids = ids if isinstance(ids, BindParameter) else bindparam(None, list(ids), IdList())


def ids_parameter(name: str) -> BindParameter[Any]:
    """A named parameter for :class:`one_of` in a statement built once: bind the ids by name."""
    return bindparam(name, type_=IdList())


@compiles(one_of)
def _one_of(element: one_of, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} IN (SELECT value FROM json_each({compiler.process(element.ids, **kw)}))"


@compiles(one_of, "postgresql")
def _one_of_postgresql(element: one_of, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.ids, **kw)})"


def id_pairs(dialect: str, first: list[str], second: list[str]) -> FromClause:
    """Rows ``(first, second)`` made from two lists of ids of one length, each list bound as
    one value (for an ``INSERT ... SELECT`` of many rows in one short statement): ``unnest`` of
    two arrays on PostgreSQL, ``json_each`` of a JSON array of pairs on SQLite."""
    if len(first) != len(second):
        raise ValueError("id_pairs needs two lists of one length")
    if dialect == "postgresql":
        arrays = (
            bindparam(None, array_text(first), type_=_ArrayText()),
            bindparam(None, array_text(second), type_=_ArrayText()),
        )
        return func.unnest(*arrays).table_valued("first", "second").render_derived(name="pairs")
    pairs = to_json([list(pair) for pair in zip(first, second, strict=True)]).decode()
    each = func.json_each(bindparam(None, pairs, type_=Text())).table_valued("value").alias("each")
    return select(
        func.json_extract(each.c.value, "$[0]").label("first"),
        func.json_extract(each.c.value, "$[1]").label("second"),
    ).subquery("pairs")
