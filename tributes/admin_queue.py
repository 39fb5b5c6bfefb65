"""One moderation queue in the admin: tributes and comments to read, together, oldest first.

The page lists what waits for approval (and what went up at once and waits to be read) on the
memorials the person may moderate (tributes/admin_scoping.py), and applies bulk decisions through
the same functions as the admin actions (tributes/moderation.py). It is served by TributeAdmin's
`get_urls`, so the admin site's login, staff check and CSRF protection wrap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet, Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tributes import moderation, spam
from tributes.admin_scoping import memorials_in_scope
from tributes.images import admin_thumbnail
from tributes.models import Comment, ModerationMode, RejectionReason, Status, Tribute

PER_PAGE = 50
TO_READ = Q(status=Status.PENDING) | Q(status=Status.APPROVED, moderated_at__isnull=True)
DECISIONS = ("approve", "reject", "spam")


@dataclass(frozen=True)
class Queue:
    """What this person may read and decide: None for a kind they have no permission for."""

    tributes: QuerySet[Tribute] | None
    comments: QuerySet[Comment] | None


def queue_for(user, *, memorial_id: int | None = None) -> Queue:
    """The tributes and comments `user` may moderate now, scoped to their memorials.

    Needs change permission: viewing alone is not moderating. `memorial_id` narrows the queue
    to one memorial (within the scope, never beyond it). Makes no query by itself.
    """
    memorials = memorials_in_scope(user, family_moderated_only=True)
    tributes = comments = None
    if user.has_perm("tributes.change_tribute"):
        tributes = Tribute.objects.filter(TO_READ)
        if memorials is not None:
            tributes = tributes.filter(memorial__in=memorials.values("pk"))
        if memorial_id is not None:
            tributes = tributes.filter(memorial_id=memorial_id)
    if user.has_perm("tributes.change_comment"):
        comments = Comment.objects.filter(TO_READ)
        if memorials is not None:
            comments = comments.filter(tribute__memorial__in=memorials.values("pk"))
        if memorial_id is not None:
            comments = comments.filter(tribute__memorial_id=memorial_id)
    return Queue(tributes, comments)


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
        return self.item.memorial if self.kind == "tribute" else self.item.tribute.memorial

    @property
    def text(self) -> str:
        return self.item.message if self.kind == "tribute" else self.item.body

    @property
    def held_because(self) -> list[str]:
        return why_held(self.item, self.memorial)


def why_held(item: Tribute | Comment, memorial) -> list[str]:
    """Why a tribute or comment waits, in a moderator's words, from what is known about it.

    Pass the item's memorial already fetched (a comment's is two relations away).
    """
    reasons = [str(_describe(code)) for code in item.hold_reasons]
    if item.status == Status.APPROVED and item.moderated_at is None:
        reasons.append(_("Published at once by the memorial's setting; not yet read."))
    elif item.status == Status.PENDING and item.moderated_at is not None:
        reasons.append(_("Put back in the queue by a moderator."))
    elif item.status == Status.PENDING and not item.hold_reasons:
        if memorial.moderation_mode == ModerationMode.ALL_HELD:
            reasons.append(_("Everything on this memorial waits for approval."))
        elif memorial.moderation_mode == ModerationMode.FIRST_TIME_HELD:
            reasons.append(_("A first post from this writer on this memorial."))
    return reasons


def _describe(code: str) -> str:
    if code == "edited":
        return _("Its author changed the words after it was published.")
    return spam.HOLD_REASONS.get(code, code)


def _entries(queue: Queue) -> QuerySet:
    """(created_at, kind, pk) of every item in the queue, oldest first, as one UNION query.

    The queue holds at least one kind (the view refuses anyone who may decide neither).
    """
    parts = [
        items.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("created_at", "kind", "pk")
        for kind, items in (("tribute", queue.tributes), ("comment", queue.comments))
        if items is not None
    ]
    entries = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return entries.order_by("created_at", "kind", "pk")


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
    if decision not in DECISIONS:
        return {"decision": _("Please choose what to do with the selected items.")}
    if decision == "reject" and reason not in RejectionReason.values:
        return {
            "reason": _(
                "Please choose a reason to reject. Nothing was changed; your selection is kept."
            )
        }
    return {}


def _decide(
    queue: Queue, chosen: dict[str, set[int]], *, decision: str, reason: str, by
) -> dict[str, int]:
    """Apply the decision to every chosen item still in this person's queue; count them by kind.

    Items outside the queue (another memorial, or decided by someone else meanwhile) are left
    exactly as they are.
    """
    decide = {
        "approve": lambda item: moderation.approve(item, by=by),
        "reject": lambda item: moderation.reject(item, by=by, reason=reason),
        "spam": lambda item: moderation.mark_spam(item, by=by),
    }[decision]
    done = {"tribute": 0, "comment": 0}
    for kind, items in (("tribute", queue.tributes), ("comment", queue.comments)):
        if items is None or not chosen[kind]:
            continue
        related = "memorial" if kind == "tribute" else "tribute__memorial"
        for item in items.select_related(related).filter(pk__in=chosen[kind]):
            try:
                decide(item)
            except ObjectDoesNotExist:
                # Its author deleted it while the moderator was reading the list.
                continue
            done[kind] += 1
    return done


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
    queue = queue_for(request.user, memorial_id=memorial_id)
    if queue.tributes is None and queue.comments is None:
        raise PermissionDenied
    chosen = _selected(request)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    errors = _problems(chosen, decision, reason) if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        done = _decide(queue, chosen, decision=decision, reason=reason, by=request.user)
        _tell(request, done, decision=decision, reason=reason)
        return HttpResponseRedirect(request.get_full_path())
    page = Paginator(_entries(queue), PER_PAGE).get_page(request.GET.get("page"))
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
