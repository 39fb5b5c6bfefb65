"""Posting, editing and deleting tributes and comments, finding them by token, sending love.

Each workflow is a typed function in one transaction; its emails are written to the outbox in
that same transaction and sent by the worker (tributes/emails.py), so a mail server that fails
or is slow never touches the visitor's request. Every post is screened here
(moderation/screening.py), whoever calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tributes import emails
from tributes.access import may_post
from tributes.models import Comment, Love, Memorial, ModerationMode, Photo, Status, Tribute
from tributes.moderation import screening
from tributes.moderation.notices import schedule_moderation_notice
from tributes.photos.pipeline import PreparedPhoto
from tributes.photos.storage import save_photo, shared_by_alt_text
from tributes.security import tokens

# Modes where nothing new appears before a moderator has read it.
HELD_MODES = {ModerationMode.ALL_HELD, ModerationMode.FIRST_TIME_HELD}

type Item = Tribute | Comment

# Derived from the post's random submission key and never changed afterwards: unique by
# construction, so full_clean does not check them again. That saves a query each, and lets the
# losing copy of two simultaneous sends reach the IntegrityError that `_create` handles.
UNIQUE_BY_CONSTRUCTION = ["idempotency_key", "edit_token_hash"]


class PostingClosed(Exception):
    """The memorial takes no tributes or comments from this person (family only, or hidden)."""


class RepeatPost(Exception):
    """This visitor sent these same words to this memorial a moment ago (see screening)."""


@dataclass(frozen=True)
class Posted:
    """What a post or a resent post gives back: the item, the author's private token, and the
    submission key it was saved under (the view remembers it for `earlier_keys`)."""

    item: Item
    token: str
    submission_key: str


def _has_published_posts(memorial: Memorial, email: str) -> bool:
    if not email:
        return False
    return (
        Tribute.objects.for_memorial(memorial).published().filter(author_email__iexact=email)
    ).exists() or (
        Comment.objects.for_memorial(memorial).published().filter(author_email__iexact=email)
    ).exists()


def _starting_state(memorial: Memorial, *, author_email: str, user) -> dict:
    """The status a new item starts with, by the memorial's moderation mode.

    An owner's own words are published at once and count as read. Items published at once for
    anyone else keep `moderated_at` empty: they are "published without review" in the admin.
    """
    if memorial.is_owned_by(user):
        return {"status": Status.APPROVED, "moderated_by": user, "moderated_at": timezone.now()}
    if not may_post(memorial, user):
        raise PostingClosed
    if memorial.moderation_mode == ModerationMode.OPEN:
        return {"status": Status.APPROVED}
    if memorial.moderation_mode == ModerationMode.FIRST_TIME_HELD and _has_published_posts(
        memorial, author_email
    ):
        return {"status": Status.APPROVED}
    return {"status": Status.PENDING}


def _words(item: Item) -> tuple[int, str, str]:
    """What makes a resend the same post: the same words to the same place (the same memorial
    for a tribute, the same tribute for a comment), so that a family writing the same words on
    twins' two memorials keeps both."""
    place = item.tribute_id if isinstance(item, Comment) else item.memorial_id
    return place, item.author_name, item.text


def _find_resent(item: Item, submission_keys: Iterable[str]) -> Posted | None:
    """The row an earlier send of these same words created under one of `submission_keys`.

    A key with different words is not a resend: it is an old page (the browser's back button)
    used to write something new, which must be kept as a new item.
    """
    keys = {tokens.idempotency_key(key): key for key in submission_keys}
    for existing in type(item).objects.filter(idempotency_key__in=keys):
        if _words(existing) == _words(item):
            key = keys[existing.idempotency_key]
            return Posted(existing, tokens.edit_token(key), submission_key=key)
    return None


def _is_key_taken(item: Item, submission_key: str) -> bool:
    key = tokens.idempotency_key(submission_key)
    return type(item).objects.filter(idempotency_key=key).exists()


