"""`make pgbouncer` runs the database-heavy tests again through the suite's own PgBouncer
(scripts/ensure-test-services.sh), with the settings the README gives for it
(DATABASE_PGBOUNCER=1). This proves that run really went through it, in transaction pooling:
PgBouncer's admin console lists this test's own connection among its clients, and PostgreSQL's
session for it among PgBouncer's server connections."""

from __future__ import annotations

import os
import socket

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASE_PGBOUNCER, reason="runs in `make pgbouncer`, behind PgBouncer"
    ),
]


def _local_port_of_this_connection() -> int:
    connection.ensure_connection()
    with socket.socket(fileno=os.dup(connection.connection.pgconn.socket)) as own:
        return own.getsockname()[1]


def _admin_console(query: str) -> list[dict]:
    """What PgBouncer's admin console answers, as rows; it speaks only the simple query
    protocol, which psycopg's client-side cursor uses for a query without parameters."""
    database = connection.settings_dict
    with (
        psycopg.connect(
            host=database["HOST"],
            port=database["PORT"],
            user=database["USER"],
            dbname="pgbouncer",
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,
            row_factory=psycopg.rows.dict_row,
        ) as console,
        console.cursor() as cursor,
    ):
        cursor.execute(query)
        return cursor.fetchall()


def test_the_connection_is_a_client_of_pgbouncer_pooling_transactions():
    own_port = _local_port_of_this_connection()
    clients = _admin_console("SHOW CLIENTS")
    ours = [c for c in clients if c["addr"] == "127.0.0.1" and c["port"] == own_port]
    assert [(c["database"], c["user"]) for c in ours] == [
        (connection.settings_dict["NAME"], connection.settings_dict["USER"])
    ]
    pools = {p["database"]: p["pool_mode"] for p in _admin_console("SHOW POOLS")}
    assert pools[connection.settings_dict["NAME"]] == "transaction"


def test_postgresql_is_serving_pgbouncer():
    """The other end: the server's session running this test's queries was opened by one of
    PgBouncer's server connections to this database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_port FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        (session_client_port,) = cursor.fetchone()
    servers = _admin_console("SHOW SERVERS")
    pgbouncer_ports = {
        s["local_port"] for s in servers if s["database"] == connection.settings_dict["NAME"]
    }
    assert session_client_port in pgbouncer_ports


def test_the_settings_are_those_for_transaction_pooling():
    database = connection.settings_dict
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "pool" not in database["OPTIONS"]
    assert database["OPTIONS"]["prepare_threshold"] is None
