"""Photos in the admin: thumbnails in the lists, escaped, of the smallest rendition."""

import pytest
from django.urls import reverse

from tests.support.photos import make_photo
from tributes.admin.photos import admin_thumbnail

pytestmark = pytest.mark.django_db


def test_admin_thumbnail_is_an_escaped_img_of_the_smallest_rendition(memorial):
    photo = make_photo(memorial, alt_text='Sam\'s "angel" <b>wings</b>')
    html = str(admin_thumbnail(photo))
    assert html.startswith(f'<img src="{photo.rendition_url(400)}" width="80" height="60"')
    assert "&lt;b&gt;wings&lt;/b&gt;" in html
    assert admin_thumbnail(None) == "—"


def test_moderators_see_thumbnails_in_the_photo_and_memorial_lists(client, moderator, cover):
    client.force_login(moderator)
    photos = client.get(reverse("admin:tributes_photo_changelist")).text
    memorials = client.get(reverse("admin:tributes_memorial_changelist")).text
    assert f'<img src="{cover.rendition_url(400)}"' in photos
    assert f'<img src="{cover.rendition_url(400)}"' in memorials
