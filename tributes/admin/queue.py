"""One moderation queue in the admin: tributes and comments to read, together, oldest first.

The page lists what waits for approval (and what went up at once and waits to be read) on the
memorials the person may moderate (tributes/moderation/queue.py), and applies bulk decisions
through the same functions as the admin actions (tributes/moderation/decisions.py). It is served
by TributeAdmin's `get_urls`, so the admin site's login, staff check and CSRF protection wrap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tributes.admin.photos import admin_thumbnail
from tributes.models import Comment, RejectionReason, Tribute
from tributes.moderation import queue

PER_PAGE = 50


def _memorial_id(request: HttpRequest) -> int | None:
    value = request.GET.get("memorial", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


@dataclass
class Row:
    kind: str
    item: Tribute | Comment
    thumbnail: str = field(default="")

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.pk}"

    @property
    def memorial(self):
        return self.item.memorial

    @property
    def text(self) -> str:
        return self.item.text

    @property
    def held_because(self) -> list[str]:
        return queue.why_held(self.item, self.memorial)


def _rows(entries: list[tuple]) -> list[Row]:
    """The page's items with their thumbnails, fetched in two queries whatever their number."""
    return [
        Row(item.kind, item, admin_thumbnail(item.photo) if item.kind == "tribute" else "")
        for item in queue.page_items(entries)
    ]


def _tell(request: HttpRequest, done: dict[str, int], *, decision: str, reason: str) -> None:
    chosen = queue.chosen_items(request.POST.getlist("item"))
    told = queue.decision_messages(
        done, decision=decision, reason=reason, chosen=sum(len(pks) for pks in chosen.values())
    )
    for level, text in told:
        messages.add_message(request, level, text)


@require_http_methods(["GET", "HEAD", "POST"])
def moderation_queue(request: HttpRequest, *, admin_site) -> HttpResponse:
    """The queue page. Wrapped by `admin_site.admin_view` (login, staff, CSRF)."""
    memorial_id = _memorial_id(request)
    moderated = queue.queue_for(request.user, memorial_id=memorial_id)
    if moderated.tributes is None and moderated.comments is None:
        raise PermissionDenied
    chosen = queue.chosen_items(request.POST.getlist("item"))
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    errors = queue.decision_problems(chosen, decision, reason) if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        done = queue.decide_chosen(
            moderated, chosen, decision=decision, reason=reason, by=request.user
        )
        _tell(request, done, decision=decision, reason=reason)
        return HttpResponseRedirect(request.get_full_path())
    page = Paginator(queue.queue_entries(moderated), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin_site.each_context(request),
        "title": _("Moderation queue"),
        "page": page,
        "rows": _rows(list(page.object_list)),
        "memorial_id": memorial_id,
        "selected": {f"{kind}-{pk}" for kind, pks in chosen.items() for pk in pks},
        "errors": errors,
        "chosen_reason": reason,
        "rejection_reasons": RejectionReason.choices,
    }
    return TemplateResponse(request, "admin/tributes/moderation_queue.html", context)
