"""The memorial page kept in the shared cache around what is each visitor's own: the page around
its tributes, the candles section and the two forms are rendered once (views/memorials.py,
memorial_candles.py, memorial_forms.py); form keys, CSRF, the signed time a form was opened, a
visitor's own held candle, messages and the family's bar are right for each visitor, and every
change shows on the next request."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.broken_cache import BROKEN_CACHES
from tests.support.factories import CandleEventFactory, MemorialFactory, TributeFactory
from tributes.models import Candle, ModerationMode, PageVersion, Service, Tribute
from tributes.moderation.screening import form_age_seconds
from tributes.security.kept_text import HONEYPOT_FIELD, STARTED_FIELD

pytestmark = pytest.mark.django_db


def hidden(html: str, form_class: str, name: str) -> str:
    form = re.search(rf'<form [^>]*class="{form_class}".*?</form>', html, re.S)
    assert form, form_class
    value = re.search(rf'name="{name}" value="([^"]*)"', form[0])
    assert value, (form_class, name)
    return value[1]


def page(client, memorial) -> str:
    response = client.get(memorial.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_each_page_shown_carries_its_own_form_keys_and_signed_time(memorial):
    sam, alex = Client(), Client()
    first, again, other = page(sam, memorial), page(sam, memorial), page(alex, memorial)
    for form_class in ("tribute-form", "memorial-candle-form"):
        keys = {hidden(html, form_class, "submission_key") for html in (first, again, other)}
        assert len(keys) == 3
        assert "marker" not in "".join(keys)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        later = page(alex, memorial)
    # Opened now, not when the form was first rendered: a form kept for days is not "old".
    started = hidden(later, "tribute-form", STARTED_FIELD)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert form_age_seconds(started) < 60
    assert hidden(first, "tribute-form", STARTED_FIELD) != started


def test_the_forms_post_with_the_pages_own_csrf_token_and_key(memorial):
    memorial.moderation_mode = "open"
    memorial.save()
    sam = Client(enforce_csrf_checks=True)
    Client().get(memorial.get_absolute_url())  # Someone else's visit renders the forms first.
    html = page(sam, memorial)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30)):
        tribute = sam.post(
            reverse("tributes:write_tribute", kwargs={"slug": memorial.slug}),
            {
                "csrfmiddlewaretoken": hidden(html, "tribute-form", "csrfmiddlewaretoken"),
                "submission_key": hidden(html, "tribute-form", "submission_key"),
                STARTED_FIELD: hidden(html, "tribute-form", STARTED_FIELD),
                HONEYPOT_FIELD: "",
                "author_name": "Sam",
                "message": "We walked the dog together every Sunday.",
            },
        )
        candle = sam.post(
            reverse("tributes:memorial_candle_light", args=[memorial.slug]),
            {
                "csrfmiddlewaretoken": hidden(html, "memorial-candle-form", "csrfmiddlewaretoken"),
                "submission_key": hidden(html, "memorial-candle-form", "submission_key"),
                "name": "Sam",
                "show_name": "on",
                "burn_time": "day",
            },
        )
    assert tribute.status_code == 302 and candle.status_code == 302
    assert Tribute.objects.get().is_published  # Not held as sent too quickly or too late.
    assert Candle.objects.get().name == "Sam"


def test_a_change_of_the_moderation_rule_shows_under_the_form_on_the_next_request(memorial):
    held = "A moderator reads every tribute before it appears"
    assert held in page(Client(), memorial)
    memorial.moderation_mode = "open"
    memorial.save()
    assert "Your tribute will appear on the page at once." in page(Client(), memorial)


def test_a_family_closing_the_page_to_tributes_takes_the_form_away_at_once(memorial):
    assert 'class="tribute-form"' in page(Client(), memorial)
    memorial.moderation_mode = ModerationMode.FAMILY_ONLY
    memorial.save()
    html = page(Client(), memorial)
    assert 'class="tribute-form"' not in html
    assert "The family has chosen to keep this page for their own words." in html


def test_the_family_bar_is_only_ever_shown_to_the_family(owner, memorial):
    family = Client()
    family.force_login(owner)
    assert "Look after this page" in page(family, memorial)
    assert "Look after this page" not in page(Client(), memorial)
    assert "Look after this page" in page(family, memorial)


def test_a_message_is_shown_once_to_its_visitor_and_never_to_others(memorial):
    tribute = TributeFactory(memorial=memorial)
    sam = Client()
    page(sam, memorial)
    sam.post(reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": tribute.pk}))
    thanks = "Your love has been sent to the family."
    assert thanks in page(sam, memorial)
    assert thanks not in page(sam, memorial)
    assert thanks not in page(Client(), memorial)


def test_a_new_candle_time_shows_on_the_next_request(memorial):
    assert "Next candle lighting" not in page(Client(), memorial)
    CandleEventFactory(memorial=memorial, title="One year on")
    html = page(Client(), memorial)
    assert "Next candle lighting" in html and "One year on" in html


def test_a_held_candle_is_shown_as_written_to_its_lighter_and_as_someone_to_others(memorial):
    sam, alex = Client(), Client()
    page(alex, memorial)
    words = "Find me at www.one-example.com and www.two-example.com"
    sam.post(
        reverse("tributes:memorial_candle_light", args=[memorial.slug]),
        {"name": "Sam Held", "show_name": "on", "message": words, "burn_time": "day"},
    )
    assert Candle.objects.get().words_held
    assert "Sam Held" in page(sam, memorial) and words in page(sam, memorial)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
        others = page(alex, memorial)
    assert "Sam Held" not in others and words not in others and "Someone" in others
    assert "Sam Held" in page(sam, memorial)


def test_a_candle_time_renamed_or_cancelled_shows_on_the_next_request(memorial):
    event = CandleEventFactory(memorial=memorial, title="One year on")
    assert "One year on" in page(Client(), memorial)
    event.title = "A year without Teddy"
    event.save()
    assert "A year without Teddy" in page(Client(), memorial)
    event.delete()
    assert "Next candle lighting" not in page(Client(), memorial)


def test_a_candle_time_that_has_ended_is_no_longer_the_next_one(memorial):
    event = CandleEventFactory(memorial=memorial, title="One year on")
    assert "One year on" in page(Client(), memorial)
    with time_machine.travel(event.ends_at + dt.timedelta(seconds=1)):
        assert "One year on" not in page(Client(), memorial)


def test_the_kept_page_never_opens_a_memorial_made_private(memorial):
    assert page(Client(), memorial)
    # Not through save(): no signal, no version changed. The memorial is read on every request.
    type(memorial).objects.filter(pk=memorial.pk).update(visibility="private")
    assert Client().get(memorial.get_absolute_url()).status_code == 404


def test_the_funeral_details_changed_show_on_the_next_request(memorial):
    service = Service.objects.create(
        memorial=memorial,
        local_date=timezone.localdate() + dt.timedelta(days=5),
        local_time=dt.time(11, 0),
        place="St Mary's Church",
    )
    assert "St Mary&#x27;s Church" in page(Client(), memorial)
    service.place = "The village hall"
    service.save()
    assert "The village hall" in page(Client(), memorial)


def test_a_warm_page_asks_the_database_once_for_the_memorial_and_its_rows(memorial):
    TributeFactory.create_batch(12, memorial=memorial)
    CandleEventFactory(memorial=memorial)
    visitor = Client()
    page(visitor, memorial)
    with CaptureQueriesContext(connection) as queries:
        html = page(visitor, memorial)
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert html.count('name="submission_key"') >= 12  # Love forms, the tribute and candle forms.


def test_the_family_page_knows_its_owner_with_the_memorial_read(owner, stranger, memorial):
    family, other = Client(), Client()
    family.force_login(owner)
    other.force_login(stranger)
    page(family, memorial)
    with CaptureQueriesContext(connection) as queries:
        assert "Look after this page" in page(family, memorial)
    # Asked inside the memorial's own query, not by a query of its own.
    asked_apart = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "auth_user"')
    ]
    assert asked_apart == []
    assert "Look after this page" not in page(other, memorial)


def test_a_change_made_through_another_server_shows_here_on_the_next_request(memorial):
    tribute = TributeFactory(memorial=memorial, message="Thinking of you all")
    visitor = Client()
    assert "Thinking of you all" in page(visitor, memorial)
    assert "Thinking of you all" in page(visitor, memorial)  # Now from the kept page.
    # Another server's edit: the row changes without this process's signals, and that server
    # changes the page version in the database (the tribute's times of change are kept).
    Tribute.objects.filter(pk=tribute.pk).update(message="Forever in our hearts")
    PageVersion.objects.bump(memorial.pk)
    shown = page(visitor, memorial)
    assert "Forever in our hearts" in shown
    assert "Thinking of you all" not in shown


def test_with_the_shared_cache_down_a_change_shows_on_the_next_request(memorial, settings):
    tribute = TributeFactory(memorial=memorial, message="Thinking of you all")
    assert "Thinking of you all" in page(Client(), memorial)
    # Redis stopped: the page kept in this process is still shown until something changes.
    settings.CACHES = BROKEN_CACHES
    assert "Thinking of you all" in page(Client(), memorial)
    tribute.message = "Forever in our hearts"
    tribute.save()
    shown = page(Client(), memorial)
    assert "Forever in our hearts" in shown and "Thinking of you all" not in shown


def test_every_memorial_and_cursor_reads_its_own_tributes_in_one_process(memorial):
    # The rows' subquery is built once per process and cursor (tribute_list._page_rows): each
    # memorial's page, first or older, still shows only its own published tributes.
    other = MemorialFactory(name="Rosie Hart", slug="rosie")
    for n in range(12):
        TributeFactory(memorial=memorial, message=f"For Teddy, number {n}.")
        TributeFactory(memorial=other, message=f"For Rosie, number {n}.")
    visitor = Client()
    teddy_first, rosie_first = page(visitor, memorial), page(visitor, other)
    assert "For Teddy, number 11." in teddy_first and "For Rosie" not in teddy_first
    assert "For Rosie, number 11." in rosie_first and "For Teddy" not in rosie_first
    older = re.search(r'href="\?before=([0-9_]+)#tributes-heading"', teddy_first)[1]
    teddy_older = visitor.get(f"{memorial.get_absolute_url()}?before={older}").text
    assert "For Teddy, number 0." in teddy_older and "For Teddy, number 11." not in teddy_older
    # Teddy's cursor on Rosie's page: Rosie's tributes older than it, never Teddy's.
    rosie_at_teddys_cursor = visitor.get(f"{other.get_absolute_url()}?before={older}").text
    assert "For Teddy" not in rosie_at_teddys_cursor
    Tribute.objects.filter(message="For Rosie, number 11.").get().delete()
    assert "For Rosie, number 11." not in page(visitor, other)
