"""PostgreSQL: a transaction that only read ends with COMMIT, so that the connection keeps its
prepared statements.

psycopg prepares a statement on the server once the connection has run it five times, and then
sends only its name and parameters: the server neither parses nor plans it again (on the
dashboard that is 0.1-0.3 ms a statement). But psycopg forgets every prepared statement of the
connection at each ROLLBACK (a rolled-back transaction may have dropped what they refer to),
and a read's unit of work ends with a rollback when it is closed without a commit (the
dashboard page's last read, any page that only reads): so a connection's statements never got
to five runs, and every view parsed and planned each one afresh.

Here a transaction that sent only ``SELECT`` statements and is not in error ends with COMMIT
when a rollback is asked: it wrote nothing, so a COMMIT ends it exactly as a ROLLBACK would (it
ends the snapshot, frees its locks) and the prepared statements stay. A transaction that sent
anything else (a write, DDL, ``SET``, ``WITH``), or failed, is rolled back as before.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event


class ReadsEndWithCommit(psycopg.Connection[Any]):
    """A psycopg connection whose rollback of a clean, read-only transaction is a COMMIT."""

    #: Whether the open transaction sent only ``SELECT`` statements (``_seen``).
    reads_only = True

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.reads_only = True

    def rollback(self) -> None:
        try:
            if self.reads_only and self.info.transaction_status == TransactionStatus.INTRANS:
                try:
                    super().commit()  # nothing written: it ends the transaction as a rollback
                    return
                except psycopg.Error:
                    pass  # the transaction is over either way; a broken link raises below
            super().rollback()
        finally:
            self.reads_only = True


def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> ReadsEndWithCommit:
    return ReadsEndWithCommit.connect(*cargs, **cparams)


def _seen(_conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
    if not statement.lstrip()[:6].upper().startswith("SELECT"):
        connection = cursor.connection
        if isinstance(connection, ReadsEndWithCommit):
            connection.reads_only = False


def keep_prepared_statements(engine: Engine) -> None:
    """Make ``engine`` (PostgreSQL with psycopg) connect with :class:`ReadsEndWithCommit`."""
    event.listen(engine, "do_connect", _connect)
    event.listen(engine, "before_cursor_execute", _seen)
