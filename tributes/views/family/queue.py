"""The family's own queue, phone first: the same list, decisions and audit trail as the admin's.

Only for memorials the family moderates. What waits, how a page's items are fetched and how
decisions are applied are the admin queue's own functions (tributes/admin_queue.py); only the
page differs: large buttons, one item at a time or several together.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tributes import admin_queue, moderation
from tributes.families.queue import family_queue, find_restorable, rejected_by_family
from tributes.models import RejectionReason
from tributes.access import get_owned_memorial
from tributes.views.family.common import family_page

PER_PAGE = 20
FAMILY_DECISIONS = ("approve", "reject")


def _moderated_memorial(request, slug):
    memorial = get_owned_memorial(request, slug)
    if not memorial.family_moderates:
        raise Http404
    return memorial


def _what_was_sent(request) -> tuple[dict[str, set[int]], str, str]:
    """The chosen items, decision and reason: from one item's own button, or the whole form."""
    decision, _sep, key = request.POST.get("decide_one", "").partition(":")
    if decision:
        kind, _sep, pk = key.partition("-")
        chosen: dict[str, set[int]] = {"tribute": set(), "comment": set()}
        if kind in chosen and pk.isdigit() and len(pk) < 12:
            chosen[kind].add(int(pk))
        return chosen, decision, request.POST.get(f"reason-{key}", "")
    selected = admin_queue._selected(request)
    return selected, request.POST.get("decision", ""), request.POST.get("reason", "")


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def queue(request, slug):
    memorial = _moderated_memorial(request, slug)
    items = family_queue(memorial)
    chosen, decision, reason = {"tribute": set(), "comment": set()}, "", ""
    errors = {}
    if request.method == "POST":
        chosen, decision, reason = _what_was_sent(request)
        if decision not in FAMILY_DECISIONS:
            decision = ""
        errors = admin_queue._problems(chosen, decision, reason)
        if not errors:
            done = admin_queue._decide(
                items, chosen, decision=decision, reason=reason, by=request.user
            )
            admin_queue._tell(request, done, decision=decision, reason=reason)
            return redirect("family:queue", slug=memorial.slug)
    page = Paginator(admin_queue._entries(items), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "memorial": memorial,
        "page": page,
        "rows": admin_queue._rows(list(page.object_list)),
        "selected": {f"{kind}-{pk}" for kind, pks in chosen.items() for pk in pks},
        "errors": errors,
        "chosen_reason": reason,
        "rejection_reasons": RejectionReason.choices,
        "rejected": rejected_by_family(memorial),
    }
    return render(request, "tributes/family/queue.html", context)


@family_page
@require_POST
def restore(request, slug):
    memorial = _moderated_memorial(request, slug)
    item = find_restorable(memorial, request.POST.get("item", ""))
    if item is not None:
        moderation.restore(item, by=request.user)
        messages.success(request, _("It is back in the queue, to be read again."))
    return redirect("family:queue", slug=memorial.slug)
