"""The family's candle times, and the funeral or service with its candle time in one tap."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tributes.access import get_owned_memorial
from tributes.candles import scheduling
from tributes.families.forms import CandleTimeForm, ServiceForm
from tributes.models import CandleEvent
from tributes.models.families import Service
from tributes.views.family.common import family_page


def _told(request, count: int) -> None:
    if count:
        messages.info(
            request,
            _("We have emailed the %(count)d people who asked for a reminder.") % {"count": count},
        )


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def candle_times(request, slug):
    memorial = get_owned_memorial(request, slug)
    form = CandleTimeForm(
        request.POST or None,
        memorial=memorial,
        initial={"title": _("Candles for %(name)s") % {"name": memorial.name}},
    )
    if request.method == "POST" and form.is_valid():
        event = scheduling.schedule(form.instance, by=request.user)
        messages.success(request, _("The candle time is set. Share its page with anyone."))
        return redirect(event.get_absolute_url())
    date, label = scheduling.tonight(memorial)
    context = {
        "memorial": memorial,
        "form": form,
        "events": memorial.candle_events.upcoming(now=timezone.now()),
        "tonight_label": label,
    }
    return render(request, "tributes/family/candle_times.html", context)


@family_page
@require_POST
def tonight(request, slug):
    """ "Tonight at 19:00", in the memorial's zone: the second tap (the first opened the page)."""
    memorial = get_owned_memorial(request, slug)
    date, label = scheduling.tonight(memorial)
    event = CandleEvent(
        memorial=memorial,
        title=_("Candles for %(name)s") % {"name": memorial.name},
        local_date=date,
        local_time=scheduling.EVENING,
        time_zone=memorial.time_zone,
    )
    scheduling.schedule(event, by=request.user)
    messages.success(request, _("%(when)s: the candle time is set.") % {"when": label})
    return redirect(event.get_absolute_url())


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def edit_event(request, slug, pk):
    memorial = get_owned_memorial(request, slug)
    event = get_object_or_404(memorial.candle_events, pk=pk)
    previous_start = event.starts_at
    form = CandleTimeForm(request.POST or None, instance=event, memorial=memorial)
    if request.method == "POST" and form.is_valid():
        told = scheduling.move(form.instance, previous_start=previous_start)
        messages.success(request, _("The candle time is changed."))
        _told(request, told)
        return redirect("family:candle_times", slug=memorial.slug)
    context = {"memorial": memorial, "form": form, "event": event}
    return render(request, "tributes/family/edit_event.html", context)


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_event(request, slug, pk):
    memorial = get_owned_memorial(request, slug)
    event = get_object_or_404(memorial.candle_events, pk=pk)
    if request.method == "POST":
        told = scheduling.cancel(event)
        messages.success(request, _("The candle time is cancelled."))
        _told(request, told)
        return redirect("family:candle_times", slug=memorial.slug)
    context = {
        "memorial": memorial,
        "event": event,
        "candles": event.candles.count(),
        "reminders": event.reminders.active().count(),
    }
    return render(request, "tributes/family/cancel_event.html", context)


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def service(request, slug):
    memorial = get_owned_memorial(request, slug)
    existing = Service.objects.filter(memorial=memorial).first()
    form = ServiceForm(request.POST or None, instance=existing or Service(memorial=memorial))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The service is saved."))
        return redirect("family:service", slug=memorial.slug)
    return render(
        request,
        "tributes/family/service.html",
        {"memorial": memorial, "form": form, "service": existing},
    )


@family_page
@require_POST
def service_candle(request, slug):
    """A candle time during the service, "for those who cannot be there", in one tap."""
    memorial = get_owned_memorial(request, slug)
    held = get_object_or_404(Service, memorial=memorial)
    event = CandleEvent(
        memorial=memorial,
        title=_("Candles for %(name)s, for those who cannot be there") % {"name": memorial.name},
        message=_("Lit during %(what)s.") % {"what": held.title},
        local_date=held.local_date,
        local_time=held.local_time,
        time_zone=memorial.time_zone,
    )
    scheduling.schedule(event, by=request.user)
    messages.success(request, _("The candle time during the service is set."))
    return redirect(event.get_absolute_url())
