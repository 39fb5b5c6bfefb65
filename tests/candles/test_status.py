"""What an event page and its status poll show, and what they cost in queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.support.factories import CandleEventFactory, CandleFactory, MemorialFactory
from tributes.models import Visibility

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def test_the_status_poll_gives_the_count_and_newest_candles(client, event):
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    CandleFactory(
        event=event, memorial=event.memorial, name="Secret", show_name=False, lit_at=START
    )
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.get(reverse("tributes:event_status", args=[event.slug]))
    data = response.json()
    assert data["count"] == 2
    assert data["count_text"] == "2 candles lit"
    assert data["state"] == "live"
    assert sorted(candle["name"] for candle in data["candles"]) == ["Nana Jo", "Someone"]


def test_the_status_poll_is_cheap(client, event, django_assert_num_queries):
    url = reverse("tributes:event_status", args=[event.slug])
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        with django_assert_num_queries(3):
            client.get(url)
        # Within the next two seconds every visitor's poll shares one answer: no query at all.
        with django_assert_num_queries(0):
            client.get(url)
    later = START + dt.timedelta(minutes=1, seconds=3)
    with time_machine.travel(later, tick=False), django_assert_num_queries(3):
        client.get(url)


def test_the_event_page_query_count_is_pinned(client, event, django_assert_max_num_queries):
    CandleFactory.create_batch(30, event=event, memorial=event.memorial, lit_at=START)
    later = START + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), django_assert_max_num_queries(5):
        client.get(event.get_absolute_url())


def test_a_repeated_poll_gets_304_until_a_candle_is_lit(client, event):
    url = reverse("tributes:event_status", args=[event.slug])
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        first = client.get(url)
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert first.status_code == 200 and etag.startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    CandleFactory(event=event, memorial=event.memorial, lit_at=START + dt.timedelta(minutes=1))
    # Once the shared answer has run out, the new candle changes the answer and its ETag.
    with time_machine.travel(START + dt.timedelta(minutes=1, seconds=3), tick=False):
        changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["count"] == 1
    assert changed["ETag"] != etag


def test_the_visitors_poll_may_be_kept_by_caches_for_two_seconds(client, event):
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.get(reverse("tributes:event_status", args=[event.slug]))
    assert response["Cache-Control"] == "public, max-age=2"
    # A fixed event's answer is the same in every zone: nothing to vary on.
    assert "Cookie" not in response.get("Vary", "")


def test_a_floating_events_poll_varies_with_the_visitors_zone(client, wave_of_light):
    url = reverse("tributes:event_status", args=[wave_of_light.slug])
    # 19:00 in London is live there, while in New York it is still five hours away.
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        london = client.get(url)
        client.cookies["tz"] = "America/New_York"
        new_york = client.get(url)
    assert "Cookie" in london["Vary"]
    assert (london.json()["state"], new_york.json()["state"]) == ("live", "before")


def test_a_private_memorials_poll_is_private_to_its_family(client, owner):
    memorial = MemorialFactory(visibility=Visibility.PRIVATE, owners=[owner])
    event = CandleEventFactory(memorial=memorial, local_date=START.date(), local_time=dt.time(19))
    client.force_login(owner)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.get(reverse("tributes:event_status", args=[event.slug]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=2"
    client.logout()
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        # The family's answer was never shared with visitors: still 404 for them.
        assert client.get(reverse("tributes:event_status", args=[event.slug])).status_code == 404


def test_the_event_page_draws_a_candle_for_each_lit_up_to_the_walls_size(client, event):
    from tributes.candles.status import WALL_CANDLES

    CandleFactory.create_batch(3, event=event, memorial=event.memorial, lit_at=START)
    url = event.get_absolute_url()
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        page = client.get(url).text
    wall = page[
        page.index("data-candle-wall") : page.index("</ul>", page.index("data-candle-wall"))
    ]
    assert wall.count("<li>") == 3
    assert f'data-wall-size="{WALL_CANDLES}"' in wall
    assert "3 candles lit" in page

    CandleFactory.create_batch(
        WALL_CANDLES, event=event, memorial=event.memorial, lit_at=START + dt.timedelta(seconds=5)
    )
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        page = client.get(url).text
    wall = page[
        page.index("data-candle-wall") : page.index("</ul>", page.index("data-candle-wall"))
    ]
    assert wall.count("<li>") == WALL_CANDLES
    assert f"{WALL_CANDLES + 3} candles lit" in page


def test_one_candle_is_counted_in_the_singular(client, event):
    CandleFactory(event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.get(reverse("tributes:event_status", args=[event.slug]))
    assert response.json()["count_text"] == "1 candle lit"


def test_a_visitors_poll_is_never_more_than_two_seconds_behind(client, event):
    from django.test import Client

    url = reverse("tributes:event_status", args=[event.slug])
    at = START + dt.timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        assert client.get(url).json()["count"] == 0
    # A second later someone opens the page, which counts afresh for itself...
    with time_machine.travel(at + dt.timedelta(seconds=1), tick=False):
        Client().get(event.get_absolute_url())
    CandleFactory(event=event, memorial=event.memorial, lit_at=at + dt.timedelta(seconds=1))
    # ...and once the visitors' shared answer has run out, it is counted again, not reused.
    with time_machine.travel(at + dt.timedelta(seconds=2, milliseconds=500), tick=False):
        assert client.get(url).json()["count"] == 1


def test_the_page_gives_its_script_the_servers_time(client, event):
    # The countdown runs from the server's clock, not from a visitor's device set wrong.
    with time_machine.travel(START - dt.timedelta(minutes=10), tick=False):
        page = client.get(event.get_absolute_url()).text
    assert 'data-server-now="2026-10-15T17:50:00+00:00"' in page


def test_a_floating_event_page_speaks_of_the_visitors_own_time(client, wave_of_light):
    client.cookies["tz"] = "Asia/Tokyo"
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        page = client.get(wave_of_light.get_absolute_url()).text
    assert "It will be lit at 19:00 your time, and then you can light yours." in page
    # 19:00 to 20:00 in Tokyo is 10:00 to 11:00 UTC.
    assert 'data-starts-at="2026-10-15T10:00:00+00:00"' in page
    assert 'data-ends-at="2026-10-15T11:00:00+00:00"' in page


def test_the_names_on_record_wait_until_the_event_has_ended(client, event):
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        live = client.get(event.get_absolute_url()).text
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        ended = client.get(event.get_absolute_url()).text
    assert '<h3 class="h5">Lit by</h3>' not in live
    assert '<h3 class="h5">Lit by</h3>' in ended


def test_the_event_page_at_an_instant_shows_the_state_then(event):
    from tributes.candles.status import event_page

    # Asked about the event's first minutes, whatever the clock says now.
    page = event_page(event, now=START + dt.timedelta(minutes=5), zone=event.zone, visitor_key=None)
    assert page["state"] == "live"
    assert page["names_on_record"] is None


def _record(page: str) -> str:
    """The names under "Lit by" on an ended event's page."""
    return re.search(r'<h3 class="h5">Lit by</h3>\s*<p class="user-text">(.*?)</p>', page, re.S)[1]


