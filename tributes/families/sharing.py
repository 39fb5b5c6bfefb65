"""Who looks after a memorial and who may read a private one: owners, invitations, guests, links.

- An invitation is a single-use link emailed to one address, valid for seven days; only the
  account whose verified email is that address can accept it. Used, expired, cancelled, or
  opened by anyone else, it does nothing.
- A memorial always keeps at least one owner: the last owner cannot be removed or step back.
  Every change of owners locks the memorial's row first, so two owners removing each other at
  the same moment cannot leave it with none.
- Guests (people invited as guests) and anyone holding a working share link may read and write
  on a private memorial; strangers still get a 404.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from tributes import emails
from tributes.access import SHARE_LINKS_SESSION_KEY
from tributes.models import Memorial
from tributes.models.families import INVITATION_LIFETIME, Guest, Invitation, ShareLink
from tributes.security.tokens import hash_token


class LastOwner(Exception):
    """The memorial would be left without an owner."""


class InvitationRefused(Exception):
    """The invitation cannot be accepted: used, expired, cancelled or for someone else."""


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _lock(memorial: Memorial) -> Memorial:
    return Memorial.objects.select_for_update().get(pk=memorial.pk)


@transaction.atomic
def invite(
    memorial: Memorial, *, email: str, role: str, by, hands_over: bool = False
) -> Invitation:
    """Email a single-use invitation; an open one to the same address is replaced."""
    now = timezone.now()
    email = email.strip()
    memorial.invitations.open().filter(email__iexact=email, role=role).update(cancelled_at=now)
    token = _new_token()
    invitation = Invitation.objects.create(
        memorial=memorial,
        email=email,
        role=role,
        hands_over=hands_over and role == Invitation.Role.OWNER,
        token_hash=hash_token(token),
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    # In the outbox, in this transaction: a mail server that is down delays it, never loses it.
    emails.send_invitation(invitation, token)
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, open or not (None when unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("memorial", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def has_verified_email(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def accept(token: str, *, user) -> Invitation:
    """Accept the invitation for `user`; raises InvitationRefused if it may not be used."""
    invitation = find_invitation(token)
    if invitation is None:
        raise InvitationRefused
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open() or not has_verified_email(user, invitation.email):
        raise InvitationRefused
    memorial = _lock(invitation.memorial)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.role == Invitation.Role.OWNER:
        memorial.owners.add(user)
        Guest.objects.filter(memorial=memorial, user=user).delete()
        stepping_back = invitation.invited_by
        if (
            invitation.hands_over
            and stepping_back is not None
            and stepping_back.pk != user.pk
            and memorial.owners.filter(pk=stepping_back.pk).exists()
        ):
            memorial.owners.remove(stepping_back)
    elif not memorial.owners.filter(pk=user.pk).exists():
        try:
            with transaction.atomic():
                Guest.objects.create(memorial=memorial, user=user)
        except IntegrityError:
            pass  # Already a guest: accepting again changes nothing.
    return invitation


@transaction.atomic
def cancel_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


@transaction.atomic
def remove_owner(memorial: Memorial, user) -> None:
    """Take `user` off the owners (a co-owner removed, or someone stepping back)."""
    memorial = _lock(memorial)
    owners = list(memorial.owners.values_list("pk", flat=True))
    if user.pk not in owners:
        return
    if len(owners) <= 1:
        raise LastOwner
    memorial.owners.remove(user)


def remove_guest(memorial: Memorial, user) -> None:
    Guest.objects.filter(memorial=memorial, user=user).delete()


@transaction.atomic
def new_share_link(memorial: Memorial, *, by) -> str:
    """Revoke the memorial's working link (if any) and make a new one; returns its token."""
    revoke_share_links(memorial)
    token = _new_token()
    ShareLink.objects.create(memorial=memorial, token_hash=hash_token(token), created_by=by)
    return token


def revoke_share_links(memorial: Memorial) -> int:
    return memorial.share_links.working().update(revoked_at=timezone.now())


def open_share_link(request, token: str) -> Memorial | None:
    """Remember a working link in the visitor's session; the memorial it opens, or None."""
    if not token or len(token) > 100:
        return None
    link = (
        ShareLink.objects.working()
        .select_related("memorial")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        return None
    held = [pk for pk in request.session.get(SHARE_LINKS_SESSION_KEY, []) if isinstance(pk, int)]
    if link.pk not in held:
        request.session[SHARE_LINKS_SESSION_KEY] = [*held, link.pk][-20:]
    return link.memorial


def owners_and_guests(memorial: Memorial) -> tuple[list, list]:
    User = get_user_model()
    owners = list(User.objects.filter(memorials=memorial).order_by("email"))
    guests = list(User.objects.filter(guest_of__memorial=memorial).order_by("email").distinct())
    return owners, guests
