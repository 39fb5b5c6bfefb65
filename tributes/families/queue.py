"""What the family reads on its own queue page: the admin queue's list, for one memorial.

The list is the same rule as the admin's (`admin_queue.TO_READ`: waiting, or published at once
and not yet read) and decisions go through the same functions (tributes/moderation.py), so the
audit trail is one. What the site's moderators rejected is never in it, and never in the list
of items the family may restore: that list holds only what an owner of the memorial refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tributes.admin_queue import TO_READ, Queue
from tributes.models import Comment, Memorial, Status, Tribute

RESTORABLE_SHOWN = 20


def family_queue(memorial: Memorial) -> Queue:
    """The tributes and comments of `memorial` waiting to be read (no query by itself)."""
    return Queue(
        tributes=Tribute.objects.filter(TO_READ, memorial=memorial),
        comments=Comment.objects.filter(TO_READ, tribute__memorial=memorial),
    )


@dataclass(frozen=True)
class Hidden:
    """An item the family hid, as the "put it back" list shows it."""

    item: Tribute | Comment

    @property
    def key(self) -> str:
        return f"{self.item._meta.model_name}-{self.item.pk}"

    @property
    def text(self) -> str:
        return self.item.message if isinstance(self.item, Tribute) else self.item.body


def rejected_by_family(memorial: Memorial) -> list[Hidden]:
    """The newest items an owner of `memorial` rejected or marked as spam, newest first."""
    refused = Q(status__in=[Status.REJECTED, Status.SPAM], moderated_by__in=memorial.owners.all())
    tributes = Tribute.objects.filter(refused, memorial=memorial).order_by("-moderated_at")
    comments = (
        Comment.objects.filter(refused, tribute__memorial=memorial)
        .select_related("tribute")
        .order_by("-moderated_at")
    )
    items = [*tributes[:RESTORABLE_SHOWN], *comments[:RESTORABLE_SHOWN]]
    items.sort(key=lambda item: item.moderated_at, reverse=True)
    return [Hidden(item) for item in items[:RESTORABLE_SHOWN]]


def find_restorable(memorial: Memorial, key: str) -> Tribute | Comment | None:
    """The item named `key` ("tribute-12") if the family may restore it, else None."""
    kind, _sep, pk = key.partition("-")
    if not (pk.isdigit() and len(pk) < 12):
        return None
    refused = Q(status__in=[Status.REJECTED, Status.SPAM], moderated_by__in=memorial.owners.all())
    if kind == "tribute":
        return Tribute.objects.filter(refused, memorial=memorial, pk=int(pk)).first()
    if kind == "comment":
        return (
            Comment.objects.filter(refused, tribute__memorial=memorial, pk=int(pk))
            .select_related("tribute__memorial")
            .first()
        )
    return None