def test_after_the_event_the_record_names_those_who_shared_their_name(client, event):
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    CandleFactory(event=event, memorial=event.memorial, name="Uncle Ray", lit_at=START)
    CandleFactory(event=event, memorial=event.memorial, name="Quiet One", show_name=False)
    CandleFactory(event=event, memorial=event.memorial, name="Held Name", words_held=True)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        record = _record(client.get(event.get_absolute_url()).text)
    assert sorted(record.split(", ")) == ["Nana Jo", "Uncle Ray"]


def test_a_floating_event_is_live_for_a_visitor_once_it_is_19_00_where_they_are(
    client, wave_of_light
):
    # 10:05 UTC is 19:05 in Tokyo, where the wave has reached; in London it is hours away.
    at = dt.datetime(2026, 10, 15, 10, 5, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        london = client.get(wave_of_light.get_absolute_url()).text
        client.cookies["tz"] = "Asia/Tokyo"
        tokyo = client.get(wave_of_light.get_absolute_url()).text
    assert 'data-state="before"' in london
    assert 'data-state="live"' in tokyo
    # The form to light a candle is shown to the visitor in Tokyo, not hidden until 19:00 in London.
    action = reverse("tributes:event_light", args=[wave_of_light.slug])
    light_form = re.search(rf'<form method="post" action="{action}"[^>]*>', tokyo)[0]
    assert " hidden" not in light_form


def test_a_family_member_signed_in_polls_each_event_for_its_own_candles(client, owner, event):
    other = CandleEventFactory(
        memorial=event.memorial, local_date=START.date(), local_time=dt.time(19)
    )
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    CandleFactory.create_batch(2, event=other, memorial=event.memorial, lit_at=START)
    client.force_login(owner)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        first = client.get(reverse("tributes:event_status", args=[event.slug])).json()
        second = client.get(reverse("tributes:event_status", args=[other.slug])).json()
    assert (first["count"], second["count"]) == (1, 2)
    assert "Nana Jo" not in [candle["name"] for candle in second["candles"]]


def test_a_family_members_poll_is_never_more_than_two_seconds_behind(client, owner, event):
    url = reverse("tributes:event_status", args=[event.slug])
    client.force_login(owner)
    at = START + dt.timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        assert client.get(url).json()["count"] == 0
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=at)
    with time_machine.travel(at + dt.timedelta(seconds=2, milliseconds=500), tick=False):
        answer = client.get(url).json()
    assert answer["count"] == 1
    assert [candle["name"] for candle in answer["candles"]] == ["Nana Jo"]


