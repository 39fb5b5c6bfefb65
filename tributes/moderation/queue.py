"""The to-read queue: what waits for a person who moderates, why it waits, and bulk decisions.

Served by the admin's queue page (tributes/admin/queue.py) and counted on the admin index; the
family's own queue uses the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tributes.access import memorials_in_scope
from tributes.models import Comment, ModerationMode, RejectionReason, Status, Tribute
from tributes.models.tributes import Moderated
from tributes.moderation import decisions
from tributes.moderation.screening import describe_hold

DECISIONS = ("approve", "reject", "spam")


def to_read_in_scope(user, *, memorial_id: int | None = None) -> tuple[QuerySet, QuerySet]:
    """The tributes and comments to read on the memorials `user` moderates (no query yet).

    `memorial_id` narrows both to one memorial, within the scope, never beyond it.
    """
    memorials = memorials_in_scope(user, family_moderated_only=True)
    tributes, comments = Tribute.objects.to_read(), Comment.objects.to_read()
    if memorials is not None:
        tributes = tributes.filter(memorial__in=memorials.values("pk"))
        comments = comments.filter(tribute__memorial__in=memorials.values("pk"))
    if memorial_id is not None:
        tributes = tributes.filter(memorial_id=memorial_id)
        comments = comments.filter(tribute__memorial_id=memorial_id)
    return tributes, comments


@dataclass(frozen=True)
class Queue:
    """What this person may read and decide: None for a kind they have no permission for."""

    tributes: QuerySet[Tribute] | None
    comments: QuerySet[Comment] | None

    def by_kind(self) -> list[tuple[str, QuerySet | None]]:
        return [("tribute", self.tributes), ("comment", self.comments)]


def queue_for(user, *, memorial_id: int | None = None) -> Queue:
    """The tributes and comments `user` may moderate now, scoped to their memorials.

    Needs change permission: viewing alone is not moderating. Makes no query by itself.
    """
    tributes, comments = to_read_in_scope(user, memorial_id=memorial_id)
    return Queue(
        tributes if user.has_perm("tributes.change_tribute") else None,
        comments if user.has_perm("tributes.change_comment") else None,
    )


def why_held(item: Moderated, memorial) -> list[str]:
    """Why a tribute or comment waits, in a moderator's words, from what is known about it.

    Pass the item's memorial already fetched (a comment's is two relations away).
    """
    reasons = [describe_hold(code) for code in item.hold_reasons]
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


def queue_entries(queue: Queue) -> QuerySet:
    """(created_at, kind, pk) of every item in the queue, oldest first, as one UNION query.

    The queue must hold at least one kind.
    """
    parts = [
        items.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("created_at", "kind", "pk")
        for kind, items in queue.by_kind()
        if items is not None
    ]
    entries = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return entries.order_by("created_at", "kind", "pk")


def decide_chosen(
    queue: Queue, chosen: dict[str, set[int]], *, decision: str, reason: str, by
) -> dict[str, int]:
    """Apply the decision to every chosen item still in this person's queue; count them by kind.

    Items outside the queue (another memorial, or decided by someone else meanwhile) are left
    exactly as they are.
    """
    decide = {
        "approve": lambda item: decisions.approve(item, by=by),
        "reject": lambda item: decisions.reject(item, by=by, reason=reason),
        "spam": lambda item: decisions.mark_spam(item, by=by),
    }[decision]
    done = {"tribute": 0, "comment": 0}
    for kind, items in queue.by_kind():
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


def chosen_items(keys: list[str]) -> dict[str, set[int]]:
    """The items named by form keys such as "tribute-12" and "comment-3", by kind."""
    chosen: dict[str, set[int]] = {"tribute": set(), "comment": set()}
    for key in keys:
        kind, _sep, pk = key.partition("-")
        if kind in chosen and pk.isdigit() and len(pk) < 12:
            chosen[kind].add(int(pk))
    return chosen


def decision_problems(
    chosen: dict[str, set[int]], decision: str, reason: str, *, allowed=DECISIONS
) -> dict[str, str]:
    """What stops a decision, by the field it belongs next to (empty when it may go ahead)."""
    if not chosen["tribute"] and not chosen["comment"]:
        return {"item": _("Please select at least one item. Nothing was changed.")}
    if decision not in allowed:
        return {"decision": _("Please choose what to do with the selected items.")}
    if decision == "reject" and reason not in RejectionReason.values:
        return {
            "reason": _(
                "Please choose a reason to reject. Nothing was changed; your selection is kept."
            )
        }
    return {}


def page_items(entries: list[tuple]) -> list[Moderated]:
    """The items of a page of `queue_entries`, in its order, fetched in two queries.

    An item its author deleted a moment ago is simply left out.
    """
    ids: dict[str, list[int]] = {"tribute": [], "comment": []}
    for _created, kind, pk in entries:
        ids[kind].append(pk)
    found = {
        "tribute": Tribute.objects.select_related("memorial", "photo").in_bulk(ids["tribute"]),
        "comment": Comment.objects.select_related("tribute__memorial").in_bulk(ids["comment"]),
    }
    return [found[kind][pk] for _created, kind, pk in entries if pk in found[kind]]


def _kinds(tributes: int, comments: int) -> str:
    parts = []
    if tributes:
        parts.append(ngettext("%(n)d tribute", "%(n)d tributes", tributes) % {"n": tributes})
    if comments:
        parts.append(ngettext("%(n)d comment", "%(n)d comments", comments) % {"n": comments})
    return _(" and ").join(parts)


def decision_messages(
    done: dict[str, int], *, decision: str, reason: str, chosen: int
) -> list[tuple[int, str]]:
    """What to tell the moderator (message level, text): what was decided, and whether some of
    the `chosen` items were left as they were."""
    told = []
    count = done["tribute"] + done["comment"]
    what = _kinds(done["tribute"], done["comment"])
    if count and decision == "approve":
        told.append(
            (
                messages.SUCCESS,
                _("Approved %(what)s. They are published on their memorial pages.")
                % {"what": what},
            )
        )
    elif count and decision == "reject":
        told.append(
            (
                messages.SUCCESS,
                _(
                    "Rejected %(what)s (%(reason)s). They are kept, hidden, and can be "
                    "restored; nobody is told."
                )
                % {"what": what, "reason": RejectionReason(reason).label},
            )
        )
    elif count:
        told.append(
            (
                messages.SUCCESS,
                _("Marked %(what)s as spam. They are kept, hidden, and can be restored.")
                % {"what": what},
            )
        )
    if count < chosen:
        told.append(
            (
                messages.WARNING,
                ngettext(
                    "%(n)d selected item was no longer waiting (someone else may have decided "
                    "it) and was left as it is.",
                    "%(n)d selected items were no longer waiting (someone else may have decided "
                    "them) and were left as they are.",
                    chosen - count,
                )
                % {"n": chosen - count},
            )
        )
    return told
