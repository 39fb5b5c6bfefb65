"""Account pages allauth does not have: deleting one's account, and the kind 429 page for allauth."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tributes.families.accounts import (
    MemorialsWouldBeOrphaned,
    delete_account,
    memorials_only_they_own,
)
from tributes.security.ratelimits import rate_limited


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("So that nobody else can delete your account from your phone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Please try again."))
        return password


@login_required
@rate_limited("account")
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account_view(request):
    alone = list(memorials_only_they_own(request.user))
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and not alone and form.is_valid():
        try:
            delete_account(request, request.user)
        except MemorialsWouldBeOrphaned:
            alone = list(memorials_only_they_own(request.user))
        else:
            messages.success(request, _("Your account has been deleted. Thank you for being here."))
            return redirect("tributes:home")
    return render(request, "account/delete.html", {"form": form, "alone": alone})


def account_rate_limited(request, exception=None):
    """allauth's answer when one of its limits is reached (settings.ACCOUNT_RATE_LIMITS)."""
    return render(request, "account/rate_limited.html", status=429)