def _create(
    item: Item,
    memorial: Memorial,
    submission_key: str,
    earlier_keys: Iterable[str],
    *,
    form_hold_reasons: Sequence[str],
    visitor_key: str,
) -> Posted:
    """Screen and save a new item once, whatever the number of times its form was sent.

    `earlier_keys` are the keys this browser posted under lately: the same words sent again
    from a re-loaded form (which carries a new key) find the item they already created. Then,
    and only then, the same words from this visitor raise RepeatPost, and the screening's
    reasons (with the form's own, `form_hold_reasons`: sent too fast, form too old) keep a
    visitor's item waiting for a moderator whatever the moderation mode.
    """
    if not tokens.is_submission_key(submission_key):
        # A form without a valid key (an old page, a hand-made post) still must not lose words.
        submission_key = tokens.new_submission_key()
    earlier = [key for key in earlier_keys if tokens.is_submission_key(key)]
    resent = _find_resent(item, [submission_key, *earlier])
    if resent:
        return resent
    if visitor_key and screening.is_repeat_post(
        visitor_key=visitor_key, memorial_id=memorial.pk, text=item.text
    ):
        raise RepeatPost
    hold_reasons = screening.screen_message(
        kind=item.kind,
        text=f"{item.author_name}\n{item.text}",
        email=item.author_email,
        form_reasons=form_hold_reasons,
    )
    if hold_reasons and item.is_published and item.moderated_by is None:
        # Published at once by the memorial's mode, but something in it needs a moderator's eyes.
        item.status = Status.PENDING
    if hold_reasons and item.moderated_by is None:
        # Kept so that the moderation queue can say why it waits.
        item.hold_reasons = list(hold_reasons)
    if _is_key_taken(item, submission_key):
        submission_key = tokens.new_submission_key()
    token = tokens.edit_token(submission_key)
    item.idempotency_key = tokens.idempotency_key(submission_key)
    item.edit_token_hash = tokens.hash_token(token)
    # The form checked the fields and the database keeps the constraints: validating them here
    # again cost a query and a savepoint each, and one to find the memorial we were given.
    item.full_clean(
        exclude=[*UNIQUE_BY_CONSTRUCTION, "memorial", "tribute"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Two copies of the same form arrived together and the other one won.
        resent = _find_resent(item, [submission_key])
        if resent is None:
            raise
        return resent
    if item.is_to_read:
        schedule_moderation_notice(memorial)
    if item.author_email:
        # Into the outbox with the item itself: sent by the worker, never in this request.
        emails.send_private_link(item, token)
    return Posted(item, token, submission_key=submission_key)


@transaction.atomic
def post_tribute(
    *,
    memorial: Memorial,
    author_name: str,
    message: str,
    submission_key: str,
    author_email: str = "",
    notify_on_publish: bool = False,
    relationship: str = "",
    emblem: str = "",
    photo: Photo | None = None,
    photo_upload: PreparedPhoto | None = None,
    photo_description: str = "",
    user=None,
    earlier_keys: Iterable[str] = (),
    form_hold_reasons: Sequence[str] = (),
    visitor_key: str = "",
) -> Posted:
    """Save a visitor's tribute with the status its memorial's moderation mode gives it.

    Raises PostingClosed when only the family may post. The photo is either an already stored
    Photo of this memorial or a checked upload (`photo_upload`, from PhotoField) stored here;
    when the form turns out to be a resend it is erased, since the first send kept its own.
    Queues the moderation notice and, after commit, emails the private link.
    """
    if photo_upload is not None:
        photo = save_photo(
            photo_upload,
            memorial=memorial,
            alt_text=photo_description or shared_by_alt_text(author_name),
        )
    tribute = Tribute(
        memorial=memorial,
        author_name=author_name,
        author_email=author_email,
        notify_on_publish=notify_on_publish and bool(author_email),
        relationship=relationship,
        message=message,
        emblem=emblem,
        photo=photo,
        **_starting_state(memorial, author_email=author_email, user=user),
    )
    posted = _create(
        tribute,
        memorial,
        submission_key,
        earlier_keys,
        form_hold_reasons=form_hold_reasons,
        visitor_key=visitor_key,
    )
    if photo is not None and photo.pk != posted.item.photo_id:
        # A resent form brought its photo again: the first send already kept its own. Its files
        # go after commit with the row (see tributes/signals.py).
        photo.delete()
    return posted


@transaction.atomic
def post_comment(
    *,
    tribute: Tribute,
    author_name: str,
    body: str,
    submission_key: str,
    author_email: str = "",
    notify_on_publish: bool = False,
    user=None,
    earlier_keys: Iterable[str] = (),
    form_hold_reasons: Sequence[str] = (),
    visitor_key: str = "",
) -> Posted:
    """Save a comment on a published tribute; the same rules as `post_tribute`."""
    if not tribute.is_published:
        raise PostingClosed
    memorial = tribute.memorial
    comment = Comment(
        tribute=tribute,
        author_name=author_name,
        author_email=author_email,
        notify_on_publish=notify_on_publish and bool(author_email),
        body=body,
        **_starting_state(memorial, author_email=author_email, user=user),
    )
    return _create(
        comment,
        memorial,
        submission_key,
        earlier_keys,
        form_hold_reasons=form_hold_reasons,
        visitor_key=visitor_key,
    )


def find_by_token(items: QuerySet, token: str) -> Item | None:
    """The tribute or comment among `items` whose private link carries `token`, or None."""
    return items.filter(edit_token_hash=tokens.hash_token(token)).first()


@transaction.atomic
def edit_item(item: Item, **changes: str) -> bool:
    """Apply the author's changes; return True when something changed.

    Changed words on a published item go back to the queue in the held modes, so nothing
    hurtful can arrive after approval; in the open mode they stay up, marked as not yet read.
    """
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(item, name, changes[name])
    fields = [*changed, "updated_at"]
    memorial = item.memorial
    if item.status in (Status.APPROVED, Status.PENDING):
        if item.is_published and "edited" not in item.hold_reasons:
            # The moderation queue tells the moderator these words changed after publication.
            item.hold_reasons = [*item.hold_reasons, "edited"]
        if memorial.moderation_mode in HELD_MODES:
            item.status = Status.PENDING
        item.moderated_by, item.moderated_at = None, None
        fields += ["status", "moderated_by", "moderated_at", "hold_reasons"]
    item.full_clean(exclude=UNIQUE_BY_CONSTRUCTION)
    item.save(update_fields=fields)
    if item.is_to_read:
        schedule_moderation_notice(memorial)
    return True


@transaction.atomic
def delete_item(item: Item) -> None:
    """Remove the author's words (and photo) for good.

    The row is deleted, not blanked: nothing of the text is left to leak. Comments others wrote
    under a deleted tribute go with it, since they answer words that no longer exist. The audit
    trail keeps who decided what and when, without the text.
    """
    # A tribute's photo and its files follow it (see tributes/signals.py).
    item.delete()


@transaction.atomic
def send_love(tribute: Tribute, *, visitor_key: str) -> bool:
    """Count one visitor's love on a published tribute; False when they already sent it."""
    if not tribute.is_published:
        return False
    try:
        with transaction.atomic():
            Love.objects.create(tribute=tribute, visitor_key=visitor_key)
    except IntegrityError:
        return False
    Tribute.objects.filter(pk=tribute.pk).update(love_count=F("love_count") + 1)
    return True
