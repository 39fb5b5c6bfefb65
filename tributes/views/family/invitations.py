"""Opening an invitation or a share link: the pages reached from an email or a shared address."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tributes.families import sharing
from tributes.models.families import Invitation
from tributes.security.ratelimits import rate_limited


def _not_found(request):
    return render(request, "tributes/family/invitation_not_found.html", status=404)


@rate_limited("preference")
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    """An invitation's page: sign in (or up) with the invited address, then accept."""
    found = sharing.find_invitation(token)
    if found is None or not found.is_open():
        return _not_found(request)
    for_you = request.user.is_authenticated and sharing.has_verified_email(
        request.user, found.email
    )
    if request.method == "POST" and for_you:
        try:
            accepted = sharing.accept(token, user=request.user)
        except sharing.InvitationRefused:
            return _not_found(request)
        if accepted.role == Invitation.Role.OWNER:
            messages.success(request, _("Thank you. You now look after this memorial too."))
            return redirect("family:memorial", slug=accepted.memorial.slug)
        messages.success(request, _("Thank you. You can now read and write on this memorial."))
        return redirect(accepted.memorial.get_absolute_url())
    context = {"invitation": found, "for_you": for_you, "next": request.path}
    response = render(request, "tributes/family/invitation.html", context)
    # The site's Referrer-Policy (same-origin) keeps the token in this address to this site.
    # "no-referrer" would make browsers post the form with "Origin: null", which CSRF refuses.
    add_never_cache_headers(response)
    return response


@require_safe
def shared(request, token):
    """A share link to a private memorial: remembered in this browser's session while it works."""
    memorial = sharing.open_share_link(request, token)
    if memorial is None:
        return _not_found(request)
    response = redirect(memorial.get_absolute_url())
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
