"""The to-read queue: what waits for a person who moderates, why it waits, and bulk decisions.

Served by the admin's queue page (tributes/admin/queue.py) and counted on the admin index; the
family's own queue uses the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext as _

from tributes.access import memorials_in_scope
from tributes.models import Comment, ModerationMode, Status, Tribute
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
