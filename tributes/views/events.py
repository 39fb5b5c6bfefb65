"""Candle events: the event page, lighting a candle, the live count, calendar file, the wave."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from tributes.access import get_visible_event, share_links_held, visitors_event
from tributes.candles import lighting, reminders, wave
from tributes.candles.calendar import event_calendar
from tributes.candles.forms import EventCandleForm, ReminderForm, ZoneForm
from tributes.candles.status import (
    STATUS_CACHE_SECONDS,
    event_page,
    status_answer,
    visitors_status_answer,
)
from tributes.models import EventState
from tributes.security.ratelimits import rate_limited
from tributes.security.visitors import VISITOR_COOKIE, remember_visitor, visitor_key
from tributes.views.caching import public_when_the_same_for_everyone
from tributes.views.memorial_forms import SUBMISSION_KEY_MARKER, crispy_html, filled_for_visitor
from tributes.zones import remember_zone, visitor_zone


@require_safe
def event_detail(request, slug):
    return _event_page(request, slug)


def _event_page(request, slug, *, form=None, reminder_form=None, status=200):
    event = get_visible_event(request, slug)
    zone = visitor_zone(request)
    key = visitor_key(request) if VISITOR_COOKIE in request.COOKIES else None
    context = event_page(event, now=timezone.now(), zone=zone, visitor_key=key)
    dedicate = event.memorial_id is None
    for_memorial = request.GET.get("for", "")
    # The unbound forms are rendered once per process (memorial_forms.crispy_html): crispy took
    # most of the page's time. A form sent back with its errors is rendered as it is.
    candle_form = form or EventCandleForm(
        initial={"for_memorial": for_memorial, "submission_key": SUBMISSION_KEY_MARKER},
        dedicate=dedicate,
    )
    context["form"] = candle_form
    context["form_html"] = filled_for_visitor(
        request,
        crispy_html(("event-candle", dedicate), candle_form, blank=not form and not for_memorial),
    )
    context["reminder_form"] = reminder_form or ReminderForm()
    context["reminder_form_html"] = crispy_html(
        ("reminder",), context["reminder_form"], blank=not reminder_form
    )
    next_path = request.get_full_path()
    zone_form = ZoneForm(initial={"zone": zone.key, "next": next_path})
    context["zone_form"] = zone_form
    context["zone_form_html"] = crispy_html(("zone", zone.key, next_path), zone_form, blank=True)
    response = render(request, "tributes/event_detail.html", context, status=status)
    # Each render carries a fresh form key (tributes/security/tokens.py): no shared cache may keep it.
    patch_cache_control(response, private=True)
    return response


@rate_limited("candle", memorial_kwarg="slug", form=EventCandleForm)
@require_POST
def light_candle(request, slug):
    # At the start time thousands light at once: visitors without a session (nobody signed in,
    # no share link) share the event as status.json does, with no query for it.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        event = get_visible_event(request, slug)
    else:
        event = visitors_event(slug)
    form = EventCandleForm(request.POST, user=request.user, dedicate=event.memorial_id is None)
    if not form.is_valid():
        return _event_page(request, slug, form=form, status=400)
    try:
        lit = lighting.light_event_candle(
            event=event,
            visitor_key=visitor_key(request),
            visitor_zone=visitor_zone(request),
            name=form.cleaned_data["name"],
            message=form.cleaned_data["message"],
            show_name=form.cleaned_data["show_name"],
            dedicated_to=form.cleaned_data.get("for_memorial"),
            submission_key=form.cleaned_data["submission_key"],
        )
    except lighting.CandleNotLit as reason:
        messages.info(request, str(reason))
        return remember_visitor(request, redirect(event))
    # The page itself thanks the visitor beside their candle; only a second try needs a note.
    if lit.already_lit:
        messages.info(request, _("Your candle is already lit. It is shown below."))
    return remember_visitor(
        request, HttpResponseRedirect(f"{event.get_absolute_url()}#your-candle")
    )


@require_GET
def event_status(request, slug):
    """What the page's script polls: state, count and newest candles. Cheap: see candles/status.py.

    Visitors without an account or share link (every visitor who can see it sees the same) share
    one answer for a couple of seconds, which caches in between may keep too (`public`); a
    repeated poll whose ETag still matches gets 304 and no body.
    """
    zone = visitor_zone(request)
    # Without a session cookie nobody is signed in and no share link is held: the session is
    # not even read (nor Vary: Cookie added by reading it).
    shared = settings.SESSION_COOKIE_NAME not in request.COOKIES or (
        not request.user.is_authenticated and not share_links_held(request)
    )

    def answer():
        event = visitors_event(slug) if shared else get_visible_event(request, slug)
        return status_answer(event, zone=zone, fresh=shared)

    found = visitors_status_answer(slug, zone, answer) if shared else answer()
    response = get_conditional_response(request, etag=found.etag) or HttpResponse(
        found.body, content_type="application/json"
    )
    response["ETag"] = found.etag
    visibility = "public" if shared else "private"
    response["Cache-Control"] = f"{visibility}, max-age={STATUS_CACHE_SECONDS}"
    if found.floating:
        # A floating event's state depends on the visitor's zone, kept in a cookie.
        patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def event_ics(request, slug):
    event = get_visible_event(request, slug)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@public_when_the_same_for_everyone
@require_GET
def event_wave(request, slug):
    event = get_visible_event(request, slug)
    if not event.is_floating:
        return redirect(event)
    context = wave.wave_page(event, zone=visitor_zone(request), at=timezone.now())
    return render(request, "tributes/event_wave.html", context)


@rate_limited("reminder", email_field="email", form=ReminderForm)
@require_POST
def remind_me(request, slug):
    event = get_visible_event(request, slug)
    zone = visitor_zone(request)
    if event.state(zone=event.zone_for(zone)) != EventState.BEFORE:
        messages.info(
            request,
            _("This candle lighting has already started, so there is nothing to remind you of."),
        )
        return redirect(event)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _event_page(request, slug, reminder_form=form, status=400)
    reminders.sign_up(
        event=event,
        email=form.cleaned_data["email"],
        minutes_before=form.cleaned_data["minutes_before"],
        zone=zone,
    )
    messages.success(
        request,
        _(
            "Thank you. We have emailed you a link: open it to confirm, and we will remind you "
            "before the start. Without confirmation we will not email you again."
        ),
    )
    return redirect(event)


@rate_limited("preference")
@require_http_methods(["GET", "POST"])
def reminder_confirm(request, token):
    """GET shows a button (mail scanners open links); POST confirms."""
    if reminders.signup_for_confirm_token(token) is None:
        return render(request, "tributes/reminder_confirm.html", {"failed": True}, status=404)
    if request.method == "POST":
        signup = reminders.confirm(token)
        if signup.unsubscribed_at is not None:
            # They pressed "stop" first: confirming an old link does not start it again.
            messages.info(
                request,
                _(
                    "You asked us not to email you about this, so we will not. You can ask "
                    "for a reminder again on this page."
                ),
            )
        else:
            messages.success(
                request, _("Your reminder is confirmed. We will email you once, before the start.")
            )
        return redirect(signup.event)
    return render(request, "tributes/reminder_confirm.html", {"token": token})


# Mail clients send the one-click POST without a form token; the signed link itself is the proof.
@csrf_exempt
@rate_limited("preference")
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request, token):
    """GET shows a button; POST unsubscribes (mail clients POST here for one-click, RFC 8058)."""
    signup = reminders.signup_for_unsubscribe_token(token)
    if signup is None:
        return render(request, "tributes/reminder_unsubscribe.html", {"unknown": True}, status=404)
    if request.method == "POST":
        reminders.unsubscribe(signup)
        return render(
            request, "tributes/reminder_unsubscribe.html", {"done": True, "signup": signup}
        )
    return render(request, "tributes/reminder_unsubscribe.html", {"signup": signup, "token": token})


@rate_limited("preference")
@require_POST
def choose_zone(request):
    form = ZoneForm(request.POST)
    target = request.POST.get("next", "")
    # Only a path on this site: anything else (another host, or a bare word like "home", which
    # redirect() would try as a URL name) goes to the home page.
    is_local = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    )
    response = HttpResponseRedirect(target if is_local else "/")
    if form.is_valid():
        remember_zone(response, form.cleaned_data["zone"])
    else:
        messages.info(request, " ".join(form.errors.get("zone", [])))
    return response
