"""Who looks after a memorial and who may read it: co-owners, invitations, guests, share links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tributes.access import get_owned_memorial
from tributes.families import sharing
from tributes.families.forms import InvitationForm
from tributes.models.families import Invitation
from tributes.security.ratelimits import rate_limited
from tributes.views.family.common import family_page


def _people_page(request, memorial, *, owner_form=None, guest_form=None, share_url=""):
    owners, guests = sharing.owners_and_guests(memorial)
    context = {
        "memorial": memorial,
        "owners": owners,
        "guests": guests,
        "invitations": memorial.invitations.open().order_by("email"),
        "owner_form": owner_form or InvitationForm(prefix="owner"),
        "guest_form": guest_form or InvitationForm(prefix="guest"),
        "has_share_link": memorial.share_links.working().exists(),
        "share_url": share_url,
    }
    return render(request, "tributes/family/people.html", context)


@family_page
@require_http_methods(["GET", "HEAD"])
def people(request, slug):
    return _people_page(request, get_owned_memorial(request, slug))


def _invite(request, slug, *, role: str, prefix: str):
    memorial = get_owned_memorial(request, slug)
    form = InvitationForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _people_page(request, memorial, **{f"{prefix}_form": form})
    email = form.cleaned_data["email"]
    sharing.invite(
        memorial,
        email=email,
        role=role,
        by=request.user,
        hands_over=form.cleaned_data["hands_over"],
    )
    messages.success(
        request,
        _(
            "We have emailed an invitation to %(email)s. It works once, for seven days, for "
            "an account with that address."
        )
        % {"email": email},
    )
    return redirect("family:people", slug=memorial.slug)


@family_page
@rate_limited("invitation", email_field="owner-email")
@require_POST
def invite_owner(request, slug):
    return _invite(request, slug, role=Invitation.Role.OWNER, prefix="owner")


@family_page
@rate_limited("invitation", email_field="guest-email")
@require_POST
def invite_guest(request, slug):
    return _invite(request, slug, role=Invitation.Role.GUEST, prefix="guest")


@family_page
@require_POST
def cancel_invitation(request, slug, pk):
    memorial = get_owned_memorial(request, slug)
    invitation = get_object_or_404(memorial.invitations.open(), pk=pk)
    sharing.cancel_invitation(invitation)
    messages.success(request, _("The invitation is cancelled; its link no longer works."))
    return redirect("family:people", slug=memorial.slug)


@family_page
@require_POST
def remove_owner(request, slug, user_id):
    memorial = get_owned_memorial(request, slug)
    person = get_object_or_404(get_user_model().objects.filter(memorials=memorial), pk=user_id)
    try:
        sharing.remove_owner(memorial, person)
    except sharing.LastOwner:
        messages.warning(
            request,
            _(
                "A memorial always keeps someone to look after it. Please invite someone "
                "first, or delete the memorial."
            ),
        )
        return redirect("family:people", slug=memorial.slug)
    if person == request.user:
        messages.success(request, _("You no longer look after this memorial."))
        return redirect("family:dashboard")
    messages.success(request, _("They no longer look after this memorial."))
    return redirect("family:people", slug=memorial.slug)


@family_page
@require_POST
def remove_guest(request, slug, user_id):
    memorial = get_owned_memorial(request, slug)
    person = get_object_or_404(
        get_user_model().objects.filter(guest_of__memorial=memorial), pk=user_id
    )
    sharing.remove_guest(memorial, person)
    messages.success(request, _("They are no longer a guest of this memorial."))
    return redirect("family:people", slug=memorial.slug)


@family_page
@require_POST
def share_link(request, slug):
    memorial = get_owned_memorial(request, slug)
    if request.POST.get("action") == "revoke":
        sharing.revoke_share_links(memorial)
        messages.success(request, _("The link no longer works. Nobody can open the page with it."))
        return redirect("family:people", slug=memorial.slug)
    token = sharing.new_share_link(memorial, by=request.user)
    share_url = request.build_absolute_uri(reverse("family:shared", kwargs={"token": token}))
    messages.success(
        request,
        _(
            "Here is the link. Copy it now: for safety we show it only once. Any older link no longer works."
        ),
    )
    return _people_page(request, memorial, share_url=share_url)
