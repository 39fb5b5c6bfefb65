"""Which database errors mean "the database is away" (a kind 503) and which are errors of their own.

The outage itself is met through real requests in test_middleware.py, with the connection
refused. The other ways a server is away (a restart, a failover, a name that does not resolve)
cannot be made on demand here: these are the messages PostgreSQL, libpq and psycopg give then.
"""

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.test import RequestFactory

from tributes.security.middleware import DatabaseOutageMiddleware

AWAY = {
    "refused": 'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
    "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
    "pool timeout": "couldn't get a connection after 3.00 sec",
    "restart": "terminating connection due to administrator command",
    "crash": "server closed the connection unexpectedly\n\tThis probably means the server "
    "terminated abnormally\n\tbefore or while processing the request.",
    "shutting down": "the database system is shutting down",
    "starting up": "the database system is starting up",
    "recovery": "the database system is in recovery mode",
    "dns": "failed to resolve host 'db.internal': [Errno -2] Name or service not known",
    "dns, libpq": 'could not translate host name "db.internal" to address: Name or service not known',
}


def answer(error: Exception, method: str = "get"):
    request = getattr(RequestFactory(), method)("/memorials/teddy/")
    return DatabaseOutageMiddleware(lambda request: None).process_exception(request, error)


@pytest.mark.parametrize("message", AWAY.values(), ids=AWAY.keys())
def test_a_database_that_is_away_gets_the_kind_page_with_retry_after(message):
    response = answer(OperationalError(message))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Please try again in a minute" in response.text


def test_a_broken_connection_object_is_an_outage_whatever_it_says():
    assert answer(InterfaceError("cursor already closed")).status_code == 503


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("canceling statement due to lock timeout"),
        OperationalError("canceling statement due to statement timeout"),
        IntegrityError("duplicate key value violates unique constraint"),
        # A mistake of ours, whatever words it happens to contain.
        ProgrammingError('relation "connection_log" does not exist'),
    ],
    ids=["lock timeout", "statement timeout", "integrity", "our own mistake"],
)
def test_an_answer_from_a_database_that_is_there_stays_an_error_of_its_own(error):
    assert answer(error) is None


def test_the_outage_line_gives_the_first_line_of_the_reason_and_nothing_made_up(caplog):
    answer(OperationalError(AWAY["crash"]))
    answer(InterfaceError(""))
    assert [r.getMessage() for r in caplog.records if r.name == "tributes.security.middleware"] == [
        "database unavailable, answered 503: server closed the connection unexpectedly",
        "database unavailable, answered 503: ",
    ]
