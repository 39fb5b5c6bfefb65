"""The sign-up email travels through Django's SMTP mailer to a real SMTP server."""

import pytest
from django.urls import reverse

from tests.support.smtp import first_link, smtp_server

pytestmark = pytest.mark.django_db


def test_the_verification_email_reaches_a_real_smtp_server(client, settings):
    with smtp_server() as server:
        settings.MAILERS = server.mailers()
        password = "a quiet place to remember"
        client.post(
            reverse("account_signup"),
            {"email": "mum@example.org", "password1": password, "password2": password},
        )
        message = server.wait_for(to="mum@example.org", subject="confirm")
    assert "/accounts/confirm-email/" in first_link(message)
