"""The family's own queue, phone first: the same list, decisions and audit trail as the admin's.

Only for memorials the family moderates. What waits, how a page's items are fetched and how
decisions are applied are the moderation queue's own functions (tributes/moderation/queue.py),
shared with the admin's page; only the page differs: large buttons, one item or several.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tributes.access import get_owned_memorial
from tributes.families.queue import Entry, family_queue, find_restorable, rejected_by_family
from tributes.models import RejectionReason
from tributes.moderation import decisions
from tributes.moderation import queue as moderation_queue
from tributes.views.family.common import family_page

PER_PAGE = 20
FAMILY_DECISIONS = ("approve", "reject")


def _moderated_memorial(request, slug):
    memorial = get_owned_memorial(request, slug)
    if not memorial.family_moderates:
        raise Http404
    return memorial


def _what_was_sent(request) -> tuple[list[str], str, str]:
    """The chosen keys, decision and reason: from one item's own button, or the whole form."""
    decision, _sep, key = request.POST.get("decide_one", "").partition(":")
    if decision:
        return [key], decision, request.POST.get(f"reason-{key}", "")
    return (
        request.POST.getlist("item"),
        request.POST.get("decision", ""),
        request.POST.get("reason", ""),
    )


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def queue(request, slug):
    memorial = get_owned_memorial(request, slug)
    if not memorial.family_moderates:
        # The site's moderators read this memorial's words; the family may choose otherwise.
        return render(request, "tributes/family/queue_not_yours.html", {"memorial": memorial})
    items = family_queue(memorial)
    keys, decision, reason = _what_was_sent(request) if request.method == "POST" else ([], "", "")
    chosen = moderation_queue.chosen_items(keys)
    errors = {}
    if request.method == "POST":
        errors = moderation_queue.decision_problems(
            chosen, decision, reason, allowed=FAMILY_DECISIONS
        )
        if not errors:
            done = moderation_queue.decide_chosen(
                items, chosen, decision=decision, reason=reason, by=request.user
            )
            told = moderation_queue.decision_messages(
                done,
                decision=decision,
                reason=reason,
                chosen=sum(len(pks) for pks in chosen.values()),
            )
            for level, text in told:
                messages.add_message(request, level, text)
            return redirect("family:queue", slug=memorial.slug)
    page = Paginator(moderation_queue.queue_entries(items), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "memorial": memorial,
        "page": page,
        "rows": [Entry(item) for item in moderation_queue.page_items(list(page.object_list))],
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
        decisions.restore(item, by=request.user)
        messages.success(request, _("It is back in the queue, to be read again."))
    return redirect("family:queue", slug=memorial.slug)
