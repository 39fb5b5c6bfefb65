"""The background worker rides out a database outage and carries on (manage.py run_worker)."""

from __future__ import annotations

import signal

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.support.outage_proxy import OutageProxy
from tests.support.worker_tasks import answer
from tests.support.workers import WAIT_SECONDS, WorkerOutput, start_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proxy():
    doorway = OutageProxy(connection.settings_dict)
    yield doorway
    doorway.close()


def test_the_worker_carries_on_after_the_database_comes_back(proxy):
    worker = start_worker(proxy.url())
    output = WorkerOutput(worker)
    try:
        before = answer.enqueue("before the outage")
        output.wait_for(
            f"Task id={before.id} path=tests.support.worker_tasks.answer state=SUCCESSFUL"
        )

        proxy.cut()
        output.wait_for("The database is unavailable")
        assert worker.poll() is None, "the worker stopped with the database"

        proxy.restore()
        after = answer.enqueue("after the outage")
        output.wait_for(
            f"Task id={after.id} path=tests.support.worker_tasks.answer state=SUCCESSFUL"
        )
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=WAIT_SECONDS)
    results = DBTaskResult.objects.filter(id__in=[before.id, after.id])
    assert sorted(results.values_list("return_value", flat=True)) == [
        "after the outage",
        "before the outage",
    ]


def test_a_first_sigterm_stops_the_worker_quietly(proxy):
    worker = start_worker(proxy.url())
    output = WorkerOutput(worker)
    output.wait_for("Starting worker")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=WAIT_SECONDS) == 0
    assert "Traceback" not in output.everything()