def test_a_first_time_visitors_event_page_shares_the_count_for_two_seconds(client, event):
    CandleFactory(event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        assert "1 candle lit" in client.get(event.get_absolute_url()).text
        CandleFactory(event=event, memorial=event.memorial, lit_at=START)
        # Shared by every first-time visitor for a moment, as the poll is.
        assert "1 candle lit" in client.get(event.get_absolute_url()).text
    with time_machine.travel(START + dt.timedelta(minutes=1, seconds=3), tick=False):
        assert "2 candles lit" in client.get(event.get_absolute_url()).text


def test_whoever_lit_a_candle_sees_it_counted_at_once(client, event):
    CandleFactory(event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        assert "1 candle lit" in client.get(event.get_absolute_url()).text
        lit = client.post(
            reverse("tributes:event_light", args=[event.slug]),
            {"name": "Sam", "show_name": "on"},
        )
        assert lit.status_code == 302
        assert "2 candles lit" in client.get(event.get_absolute_url()).text


def test_a_warm_event_page_for_a_first_time_visitor_asks_nothing_of_the_database(
    client, event, django_assert_num_queries
):
    CandleFactory.create_batch(3, event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        first = client.get(event.get_absolute_url()).text
        with django_assert_num_queries(0):
            again = client.get(event.get_absolute_url()).text
    keys = [re.search(r'name="submission_key" value="([^"]+)"', html)[1] for html in (first, again)]
    # Rendered once, each page still carries its own key.
    assert keys[0] != keys[1] and "marker" not in keys[1]


def test_whoever_lit_a_candle_opens_the_page_without_a_count_of_the_whole_event(client, event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CandleFactory.create_batch(3, event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        # The pollers' shared answer is made before this visitor lights theirs...
        assert "3 candles lit" in client.get(event.get_absolute_url()).text
        client.post(
            reverse("tributes:event_light", args=[event.slug]), {"name": "Sam", "show_name": "on"}
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(event.get_absolute_url()).text
    # ...and their page counts theirs into it: at the rush nobody's page counts every candle.
    assert "4 candles lit" in page
    assert "Sam" in page
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"]]


def test_a_candle_already_in_the_shared_count_is_not_counted_twice(client, event):
    CandleFactory(event=event, memorial=event.memorial, lit_at=START)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        client.post(
            reverse("tributes:event_light", args=[event.slug]), {"name": "Sam", "show_name": "on"}
        )
    # Seconds later the shared answer is made again, with Sam's candle in it.
    with time_machine.travel(START + dt.timedelta(minutes=1, seconds=5), tick=False):
        assert "2 candles lit" in client.get(event.get_absolute_url()).text
        assert client.get(reverse("tributes:event_status", args=[event.slug])).json()["count"] == 2
