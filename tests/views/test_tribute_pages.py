"""The memorial page's tributes: keyset pages ("Older tributes" / "Newest tributes"), and their
HTML kept in the shared cache, changed on the next request by every edit that shows, with each
visitor's own love form and state (views/tribute_list.py)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.broken_cache import BROKEN_CACHES
from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tests.support.photos import make_photo
from tributes.models import Love, RejectionReason, Status, Tribute
from tributes.models.memorials import PageVersionQuerySet
from tributes.moderation import decisions
from tributes.posting import services as posting
from tributes.security.visitors import VISITOR_COOKIE
from tributes.views.memorials import deep_page_path
from tributes.views.tribute_list import TRIBUTES_PER_PAGE, parse_cursor

pytestmark = pytest.mark.django_db

OLDER = re.compile(r'href="\?before=(\d+_\d+)#tributes-heading" rel="next">Older tributes<')


def numbered(memorial, count, *, start=None):
    """`count` tributes, "Tribute number 00" the oldest, a minute apart (two share an instant)."""
    start = start or timezone.now() - dt.timedelta(days=1)
    return [
        TributeFactory(
            memorial=memorial,
            message=f"Tribute number {n:02d}",
            created_at=start + dt.timedelta(minutes=n - (n == 5)),
        )
        for n in range(count)
    ]


def messages_on(html):
    return re.findall(r"Tribute number (\d\d)", html)


def test_older_tributes_go_back_page_by_page_and_newest_returns_to_the_top(client, memorial):
    numbered(memorial, 2 * TRIBUTES_PER_PAGE + 5)
    seen, path, pages = [], memorial.get_absolute_url(), 0
    while True:
        html = client.get(path).text
        pages += 1
        seen += messages_on(html)
        assert "Page " not in html  # No "page N of M": nothing counts all the tributes.
        if pages > 1:
            assert f'href="{memorial.get_absolute_url()}#tributes-heading">Newest tributes<' in html
        found = OLDER.search(html)
        if found is None:
            break
        path = f"{memorial.get_absolute_url()}?before={found[1]}"
    assert pages == 3
    # Every tribute once, newest first, the two lit at the same instant included.
    assert seen == [f"{n:02d}" for n in reversed(range(2 * TRIBUTES_PER_PAGE + 5))]
    top = client.get(memorial.get_absolute_url()).text
    assert "Newest tributes" not in top and messages_on(top)[0] == "24"


@pytest.mark.parametrize(
    "cursor", ["", "abc", "12_", "_12", "1_2_3", "9" * 17 + "_1", "-5_3", "%00", "1.5_2", "١_٢"]
)
def test_a_malformed_cursor_gives_the_first_page(client, memorial, cursor):
    numbered(memorial, TRIBUTES_PER_PAGE + 1)
    response = client.get(f"{memorial.get_absolute_url()}?before={cursor}")
    assert response.status_code == 200
    assert messages_on(response.text)[0] == f"{TRIBUTES_PER_PAGE:02d}"


def test_a_cursor_past_the_oldest_says_there_are_none_older(client, memorial):
    numbered(memorial, 3)
    html = client.get(f"{memorial.get_absolute_url()}?before=1000_1").text
    assert "There are no older tributes." in html and "Newest tributes" in html


@pytest.mark.parametrize(
    "page, first",
    [("1", 24), ("2", 14), ("3", 4), ("99", 24), ("x", 24), ("101", 24), ("9" * 30, 24)],
)
def test_the_old_numbered_pages_are_sent_to_their_keyset_page(client, memorial, page, first):
    numbered(memorial, 25)
    response = client.get(f"{memorial.get_absolute_url()}?page={page}", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert messages_on(response.text)[0] == f"{first:02d}"


def test_the_benchmarks_deep_page_is_a_keyset_page(client, memorial):
    numbered(memorial, 35)
    path = deep_page_path(memorial, 3)
    assert "?before=" in path and "page=" not in path
    assert messages_on(client.get(path).text)[0] == "14"


@pytest.mark.parametrize(
    "path_of, sizes",
    [(lambda m: m.get_absolute_url(), (3, 30)), (lambda m: deep_page_path(m, 2), (13, 40))],
)
def test_no_query_grows_with_the_number_of_tributes(
    client, django_assert_num_queries, path_of, sizes
):
    def memorial_of(size):
        memorial = MemorialFactory()
        for tribute in numbered(memorial, size):
            CommentFactory(tribute=tribute)
        return memorial

    small, large = (path_of(memorial_of(size)) for size in sizes)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small).status_code == 200
    # Cold caches both: the large memorial's page runs exactly the small one's queries.
    with django_assert_num_queries(len(queries)):
        assert client.get(large).status_code == 200


def test_a_cached_page_runs_fewer_queries(client, memorial, django_assert_max_num_queries):
    for tribute in numbered(memorial, 12):
        CommentFactory(tribute=tribute)
    client.get(memorial.get_absolute_url())
    with django_assert_max_num_queries(100) as warm:
        client.get(memorial.get_absolute_url())
    sql = " ".join(query["sql"] for query in warm.captured_queries)
    assert "tributes_comment" not in sql  # The comments come with the cached HTML.


def love_form(html, tribute):
    action = reverse("tributes:send_love", kwargs={"slug": tribute.memorial.slug, "pk": tribute.pk})
    found = re.search(
        re.escape(f'action="{action}"') + r'.*?name="csrfmiddlewaretoken" value="([^"]+)"'
        r'.*?name="submission_key" value="([^"]+)"',
        html,
        re.S,
    )
    return found and found.groups()


def test_two_visitors_see_their_own_love_and_their_own_form_keys(memorial):
    tribute = TributeFactory(memorial=memorial, message="For Teddy")
    sam, alex = Client(), Client()
    sam.cookies[VISITOR_COOKIE] = "sam-browser"
    alex.cookies[VISITOR_COOKIE] = "alex-browser"
    sam.get(memorial.get_absolute_url())  # Fills the cache.
    sam.post(reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": tribute.pk}))
    assert Love.objects.count() == 1
    sam_page = sam.get(memorial.get_absolute_url()).text
    alex_page = alex.get(memorial.get_absolute_url()).text
    again = alex.get(memorial.get_absolute_url()).text
    assert "You sent your love." in sam_page and love_form(sam_page, tribute) is None
    assert "You sent your love." not in alex_page and love_form(alex_page, tribute)
    assert "1 person sent love" in sam_page and "1 person sent love" in alex_page
    # A fresh submission key on each render; the CSRF token is the visitor's own.
    assert love_form(alex_page, tribute)[1] != love_form(again, tribute)[1]
    assert love_form(alex_page, tribute)[0] not in sam_page


def test_love_on_a_deep_page_returns_to_that_page(client, memorial):
    tributes = numbered(memorial, TRIBUTES_PER_PAGE + 2)
    path = deep_page_path(memorial, 2)
    html = client.get(path).text
    cursor = path.split("before=")[1]
    assert f'name="before" value="{cursor}"' in html
    love = reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": tributes[0].pk})
    response = client.post(love, {"before": cursor})
    assert response["Location"] == f"{path}#tribute-{tributes[0].pk}"
    assert client.post(love, {"before": "evil"})["Location"].endswith(f"/#tribute-{tributes[0].pk}")


def shown(client, memorial, text) -> bool:
    return text in client.get(memorial.get_absolute_url()).text


def test_a_moderators_publish_reject_and_restore_show_on_the_next_request(
    client, memorial, moderator
):
    tribute = TributeFactory(memorial=memorial, message="Held words", status=Status.PENDING)
    TributeFactory(memorial=memorial)
    assert not shown(client, memorial, "Held words")
    decisions.approve(tribute, by=moderator)
    assert shown(client, memorial, "Held words")
    decisions.reject(tribute, by=moderator, reason=RejectionReason.values[0])
    assert not shown(client, memorial, "Held words")
    decisions.restore(tribute, by=moderator)
    assert not shown(client, memorial, "Held words")
    decisions.approve(tribute, by=moderator)
    assert shown(client, memorial, "Held words")


def test_an_authors_edit_and_deletion_show_on_the_next_request(client, memorial):
    memorial.moderation_mode = "open"
    memorial.save()
    tribute = TributeFactory(memorial=memorial, message="First words")
    assert shown(client, memorial, "First words")
    posting.edit_item(Tribute.objects.get(pk=tribute.pk), message="Better words")
    assert shown(client, memorial, "Better words")
    assert not shown(client, memorial, "First words")
    posting.delete_item(Tribute.objects.get(pk=tribute.pk))
    assert not shown(client, memorial, "Better words")


def test_comments_published_and_removed_show_on_the_next_request(client, memorial, moderator):
    tribute = TributeFactory(memorial=memorial)
    comment = CommentFactory(tribute=tribute, body="A held comment", status=Status.PENDING)
    assert not shown(client, memorial, "A held comment")
    decisions.approve(comment, by=moderator)
    assert shown(client, memorial, "A held comment")
    decisions.mark_spam(comment, by=moderator)
    assert not shown(client, memorial, "A held comment")
    CommentFactory(tribute=tribute, body="Another comment")
    assert shown(client, memorial, "Another comment")
    posting.delete_item(tribute.comments.get(body="Another comment"))
    assert not shown(client, memorial, "Another comment")


def test_a_photo_taken_down_goes_on_the_next_request(client, memorial):
    photo = make_photo(memorial, alt_text="A walk by the sea")
    TributeFactory(memorial=memorial, photo=photo)
    assert shown(client, memorial, "A walk by the sea")
    photo.delete()
    assert not shown(client, memorial, "A walk by the sea")


def test_a_love_count_is_right_on_the_next_request(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    client.get(memorial.get_absolute_url())
    posting.send_love(tribute, visitor_key="someone")
    assert shown(client, memorial, "1 person sent love")


def test_a_stale_cache_entry_never_shows_an_unpublished_or_deleted_tribute(
    client, memorial, monkeypatch
):
    held = TributeFactory(memorial=memorial, message="Soon held")
    gone = TributeFactory(memorial=memorial, message="Soon deleted")
    client.get(memorial.get_absolute_url())
    # As if the version never changed (a bump lost while the cache was unreachable).
    monkeypatch.setattr(PageVersionQuerySet, "bump", lambda versions, memorial_id: None)
    Tribute.objects.filter(pk=held.pk).update(status=Status.PENDING)
    Tribute.objects.filter(pk=gone.pk).delete()
    html = client.get(memorial.get_absolute_url()).text
    assert "Soon held" not in html and "Soon deleted" not in html


def test_the_tributes_work_with_a_cache_that_raises(settings, client, memorial):
    tribute = TributeFactory(memorial=memorial, message="Still here")
    client.cookies[VISITOR_COOKIE] = "a-browser"
    settings.CACHES = BROKEN_CACHES
    html = client.get(memorial.get_absolute_url()).text
    assert "Still here" in html and love_form(html, tribute)
    decisions_free = TributeFactory(memorial=memorial, message="Posted while it was down")
    assert decisions_free.is_published
    assert shown(client, memorial, "Posted while it was down")


def test_the_cursor_round_trips_to_the_microsecond():
    tribute_time = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
    cursor = parse_cursor("1772600767891011_42")
    assert cursor.created_at == tribute_time and cursor.pk == 42
    assert str(cursor) == "1772600767891011_42"


def test_whoever_lights_a_candle_sees_it_at_once_and_others_within_seconds(client, memorial):
    import time_machine

    from tests.support.factories import CandleFactory

    CandleFactory.create_batch(2, memorial=memorial)
    newcomer = Client()
    assert "2 candles are burning" in newcomer.get(memorial.get_absolute_url()).text
    assert "2 candles are burning" in client.get(memorial.get_absolute_url()).text
    light = reverse("tributes:memorial_candle_light", args=[memorial.slug])
    client.post(light, {"name": "Just lit", "show_name": "on", "message": "", "burn_time": "day"})
    html = client.get(memorial.get_absolute_url()).text
    # The newest candle is drawn at once; the count may wait a moment, never below those drawn.
    assert "Just lit" in html and "3 candles are burning" in html
    # Someone who has lit nothing shares what was drawn for a couple of seconds, then sees it.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
        assert "Just lit" in newcomer.get(memorial.get_absolute_url()).text


def test_the_newest_candles_read_the_memorials_candle_index(client, memorial):
    from tests.support.factories import CandleFactory

    CandleFactory.create_batch(3, memorial=memorial)
    with CaptureQueriesContext(connection) as queries:
        client.get(memorial.get_absolute_url())
    candle_queries = [
        q["sql"] for q in queries.captured_queries if 'FROM "tributes_candle"' in q["sql"]
    ]
    assert len(candle_queries) == 3
    # Chosen by the memorial alone: no OR across the memorial's events' candles.
    assert not any("event_id" in sql.split("WHERE")[1] for sql in candle_queries)
    assert sum("LIMIT" in sql for sql in candle_queries) == 2


def test_tributes_sent_in_the_same_instant_show_the_later_sent_first(client, memorial):
    # Stored in the order they were sent: without the tie-break on id, PostgreSQL hands ties back
    # in the order they are stored (the earlier first), by a sort as by the page's index.
    at = timezone.now() - dt.timedelta(hours=1)
    for n in range(2):
        TributeFactory(memorial=memorial, message=f"Tribute number {n:02d}", created_at=at)
    assert messages_on(client.get(memorial.get_absolute_url()).text) == ["01", "00"]


def test_a_memorial_whose_tributes_share_one_instant_pages_through_each_once(client, memorial):
    at = timezone.now() - dt.timedelta(hours=1)
    count = 2 * TRIBUTES_PER_PAGE + 3
    for n in range(count):
        TributeFactory(memorial=memorial, message=f"Tribute number {n:02d}", created_at=at)
    seen, path = [], memorial.get_absolute_url()
    while path:
        html = client.get(path).text
        seen += messages_on(html)
        found = OLDER.search(html)
        path = found and f"{memorial.get_absolute_url()}?before={found[1]}"
    assert seen == [f"{n:02d}" for n in reversed(range(count))]
