"""Family accounts: sign up with a verified email, sign in and out, reset, change, delete."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.support.factories import MemorialFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a quiet place to remember"
ADDRESS = "203.0.113.7"


def sign_up(client, email="mum@example.org", password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
        REMOTE_ADDR=ADDRESS,
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def verified_family(email="mum@example.org"):
    from allauth.account.models import EmailAddress

    user = UserFactory(username=email.split("@")[0], email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_a_new_family_signs_up_confirms_the_email_and_lands_on_their_memorials(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["mum@example.org"]
    assert "confirm" in message.subject.lower()
    confirm = path_of(link_in(message))
    page = client.get(confirm)
    assert "Yes, this is my address" in page.text
    response = client.post(confirm)
    assert response.status_code == 302
    assert response.url == reverse("family:dashboard")
    dashboard = client.get(response.url)
    assert "Your memorials" in dashboard.text
    assert "Make a memorial page" in dashboard.text


def test_nobody_signs_in_before_the_email_is_confirmed(client):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "mum@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_a_family_signs_in_with_email_and_password_and_out_again(client):
    user = verified_family()
    response = client.post(
        reverse("account_login"), {"login": "Mum@Example.org", "password": PASSWORD}
    )
    assert response.url == reverse("family:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_said_gently_next_to_the_form(client):
    verified_family()
    response = client.post(reverse("account_login"), {"login": "mum@example.org", "password": "no"})
    assert response.status_code == 200
    assert "not correct" in response.text or "incorrect" in response.text.lower()


def test_signing_in_as_a_family_is_throttled_like_the_admin_login(client, settings):
    verified_family()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"),
            {"login": "mum@example.org", "password": "guess"},
            REMOTE_ADDR=ADDRESS,
        )
    response = client.post(
        reverse("account_login"),
        {"login": "MUM@example.org", "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 429
    assert "Please wait before trying again" in response.text
    assert "_auth_user_id" not in client.session
    elsewhere = Client().post(
        reverse("account_login"),
        {"login": "mum@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    assert elsewhere.status_code == 302


def test_a_forgotten_password_is_reset_from_the_email(client):
    user = verified_family()
    client.post(reverse("account_reset_password"), {"email": "mum@example.org"})
    [message] = mail.outbox
    reset = client.get(path_of(link_in(message)), follow=True)
    form_url = reset.redirect_chain[-1][0] if reset.redirect_chain else path_of(link_in(message))
    new = "a new password for a new year"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_family_changes_their_password_and_email(client):
    user = verified_family()
    client.force_login(user)
    new = "another quiet password"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(new)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    client.post(path_of(link_in(message)))
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_deleting_an_account_asks_for_the_password_and_deletes_it(client):
    user = verified_family()
    client.force_login(user)
    wrong = client.post(reverse("account_delete"), {"password": "not it"})
    assert "That is not your password" in wrong.text
    assert get_user_model().objects.filter(pk=user.pk).exists()
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.url == reverse("tributes:home")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_the_only_owner_of_a_memorial_hands_it_on_before_the_account_can_go(client):
    user = verified_family()
    alone = MemorialFactory(name="Teddy Ashby", owners=[user])
    shared = MemorialFactory(name="Shared", owners=[user, UserFactory()])
    client.force_login(user)
    page = client.get(reverse("account_delete"))
    assert "Teddy Ashby" in page.text
    assert "Shared" not in page.text
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert get_user_model().objects.filter(pk=user.pk).exists()
    alone.delete()
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert list(shared.owners.all()) != []


def test_allauth_rate_limits_answer_with_a_kind_page_and_keep_no_address(client, settings):
    from django.core.cache import cache

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    statuses = [
        client.post(
            reverse("account_reset_password"), {"email": f"n{n}@example.org"}, REMOTE_ADDR=ADDRESS
        ).status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429
    last = client.post(
        reverse("account_reset_password"), {"email": "x@example.org"}, REMOTE_ADDR=ADDRESS
    )
    assert "Please wait a few minutes" in last.text
    assert not any(ADDRESS in str(key) for key in cache._cache)


def test_every_account_page_that_takes_a_post_has_our_rate_limit_too():
    from django.urls import get_resolver

    from memorial import account_urls

    for pattern in account_urls.urlpatterns:
        assert getattr(pattern.callback, "rate_limit_action", None), pattern.name
    assert get_resolver().resolve(reverse("account_login")).func.rate_limit_action == "login"
