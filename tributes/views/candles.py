"""Candles lit on a memorial page at any time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tributes.access import get_visible_memorial
from tributes.candles import lighting
from tributes.candles.forms import MemorialCandleForm
from tributes.models import BurnTime
from tributes.security.ratelimits import rate_limited
from tributes.security.visitors import remember_visitor, visitor_key


@rate_limited("candle", memorial_kwarg="slug", form=MemorialCandleForm)
@require_POST
def light_memorial_candle(request, slug):
    memorial = get_visible_memorial(request, slug)
    form = MemorialCandleForm(request.POST)
    if not form.is_valid():
        context = {"memorial": memorial, "form": form}
        return render(request, "tributes/memorial_candle_form.html", context, status=400)
    lighting.light_memorial_candle(
        memorial=memorial,
        visitor_key=visitor_key(request),
        name=form.cleaned_data["name"],
        message=form.cleaned_data["message"],
        show_name=form.cleaned_data["show_name"],
        burn_time=BurnTime(form.cleaned_data["burn_time"]),
        submission_key=form.cleaned_data["submission_key"],
    )
    messages.success(request, _("Thank you. Your candle is lit on this page."))
    return remember_visitor(
        request, HttpResponseRedirect(f"{memorial.get_absolute_url()}#light-a-candle")
    )
