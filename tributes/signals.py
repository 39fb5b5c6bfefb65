"""Signal receivers, connected in apps.py: what must follow a row however it is saved or deleted."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.tasks.signals import task_started

from tributes.models import (
    BlockedTerm,
    CandleEvent,
    Comment,
    Memorial,
    PageVersion,
    Photo,
    Tribute,
)
from tributes.moderation.screening import forget_blocked_terms
from tributes.sharing.book import delete_memory_books
from tributes.sharing.cards import delete_share_images
from tributes.sharing.rules import memorial_is_shareable
from tributes.task_leases import look_now_and_then


# Photo files go with their row however it is deleted: one by one, in a queryset, or by the
# cascade from a deleted memorial, which never calls Photo.delete(); hence signals, not methods.
# The files are deleted only once the deletion is committed; a storage error is logged, and
# never turns the deletion the person asked for into an error page.
def delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    transaction.on_commit(instance.delete_files, using=kwargs.get("using"), robust=True)


# A tribute's photo is part of it: deleting the tribute deletes the photo (and so its files).
def delete_tribute_photo(sender, instance: Tribute, **kwargs) -> None:
    if instance.photo_id:
        Photo.objects.filter(pk=instance.photo_id).delete()


# Posting checks read the blocked terms through the shared cache (screening.blocked_terms): a
# change made in the admin is seen at once, and again once it is committed.
def forget_changed_blocked_terms(sender, **kwargs) -> None:
    forget_blocked_terms()
    transaction.on_commit(forget_blocked_terms, using=kwargs.get("using"), robust=True)


# A deleted memorial's or event's share images go too (kept in storage under share/), and so do
# a memorial's memory books (under books/).
def delete_share_images_of(sender, instance, **kwargs) -> None:
    kind, pk = ("memorial" if sender is Memorial else "event"), instance.pk

    def delete() -> None:
        delete_share_images(kind, pk)
        if kind == "memorial":
            delete_memory_books(pk)

    transaction.on_commit(delete, using=kwargs.get("using"), robust=True)


# A memorial made unlisted or private loses the preview images it had, and so do its events:
# nothing of it is kept for sharing once the family has closed it.
def delete_share_images_of_closed(sender, instance: Memorial, **kwargs) -> None:
    if memorial_is_shareable(instance):
        return
    pk, event_pks = instance.pk, list(instance.candle_events.values_list("pk", flat=True))

    def delete() -> None:
        delete_share_images("memorial", pk)
        for event_pk in event_pks:
            delete_share_images("event", event_pk)

    transaction.on_commit(delete, using=kwargs.get("using"), robust=True)


# The memorial page keeps its tributes' HTML, and for visitors without a session the page around
# them, under the memorial's page version (models.PageVersion): every saved or deleted tribute,
# comment, photo, candle time or memorial (a moderator's decision, an author's edit or deletion,
# a new post, a photo taken down, in the app or the admin) changes it, in the same transaction.
# A row just made that is not published shows nowhere yet, so posting at the rush (held for
# moderation) does not queue on the version's row. Love counts are read with the rows on every
# request: sending love changes nothing.
def change_page_version(sender, instance, origin=None, created=False, **kwargs) -> None:
    if isinstance(origin, Memorial | Tribute) and origin is not instance:
        return  # Gone with its memorial or tribute, whose own deletion changes the version.
    if created and (sender is Photo or not getattr(instance, "is_published", True)):
        return  # A photo is shown once a tribute or the memorial takes it (their save counts).
    if sender is Memorial:
        memorial_id = instance.pk
    elif sender is Comment and Comment.tribute.is_cached(instance):
        memorial_id = instance.tribute.memorial_id
    elif sender is Comment:
        memorial_id = (
            Tribute.objects.filter(pk=instance.tribute_id)
            .values_list("memorial_id", flat=True)
            .first()
        )
    else:
        memorial_id = instance.memorial_id
    if memorial_id is not None:
        PageVersion.objects.using(kwargs.get("using")).bump(memorial_id)


def connect() -> None:
    # Every worker takes back, now and then, the tasks of workers that died (task_leases.py).
    task_started.connect(look_now_and_then, dispatch_uid="requeue_abandoned_tasks")
    post_delete.connect(delete_photo_files, sender=Photo, dispatch_uid="delete_photo_files")
    post_delete.connect(delete_tribute_photo, sender=Tribute, dispatch_uid="delete_tribute_photo")
    for signal in (post_save, post_delete):
        signal.connect(
            forget_changed_blocked_terms, sender=BlockedTerm, dispatch_uid="forget_blocked_terms"
        )
    for model in (Memorial, CandleEvent):
        post_delete.connect(
            delete_share_images_of,
            sender=model,
            dispatch_uid=f"delete_share_images_{model.__name__}",
        )
    post_save.connect(
        delete_share_images_of_closed, sender=Memorial, dispatch_uid="delete_share_images_closed"
    )
    for model in (Memorial, Tribute, Comment, Photo, CandleEvent):
        # A deleted memorial has no page left to change.
        for signal in (post_save,) if model is Memorial else (post_save, post_delete):
            signal.connect(
                change_page_version,
                sender=model,
                dispatch_uid=f"change_page_version_{model.__name__}_{signal is post_save}",
            )
