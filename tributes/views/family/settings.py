"""What an owner chooses for themselves: how they hear that something waits, and which days
they want to be reminded of."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tributes.access import get_owned_memorial
from tributes.families.forms import FamilySettingsForm, RememberingForm
from tributes.models.families import FamilySettings, RememberingDay
from tributes.views.family.common import family_page


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request):
    chosen, _created = FamilySettings.objects.get_or_create(user=request.user)
    form = FamilySettingsForm(request.POST or None, instance=chosen)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choices are saved."))
        return redirect("family:settings")
    return render(request, "tributes/family/settings.html", {"form": form})


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def remembering_days(request, slug):
    memorial = get_owned_memorial(request, slug)
    mine = RememberingDay.objects.filter(memorial=memorial, user=request.user)
    chosen = set(mine.values_list("kind", flat=True))
    first = mine.first()
    form = RememberingForm(
        request.POST or None,
        memorial=memorial,
        chosen=chosen,
        initial={"days_before": first.days_before if first else 3},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            mine.exclude(kind__in=form.chosen_kinds).delete()
            for kind in form.chosen_kinds:
                RememberingDay.objects.update_or_create(
                    memorial=memorial,
                    user=request.user,
                    kind=kind,
                    defaults={"days_before": form.cleaned_data["days_before"]},
                )
        messages.success(
            request, _("Saved. Only you get these reminders; nobody else is ever sent anything.")
        )
        return redirect("family:memorial", slug=memorial.slug)
    return render(request, "tributes/family/remembering.html", {"memorial": memorial, "form": form})
