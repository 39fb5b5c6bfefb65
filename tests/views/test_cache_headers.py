"""Shared caches may keep a page only when it is the same for everyone."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_may_be_kept_by_shared_caches_for_visitors_without_a_session(client):
    response = client.get(reverse("tributes:home"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_the_home_page_of_someone_signed_in_is_never_public(client, owner):
    client.force_login(owner)
    response = client.get(reverse("tributes:home"))
    assert "public" not in response.get("Cache-Control", "")


def test_a_page_with_a_form_that_posts_is_never_public(client, memorial):
    # The memorial page carries CSRF tokens and form keys for this visitor.
    response = client.get(memorial.get_absolute_url())
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_wave_of_light_page_may_be_kept_per_zone_cookie(client, wave_of_light):
    response = client.get(reverse("tributes:event_wave", args=[wave_of_light.slug]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
