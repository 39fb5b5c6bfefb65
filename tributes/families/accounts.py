"""Family accounts on django-allauth: our adapter, the login name axes locks, deleting an account.

allauth does the sign-up, the email verification, logging in and out, password reset and email
change (settings.ACCOUNT_*). What it does not have is here: the client it rate-limits is our
pseudonymous key, never an address (tributes/clients.py); the admin's login and allauth's lock
the same name in django-axes; and a person can delete their account.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import Count, QuerySet

from tributes.models import Memorial
from tributes.security import log as security_log
from tributes.security.clients import client_key


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth keys its rate limits by client: give it the daily keyed hash, so no address
        # is ever written to the cache.
        return client_key(request)


def login_name(request, credentials: dict | None = None) -> str | None:
    """The name a login attempt is for, as django-axes should lock it (AXES_USERNAME_CALLABLE).

    The admin's form posts `username`; allauth authenticates with `email` and posts `login`.
    Case does not matter, so "Claire@Example.org" and "claire@example.org" share one lock.
    """
    posted = getattr(request, "POST", None) or {}
    for source in (credentials or {}, posted):
        for field in ("username", "email", "login"):
            value = source.get(field)
            if value:
                return str(value).strip().casefold()
    return None


def memorials_only_they_own(user) -> QuerySet[Memorial]:
    """The memorials `user` owns with nobody else: deleting the account would orphan them."""
    # Counted before filtering by `user`: a filter first would count only the joined row.
    return (
        Memorial.objects.annotate(owner_count=Count("owners"))
        .filter(owner_count=1, owners=user)
        .order_by("name")
    )


class MemorialsWouldBeOrphaned(Exception):
    """The person is the only owner of a memorial: hand it on or delete it first."""


@transaction.atomic
def delete_account(request, user) -> None:
    """Delete `user` for good and log them out.

    Refused while they are the only owner of a memorial (a memorial always keeps one owner).
    Their moderation decisions stay in the audit trail without their name (SET_NULL).
    """
    if memorials_only_they_own(user).exists():
        raise MemorialsWouldBeOrphaned
    user_id = user.pk
    logout(request)
    user.delete()
    security_log.log.info("account deleted user=%s", user_id)
