"""Admin logins are throttled per username and address together, and no address is kept."""

import datetime as dt
import ipaddress
import logging
import re
import zoneinfo

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.test import RequestFactory
from django.urls import reverse

from tests.support.factories import UserFactory
from tributes.security.clients import axes_client_str, client_key, pseudonymous_address

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.9"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def claire(db):
    return UserFactory(username="claire", is_staff=True)


def log_in(client, *, password, address, username="claire"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        secure=True,
    )


def fail_until_locked(client, settings, address=ATTACKER):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="guess", address=address)


def test_the_login_locks_after_repeated_failures_even_for_the_right_password(
    client, claire, settings
):
    fail_until_locked(client, settings)
    response = log_in(client, password=PASSWORD, address=ATTACKER)
    assert response.status_code == 429
    assert "Please wait before trying again" in response.text
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client, claire, settings):
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail_until_locked(client, settings)
        assert log_in(client, password=PASSWORD, address=ATTACKER).status_code == 429
        clock.shift(dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
        response = log_in(client, password=PASSWORD, address=ATTACKER)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(claire.pk)


def test_an_attacker_cannot_lock_the_same_person_out_from_elsewhere(claire, settings):
    from django.test import Client

    attacker, colleague = Client(), Client()
    fail_until_locked(attacker, settings)
    response = log_in(colleague, password=PASSWORD, address=COLLEAGUE)
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(claire.pk)


def test_failures_on_one_username_do_not_lock_another(client, claire, settings):
    UserFactory(username="moderator", is_staff=True)
    fail_until_locked(client, settings)
    response = log_in(client, username="moderator", password=PASSWORD, address=ATTACKER)
    assert response.status_code == 302


def test_trying_many_usernames_from_one_address_is_slowed(client, settings):
    limit = settings.RATE_LIMITS["login"]["client"].split("/")[0]
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        statuses = [
            log_in(client, username=f"guess{n}", password="guess", address=ATTACKER).status_code
            for n in range(int(limit) + 1)
        ]
        again = log_in(client, password="sprayed-password-123", address=ATTACKER)
        elsewhere = log_in(client, username="guess", password="guess", address=COLLEAGUE)
    assert statuses[:-1] == [200] * int(limit)
    assert statuses[-1] == 429
    assert "Please wait a few minutes" in again.text
    assert "sprayed-password-123" not in again.text
    assert elsewhere.status_code == 200


def test_axes_stores_no_ip_address_and_no_password(client, claire, settings):
    fail_until_locked(client, settings)
    attempts = list(AccessAttempt.objects.all())
    assert attempts
    for attempt in attempts:
        stored = " ".join(
            str(getattr(attempt, field.attname)) for field in attempt._meta.concrete_fields
        )
        assert ATTACKER not in stored
        assert "guess" not in stored
        assert ipaddress.ip_address(attempt.ip_address) in ipaddress.ip_network("fd00::/8")
    log_in(client, password=PASSWORD, address=COLLEAGUE)
    assert not AccessLog.objects.exists()


def test_login_logs_hold_no_username_password_or_address(client, claire, settings, caplog):
    caplog.set_level(logging.DEBUG)
    fail_until_locked(client, settings)
    log_in(client, password=PASSWORD, address=COLLEAGUE)
    lines = [record.getMessage() for record in caplog.records]
    text = "\n".join(lines)
    assert "login failed" in lines
    assert "login locked out after repeated failures" in lines
    assert f"login succeeded user={claire.pk}" in lines
    for secret in [ATTACKER, COLLEAGUE, "claire", "guess", PASSWORD]:
        assert secret not in text


def address_request(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_the_client_key_is_stable_within_a_day_and_changes_the_next():
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, 0, tzinfo=dt.UTC)) as clock:
        morning = client_key(address_request(ATTACKER))
        clock.shift(dt.timedelta(hours=12))
        evening = client_key(address_request(ATTACKER))
        clock.shift(dt.timedelta(hours=12))
        tomorrow = client_key(address_request(ATTACKER))
    assert morning == evening != tomorrow
    assert ATTACKER not in morning


