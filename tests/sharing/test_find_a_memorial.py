"""Find a memorial by name: public memorials only, from the home page, indexed, rate limited."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.support.factories import MemorialFactory
from tributes.models import Visibility
from tributes.sharing.search import find_memorials, memorials_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def memorials(owner):
    return {
        "teddy": MemorialFactory(name="Teddy Ashby"),
        "edward": MemorialFactory(name="Edward Ashby-Clarke"),
        "rose": MemorialFactory(name="Rose Okafor"),
        "unlisted": MemorialFactory(name="Teddy Unlisted", visibility=Visibility.UNLISTED),
        "private": MemorialFactory(
            name="Teddy Private", visibility=Visibility.PRIVATE, owners=[owner]
        ),
    }


def names(results) -> list[str]:
    return [memorial.name for memorial in results]


def test_a_name_is_found_by_the_start_of_its_words_whatever_their_case(memorials):
    assert names(find_memorials("teddy")) == ["Teddy Ashby"]
    assert names(find_memorials("TED ash")) == ["Teddy Ashby"]
    assert names(find_memorials("  okafor ")) == ["Rose Okafor"]
    assert names(find_memorials("clarke")) == ["Edward Ashby-Clarke"]


def test_every_word_typed_must_match(memorials):
    assert sorted(names(find_memorials("ashby"))) == ["Edward Ashby-Clarke", "Teddy Ashby"]
    assert names(find_memorials("rose ashby")) == []


def test_what_looks_like_a_search_operator_is_only_a_word(memorials):
    for query in ("teddy | rose", "!teddy", "ted:* & (rose", "'", "&&&", "<->"):
        found = names(find_memorials(query))
        assert set(found) <= {"Teddy Ashby", "Rose Okafor"}
    assert names(find_memorials("!teddy")) == ["Teddy Ashby"]


def test_unlisted_and_private_memorials_are_never_found(memorials):
    for query in ("Teddy Unlisted", "Teddy Private", "unlisted", "private"):
        found = names(find_memorials(query))
        assert "Teddy Unlisted" not in found
        assert "Teddy Private" not in found


def test_even_the_family_does_not_find_their_private_memorial(client, owner, memorials):
    client.force_login(owner)
    page = client.get("/find/", {"q": "Teddy Private"}).content.decode()
    assert "Teddy Private" not in page.split("memorial found")[-1].split("memorials found")[-1]
    assert 'href="/memorials/teddy-private/"' not in page
    assert 'href="/memorials/teddy-unlisted/"' not in page


def test_the_results_page_links_to_each_memorial_found(client, memorials):
    response = client.get("/find/", {"q": "ashby"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 memorials found" in page
    assert f'href="{memorials["teddy"].get_absolute_url()}"' in page
    assert f'href="{memorials["edward"].get_absolute_url()}"' in page
    assert 'value="ashby"' in page


def test_nothing_found_says_so_gently(client, memorials):
    page = client.get("/find/", {"q": "zzzzqqq"}).content.decode()
    assert "0 memorials found" in page
    assert "No public memorial has a name like that." in page


def test_a_query_that_is_too_long_gets_a_message_by_the_field_and_keeps_the_words(client):
    query = "a" * 150
    response = client.get("/find/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please use 100 characters or fewer." in page
    assert f'value="{query}"' in page
    assert 'aria-invalid="true"' in page


def test_the_home_page_has_the_search_form(client):
    page = client.get("/").content.decode()
    assert 'action="/find/"' in page
    assert 'role="search"' in page
    assert '<label class="form-label" for="find-q">Their name</label>' in page


def test_searching_too_often_from_one_address_asks_to_wait(client, memorials, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": {"client": "3/m"}}
    for _ in range(3):
        assert client.get("/find/", {"q": "teddy"}).status_code == 200
    response = client.get("/find/", {"q": "teddy"})
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    # Opening the empty search page costs nothing.
    assert client.get("/find/").status_code == 200


def test_the_name_search_is_answered_by_the_trigram_index(memorials):
    sql, params = memorials_named("ashby").query.sql_with_params()
    with connection.cursor() as cursor:
        # Five rows would be read faster without an index: ask the planner to show it can use one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "memorial_name_search" in plan


def test_a_common_name_shows_the_closest_twenty_and_says_so(client):
    for n in range(25):
        MemorialFactory(name=f"Sam Jones {n}")
    page = client.get("/find/", {"q": "sam"}).content.decode()
    assert "The 20 closest names" in page
    assert page.count('class="memorial-card"') == 20
