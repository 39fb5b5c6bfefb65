"""A family makes its own memorial, changes it, and sees it on its dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import CandleFactory, MemorialFactory, TributeFactory
from tests.support.photos import jpeg, upload
from tributes.models import Memorial, ModerationMode, Status, Visibility

pytestmark = pytest.mark.django_db


def payload(**overrides) -> dict:
    data = {
        "name": "Teddy Ashby",
        "born_on": "2026-03-09",
        "died_on": "2026-03-09",
        "age_note": "born at 21 weeks and 5 days",
        "story": "Our little boy.",
        "visibility": Visibility.UNLISTED,
        "first_reader": "family",
        "time_zone": "Europe/London",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_the_home_page_shows_a_newcomer_how_to_make_a_memorial_page(client):
    page = client.get(reverse("tributes:home")).text
    assert "Make a memorial page" in page
    assert reverse("family:create") in page
    assert "Sign in to your memorials" in page


def header_links(page: str) -> dict[str, str]:
    """The header's links, text to address."""
    header = page[page.index("<header") : page.index("</header>")]
    return {
        " ".join(text.split()): href
        for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', header, re.S)
    }


@pytest.mark.parametrize(
    "name", ["tributes:home", "tributes:find", "account_login", "account_signup"]
)
def test_the_header_offers_a_memorial_page_and_sign_in_to_someone_signed_out(client, name):
    links = header_links(client.get(reverse(name)).text)
    assert links["Make a memorial page"] == reverse("family:create")
    assert links["Sign in"] == reverse("account_login")
    assert "Your memorials" not in links


def test_the_header_takes_a_signed_in_family_to_their_memorials(signed_in, memorial):
    for url in (memorial.get_absolute_url(), reverse("family:dashboard")):
        links = header_links(signed_in.get(url).text)
        assert links["Your memorials"] == reverse("family:dashboard")
        assert links["Make a memorial page"] == reverse("family:create")
        assert "Sign in" not in links


def test_a_signed_in_family_finds_its_memorials_from_the_home_page(signed_in):
    page = signed_in.get(reverse("tributes:home")).text
    assert reverse("family:dashboard") in page


