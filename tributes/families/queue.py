"""What the family reads on its own queue page: the admin queue's list, for one memorial.

The list is the same rule as the admin's (`to_read()`: waiting, or published at once and not
yet read) and decisions go through the same functions (tributes/moderation/queue.py and
decisions.py), so the audit trail is one. What the site's moderators rejected is never in it, and never in the list
of items the family may restore: that list holds only what an owner of the memorial refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tributes.models import Comment, Memorial, Status, Tribute
from tributes.moderation.queue import Queue, why_held

RESTORABLE_SHOWN = 20


def family_queue(memorial: Memorial) -> Queue:
    """The tributes and comments of `memorial` waiting to be read (no query by itself)."""
    return Queue(
        tributes=Tribute.objects.to_read().filter(memorial=memorial),
        comments=Comment.objects.to_read().filter(tribute__memorial=memorial),
    )


@dataclass(frozen=True)
class Entry:
    """A tribute or comment as the family's pages show it, with the key its buttons send."""

    item: Tribute | Comment

    @property
    def key(self) -> str:
        return f"{self.item.kind}-{self.item.pk}"

    @property
    def held_because(self) -> list[str]:
        return why_held(self.item, self.item.memorial)


def rejected_by_family(memorial: Memorial) -> list[Entry]:
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
    return [Entry(item) for item in items[:RESTORABLE_SHOWN]]


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
