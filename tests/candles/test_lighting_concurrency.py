"""A burst of concurrent lights: every candle counted once, none lost, one per visitor."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection

from tests.support.factories import CandleEventFactory
from tributes.candles.lighting import light_event_candle
from tributes.candles.status import event_candle_status
from tributes.models import Candle

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _in_threads(count, work):
    """Run `work(i)` in `count` threads, each on its own database connection, released together."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.fixture
def live_event():
    now = dt.datetime.now(dt.UTC).astimezone(LONDON)
    start = (now - dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    return CandleEventFactory(
        memorial=None,
        local_date=start.date(),
        local_time=start.time(),
        time_zone="Europe/London",
        duration=dt.timedelta(hours=2),
    )


def test_concurrent_lights_by_different_visitors_are_all_counted_exactly(live_event):
    lights_per_thread = 5

    def work(i):
        return [
            light_event_candle(
                event=live_event,
                visitor_key=f"visitor-{i}-{n}",
                visitor_zone=LONDON,
                name=f"Lighter {i}-{n}",
                submission_key="",
                message="",
                show_name=True,
                dedicated_to=None,
            ).already_lit
            for n in range(lights_per_thread)
        ]

    results = _in_threads(16, work)
    assert all(already is False for batch in results for already in batch)
    assert Candle.objects.filter(event=live_event).count() == 16 * lights_per_thread
    assert event_candle_status(live_event, fresh=True)["count"] == 16 * lights_per_thread


def test_one_visitor_lighting_from_many_tabs_at_once_gets_one_candle(live_event):
    def work(i):
        return light_event_candle(
            event=live_event,
            visitor_key="same-visitor",
            visitor_zone=LONDON,
            name="Sam",
            submission_key="",
            message="",
            show_name=True,
            dedicated_to=None,
        )

    results = _in_threads(12, work)
    assert Candle.objects.filter(event=live_event).count() == 1
    assert sum(not lit.already_lit for lit in results) == 1
    assert {lit.candle.pk for lit in results} == {Candle.objects.get().pk}