def test_one_ipv6_network_counts_as_one_client():
    first = client_key(address_request("2001:db8:1:2::10"))
    same_home = client_key(address_request("2001:db8:1:2:aaaa::1"))
    elsewhere = client_key(address_request("2001:db8:1:3::10"))
    assert first == same_home != elsewhere


def test_ipv4_clients_seen_through_ipv6_keep_their_own_key():
    mapped = client_key(address_request("::ffff:203.0.113.7"))
    assert mapped == client_key(address_request(ATTACKER))
    assert mapped != client_key(address_request("::ffff:198.51.100.9"))


def test_behind_a_proxy_the_address_the_proxy_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}"
    )
    assert client_key(spoofed) == client_key(address_request(ATTACKER))
    assert pseudonymous_address(spoofed) == pseudonymous_address(address_request(ATTACKER))


def forwarded(chain, remote="10.0.0.2"):
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=chain)


def test_behind_one_proxy_a_single_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_key(forwarded(ATTACKER)) == client_key(address_request(ATTACKER))


def test_behind_two_proxies_the_address_the_outer_proxy_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # The client wrote the first entry itself; the outer proxy added the real address.
    request = forwarded(f"1.2.3.4, {ATTACKER}, 10.0.0.1")
    assert client_key(request) == client_key(address_request(ATTACKER))


def test_a_request_that_skipped_the_proxies_counts_as_the_address_it_came_from(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = forwarded(ATTACKER, remote=COLLEAGUE)
    assert client_key(request) == client_key(address_request(COLLEAGUE))


def test_without_a_proxy_a_forwarded_header_is_ignored():
    assert client_key(forwarded(ATTACKER, remote=COLLEAGUE)) == client_key(
        address_request(COLLEAGUE)
    )


def test_a_client_with_no_readable_address_still_gets_a_key_of_its_own():
    odd = client_key(address_request("unix-socket"))
    assert len(odd) == 64
    assert odd != client_key(address_request(ATTACKER))


def test_the_day_of_a_client_key_ends_at_midnight_utc_not_in_london():
    # 23:50 and 00:10 London summer time on 15-16 October, on a server keeping London time
    # (Django sets the process's time zone to TIME_ZONE): one UTC day, one key.
    london = zoneinfo.ZoneInfo("Europe/London")
    with time_machine.travel(dt.datetime(2026, 10, 15, 23, 50, tzinfo=london)) as clock:
        before_london_midnight = client_key(address_request(ATTACKER))
        clock.shift(dt.timedelta(minutes=20))
        after_london_midnight = client_key(address_request(ATTACKER))
    assert before_london_midnight == after_london_midnight


def test_axes_log_lines_tag_a_client_by_the_end_of_its_pseudonymous_address(
    client, claire, settings, caplog
):
    caplog.set_level(logging.WARNING, logger="axes")
    fail_until_locked(client, settings)
    log_in(client, password="guess", address=COLLEAGUE)
    tags = [
        re.search(r"client=([^\s.]+)", record.getMessage()).group(1)
        for record in caplog.records
        if record.name.startswith("axes") and "client=" in record.getMessage()
    ]
    assert len(tags) == settings.AXES_FAILURE_LIMIT + 2  # each failure, the lock-out, the colleague
    attacker, colleague = tags[0], tags[-1]
    # Twelve hex digits: enough to follow one client through the lines, and the row axes keeps.
    assert re.fullmatch(r"[0-9a-f]{12}", attacker) and re.fullmatch(r"[0-9a-f]{12}", colleague)
    assert set(tags[:-1]) == {attacker} != {colleague}
    stored = AccessAttempt.objects.get(ip_address=pseudonymous_address(address_request(ATTACKER)))
    assert stored.ip_address.replace(":", "").endswith(attacker)


def test_an_axes_line_without_an_address_says_unknown_and_never_the_username():
    assert axes_client_str("claire", None, "Firefox", "/admin/login/", None) == "client=unknown"
