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
from django.utils.translation import ngettext
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
    """The page's items, fetched in two queries whatever their number."""
    ids = {"tribute": [], "comment": []}
    for _created, kind, pk in entries:
        ids[kind].append(pk)
    found = {
        "tribute": Tribute.objects.select_related("memorial", "photo").in_bulk(ids["tribute"]),
        "comment": Comment.objects.select_related("tribute__memorial").in_bulk(ids["comment"]),
    }
    rows = []
    for _created, kind, pk in entries:
        item = found[kind].get(pk)
        # An item its author deleted a moment ago is simply left out.
        if item is not None:
            thumbnail = admin_thumbnail(item.photo) if kind == "tribute" else ""
            rows.append(Row(kind, item, thumbnail))
    return rows


def _selected(request: HttpRequest) -> dict[str, set[int]]:
    chosen: dict[str, set[int]] = {"tribute": set(), "comment": set()}
    for key in request.POST.getlist("item"):
        kind, _sep, pk = key.partition("-")
        if kind in chosen and pk.isdigit() and len(pk) < 12:
            chosen[kind].add(int(pk))
    return chosen


def _kinds(tributes: int, comments: int) -> str:
    parts = []
    if tributes:
        parts.append(ngettext("%(n)d tribute", "%(n)d tributes", tributes) % {"n": tributes})
    if comments:
        parts.append(ngettext("%(n)d comment", "%(n)d comments", comments) % {"n": comments})
    return _(" and ").join(parts)


def _problems(chosen: dict[str, set[int]], decision: str, reason: str) -> dict[str, str]:
    """What stops a decision, by the field it belongs next to (empty when it may go ahead)."""
    if not chosen["tribute"] and not chosen["comment"]:
        return {"item": _("Please select at least one item. Nothing was changed.")}
    if decision not in queue.DECISIONS:
        return {"decision": _("Please choose what to do with the selected items.")}
    if decision == "reject" and reason not in RejectionReason.values:
        return {
            "reason": _(
                "Please choose a reason to reject. Nothing was changed; your selection is kept."
            )
        }
    return {}


def _tell(request: HttpRequest, done: dict[str, int], *, decision: str, reason: str) -> None:
    """Say what was decided, and whether some selected items were left as they were."""
    chosen = sum(len(pks) for pks in _selected(request).values())
    count = done["tribute"] + done["comment"]
    what = _kinds(done["tribute"], done["comment"])
    if count and decision == "approve":
        messages.success(
            request,
            _("Approved %(what)s. They are published on their memorial pages.") % {"what": what},
        )
    elif count and decision == "reject":
        messages.success(
            request,
            _(
                "Rejected %(what)s (%(reason)s). They are kept, hidden, and can be restored; "
                "nobody is told."
            )
            % {"what": what, "reason": RejectionReason(reason).label},
        )
    elif count:
        messages.success(
            request,
            _("Marked %(what)s as spam. They are kept, hidden, and can be restored.")
            % {"what": what},
        )
    if count < chosen:
        messages.warning(
            request,
            ngettext(
                "%(n)d selected item was no longer waiting (someone else may have decided it) "
                "and was left as it is.",
                "%(n)d selected items were no longer waiting (someone else may have decided "
                "them) and were left as they are.",
                chosen - count,
            )
            % {"n": chosen - count},
        )


@require_http_methods(["GET", "HEAD", "POST"])
def moderation_queue(request: HttpRequest, *, admin_site) -> HttpResponse:
    """The queue page. Wrapped by `admin_site.admin_view` (login, staff, CSRF)."""
    memorial_id = _memorial_id(request)
    moderated = queue.queue_for(request.user, memorial_id=memorial_id)
    if moderated.tributes is None and moderated.comments is None:
        raise PermissionDenied
    chosen = _selected(request)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    errors = _problems(chosen, decision, reason) if request.method == "POST" else {}
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
