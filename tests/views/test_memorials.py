import pytest
from django.urls import reverse

from tests.support.caches import start_cold
from tests.support.factories import (
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
)
from tributes.models import Status, Visibility
from tributes.views.tribute_list import TRIBUTES_PER_PAGE

pytestmark = pytest.mark.django_db


def memorial_url(memorial, **query):
    url = reverse("tributes:memorial", kwargs={"slug": memorial.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_memorial_page_shows_the_story_and_published_tributes(client, memorial):
    TributeFactory(memorial=memorial, author_name="Sam", message="Sending so much love")
    response = client.get(memorial_url(memorial))
    assert response.status_code == 200
    assert "Teddy Ashby" in response.text
    assert "A short life, deeply loved." in response.text
    assert "Sending so much love" in response.text


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SPAM])
def test_unpublished_tributes_never_appear(client, memorial, status):
    TributeFactory(memorial=memorial, message="Words that are not published", status=status)
    response = client.get(memorial_url(memorial))
    assert "Words that are not published" not in response.text


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SPAM])
def test_unpublished_comments_never_appear(client, memorial, status):
    tribute = TributeFactory(memorial=memorial)
    CommentFactory(tribute=tribute, body="A comment that is not published", status=status)
    CommentFactory(tribute=tribute, body="A published comment")
    response = client.get(memorial_url(memorial))
    assert "A comment that is not published" not in response.text
    assert "A published comment" in response.text


def test_tributes_are_newest_first_and_paginated(client, memorial):
    for n in range(TRIBUTES_PER_PAGE + 3):
        TributeFactory(memorial=memorial, message=f"Tribute number {n:02d}")
    first_page = client.get(memorial_url(memorial)).text
    second_page = client.get(memorial_url(memorial, page=2), follow=True).text
    newest = f"Tribute number {TRIBUTES_PER_PAGE + 2:02d}"
    assert newest in first_page and "Tribute number 00" not in first_page
    assert "Tribute number 00" in second_page and newest not in second_page
    assert first_page.index(newest) < first_page.index(
        f"Tribute number {TRIBUTES_PER_PAGE + 1:02d}"
    )


@pytest.mark.parametrize("page", ["999", "not-a-number", "-1", "%00"])
def test_any_page_number_gives_a_page_not_an_error(client, memorial, page):
    TributeFactory(memorial=memorial)
    assert client.get(memorial_url(memorial, page=page), follow=True).status_code == 200


def test_the_page_counts_burning_candles(client, memorial):
    CandleFactory.create_batch(3, memorial=memorial)
    assert "3 candles are burning for Teddy Ashby." in client.get(memorial_url(memorial)).text


def test_burning_candles_are_drawn_up_to_a_bound_and_the_rest_are_counted(client, memorial):
    import datetime as dt

    from django.utils import timezone

    from tributes.views.memorial_candles import CANDLES_DRAWN

    now = timezone.now()
    CandleFactory.create_batch(CANDLES_DRAWN + 6, memorial=memorial)
    # Lit a week ago for a day: gone out, older than every burning candle, yet still recorded.
    CandleFactory(
        memorial=memorial,
        name="Nana Jo",
        lit_at=now - dt.timedelta(days=7),
        burns_until=now - dt.timedelta(days=6),
    )
    page = client.get(memorial_url(memorial)).text
    assert page.count('class="memorial-candle lit-candle"') == CANDLES_DRAWN
    assert page.count('class="candle-art is-lit"') >= CANDLES_DRAWN
    assert f"{CANDLES_DRAWN + 6} candles are burning for Teddy Ashby." in page
    assert "and 6 more candles" in page
    assert "Candles that have gone out" in page
    assert "Lit by Nana Jo on" in page


def test_the_hero_offers_a_tribute_and_a_candle_and_a_placeholder_without_a_cover(client, memorial):
    page = client.get(memorial_url(memorial)).text
    hero = page[
        page.index('<header class="memorial-hero">') : page.index(
            "</header>", page.index('<header class="memorial-hero">')
        )
    ]
    assert 'href="#write-tribute"' in hero and 'href="#light-a-candle"' in hero
    assert 'class="portrait-placeholder"' in hero
    assert 'id="write-tribute"' in page and 'id="light-a-candle"' in page


def test_private_memorial_is_not_found_for_visitors_and_strangers(
    client, stranger, private_memorial
):
    assert client.get(memorial_url(private_memorial)).status_code == 404
    client.force_login(stranger)
    assert client.get(memorial_url(private_memorial)).status_code == 404


def test_private_memorial_opens_for_its_owner(client, owner, private_memorial):
    client.force_login(owner)
    assert client.get(memorial_url(private_memorial)).status_code == 200


def test_unlisted_memorial_opens_by_link_with_noindex(client):
    memorial = MemorialFactory(visibility=Visibility.UNLISTED)
    response = client.get(memorial_url(memorial))
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_unlisted_and_private_memorials_are_not_listed_on_home(client, private_memorial):
    unlisted = MemorialFactory(name="Unlisted Person", visibility=Visibility.UNLISTED)
    public = MemorialFactory(name="Public Person")
    home = client.get(reverse("tributes:home")).text
    assert public.name in home
    assert unlisted.name not in home
    assert private_memorial.name not in home


def test_public_memorial_is_indexed_only_when_the_family_allows(client):
    memorial = MemorialFactory()
    assert 'content="noindex, nofollow"' in client.get(memorial_url(memorial)).text
    memorial.allow_search_indexing = True
    memorial.save()
    assert 'content="index, follow"' in client.get(memorial_url(memorial)).text


def test_missing_pages_get_a_kind_404(client):
    response = client.get("/memorials/nobody-by-this-name/")
    assert response.status_code == 404
    assert "We could not find this page" in response.text


def _fill(memorial, tributes, comments_each):
    for tribute in TributeFactory.create_batch(tributes, memorial=memorial):
        CommentFactory.create_batch(comments_each, tribute=tribute)


def test_memorial_page_query_count_does_not_grow_with_content(
    client, memorial, django_assert_num_queries
):
    _fill(memorial, tributes=2, comments_each=1)
    # On a cold cache: the candles burning, gone out and counted are three bounded queries
    # (memorial_candles; the last two shared for a few seconds afterwards).
    with django_assert_num_queries(7) as small:
        client.get(memorial_url(memorial))
    _fill(memorial, tributes=TRIBUTES_PER_PAGE, comments_each=5)
    start_cold()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(memorial_url(memorial))