def test_making_a_memorial_asks_a_newcomer_to_sign_in_first(client):
    response = client.get(reverse("family:create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_family_makes_a_memorial_with_a_cover_photo(signed_in, owner):
    response = signed_in.post(
        reverse("family:create"),
        payload(cover_upload=upload(jpeg()), cover_description="Teddy in his blue hat"),
    )
    memorial = Memorial.objects.get()
    assert response.url == reverse("family:memorial", kwargs={"slug": memorial.slug})
    assert list(memorial.owners.all()) == [owner]
    assert memorial.born_on == memorial.died_on == dt.date(2026, 3, 9)
    assert memorial.age_note == "born at 21 weeks and 5 days"
    assert memorial.family_moderates
    assert memorial.moderation_mode == ModerationMode.ALL_HELD
    assert memorial.cover_photo.alt_text == "Teddy in his blue hat"
    page = signed_in.get(memorial.get_absolute_url()).text
    assert memorial.cover_photo.default_url in page


def test_each_choice_of_who_reads_first_is_kept(signed_in):
    for choice, family, mode in [
        ("family", True, ModerationMode.ALL_HELD),
        ("site", False, ModerationMode.ALL_HELD),
        ("nobody", False, ModerationMode.OPEN),
    ]:
        signed_in.post(
            reverse("family:create"), payload(name=f"Reader {choice}", first_reader=choice)
        )
        memorial = Memorial.objects.get(name=f"Reader {choice}")
        assert (memorial.family_moderates, memorial.moderation_mode) == (family, mode)


def test_a_death_before_the_birth_is_refused_next_to_the_field_and_nothing_is_lost(signed_in):
    response = signed_in.post(
        reverse("family:create"), payload(born_on="2026-03-09", died_on="2026-03-01")
    )
    assert response.status_code == 200
    assert "The date of death cannot be before the birth." in response.text
    assert "Our little boy." in response.text
    assert not Memorial.objects.exists()


def test_a_family_chooses_the_time_zone_by_the_city_they_live_in(signed_in):
    form = signed_in.get(reverse("family:create")).text
    field = re.search(r'<input[^>]*name="time_zone"[^>]*>', form).group(0)
    assert 'list="zone-places"' in field
    assert 'value="London, United Kingdom"' in field
    assert '<option value="Sydney, Australia" data-zone="Australia/Sydney"' in form
    assert 'value="Australia/Sydney"' not in form
    signed_in.post(reverse("family:create"), payload(time_zone="Sydney, Australia"))
    memorial = Memorial.objects.get()
    assert memorial.time_zone == "Australia/Sydney"
    again = signed_in.get(reverse("family:edit", kwargs={"slug": memorial.slug})).text
    assert 'value="Sydney, Australia"' in re.search(r'<input[^>]*name="time_zone"[^>]*>', again)[0]


def test_a_place_we_do_not_know_is_refused_in_the_summary_and_what_was_typed_is_kept(signed_in):
    response = signed_in.post(reverse("family:create"), payload(time_zone="Atlantis"))
    assert not Memorial.objects.exists()
    summary = response.text[response.text.index("data-error-summary") :]
    assert '<a href="#id_time_zone">We do not know that place.' in summary
    assert 'value="Atlantis"' in response.text
    assert "Our little boy." in response.text


def test_search_engines_may_list_only_a_public_page(signed_in):
    response = signed_in.post(
        reverse("family:create"),
        payload(visibility=Visibility.PRIVATE, allow_search_indexing="on"),
    )
    assert "Search engines can list only a public page" in response.text
    assert not Memorial.objects.exists()


def test_a_family_changes_its_memorial_and_replaces_the_cover(signed_in, owner):
    memorial = MemorialFactory(owners=[owner], name="Teddy")
    signed_in.post(
        reverse("family:edit", kwargs={"slug": memorial.slug}),
        payload(name="Teddy Ashby", cover_upload=upload(jpeg())),
    )
    memorial.refresh_from_db()
    first_cover = memorial.cover_photo
    assert memorial.name == "Teddy Ashby"
    signed_in.post(
        reverse("family:edit", kwargs={"slug": memorial.slug}),
        payload(name="Teddy Ashby", cover_upload=upload(jpeg())),
    )
    memorial.refresh_from_db()
    assert memorial.cover_photo != first_cover
    assert not memorial.photos.filter(pk=first_cover.pk).exists()


def test_the_dashboard_shows_each_memorial_with_what_waits_and_the_newest_words(signed_in, owner):
    memorial = MemorialFactory(owners=[owner], name="Teddy Ashby", family_moderates=True)
    TributeFactory(
        memorial=memorial, message="Sending love to you all.", moderated_at=timezone.now()
    )
    TributeFactory(memorial=memorial, status=Status.PENDING, message="Waiting words")
    CandleFactory(memorial=memorial, name="Grandma")
    MemorialFactory(name="Somebody else's")
    page = signed_in.get(reverse("family:dashboard")).text
    assert "Teddy Ashby" in page
    assert "Sending love to you all." in page
    assert "Waiting words" not in page
    assert "Read 1 waiting item" in page
    assert "Grandma" in page
    assert "Somebody else" not in page


def test_a_family_page_of_a_memorial_they_do_not_own_is_not_found(signed_in):
    other = MemorialFactory()
    for name in ["family:memorial", "family:edit"]:
        assert signed_in.get(reverse(name, kwargs={"slug": other.slug})).status_code == 404


def test_a_new_memorial_is_a_preview_until_the_family_opens_it(signed_in, client, owner):
    signed_in.post(reverse("family:create"), payload(visibility=Visibility.PUBLIC))
    memorial = Memorial.objects.get()
    assert memorial.is_draft
    from django.test import Client

    assert Client().get(memorial.get_absolute_url()).status_code == 404
    assert "This is a preview" in signed_in.get(memorial.get_absolute_url()).text
    signed_in.post(reverse("family:publish", kwargs={"slug": memorial.slug}))
    assert Client().get(memorial.get_absolute_url()).status_code == 200


def test_only_a_year_is_shown_when_only_the_year_is_known(signed_in):
    signed_in.post(
        reverse("family:create"),
        payload(born_on="", died_on="", born_year="1931", died_year="2026"),
    )
    memorial = Memorial.objects.get()
    page = signed_in.get(memorial.get_absolute_url()).text
    assert ">1931</time>" in page
    assert ">2026</time>" in page


def test_the_family_downloads_everything(signed_in, owner):
    memorial = MemorialFactory(owners=[owner])
    TributeFactory(memorial=memorial, message="Kept words")
    response = signed_in.post(reverse("family:download", kwargs={"slug": memorial.slug}))
    assert response["Content-Type"] == "application/zip"
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "Kept words" in archive.read("memorial.json").decode()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_memorial_names_what_goes_and_removes_rows_and_photo_files(settings):
    from django.core.files.storage import default_storage
    from django.test import Client

    from tests.support.factories import UserFactory
    from tests.support.photos import make_photo
    from tributes.models import Photo, Tribute

    owner = UserFactory(username="claire")
    signed = Client()
    signed.force_login(owner)
    memorial = MemorialFactory(name="Teddy Ashby", owners=[owner])
    photo = make_photo(memorial)
    memorial.cover_photo = photo
    memorial.save()
    TributeFactory(memorial=memorial, photo=make_photo(memorial))
    files = [r["name"] for p in Photo.objects.all() for r in p.renditions]
    assert all(default_storage.exists(name) for name in files)
    url = reverse("family:delete", kwargs={"slug": memorial.slug})
    page = signed.get(url).text
    assert "1 tribute" in page and "2 photos" in page
    signed.post(url, {"name": "Teddy"})
    assert Memorial.objects.exists()
    response = signed.post(url, {"name": "Teddy Ashby"})
    assert response.url == reverse("family:dashboard")
    assert not Memorial.objects.exists()
    assert not Tribute.objects.exists() and not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
