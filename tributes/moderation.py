"""Posting, editing and deleting tributes and comments, and every moderation decision.

Workflows that touch several models or send mail live here as typed functions, each in one
transaction; emails leave only after it commits (tributes/emails.py), and a mail server that
fails is logged without undoing or hiding what was saved (`robust=True`). The moderation
notice is a task of Django's tasks framework, queued with `run_after` so that whoever
moderates a memorial hears at most once per NOTICE_INTERVAL that something waits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.tasks import task
from django.utils import timezone

from tributes import emails, spam, tokens
from tributes.images import PreparedPhoto, save_photo, shared_by_alt_text
from tributes.models import (
    Comment,
    Decision,
    Love,
    Memorial,
    ModerationDecision,
    ModerationMode,
    ModerationNotice,
    Photo,
    RejectionReason,
    Status,
    Tribute,
)
from tributes.roles import FAMILY_MODERATORS_GROUP, MODERATORS_GROUP

# At most one "something is waiting" email per memorial in this time.
NOTICE_INTERVAL = dt.timedelta(minutes=15)
# A queued notice that has not run after this long is taken as lost (a worker died), so a new
# post can queue another one instead of waiting forever.
NOTICE_LOST_AFTER = dt.timedelta(hours=1)
# Modes where nothing new appears before a moderator has read it.
HELD_MODES = {ModerationMode.ALL_HELD, ModerationMode.FIRST_TIME_HELD}

type Item = Tribute | Comment


class PostingClosed(Exception):
    """The memorial takes no tributes or comments from this person (family only, or hidden)."""


class RepeatPost(Exception):
    """This visitor sent these same words to this memorial a moment ago (tributes/spam.py)."""


@dataclass(frozen=True)
class Posted:
    """What a post or a resent post gives back: the item, the author's private token, and the
    submission key it was saved under (the view remembers it for `earlier_keys`)."""

    item: Item
    token: str
    created: bool
    submission_key: str


def may_post(memorial: Memorial, user) -> bool:
    """Whether `user` may write on `memorial` (one query when the family alone may post)."""
    if memorial.moderation_mode == ModerationMode.FAMILY_ONLY:
        return memorial.is_owned_by(user)
    return True


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
    if memorial.moderation_mode == ModerationMode.FAMILY_ONLY:
        raise PostingClosed
    if memorial.moderation_mode == ModerationMode.OPEN:
        return {"status": Status.APPROVED}
    if memorial.moderation_mode == ModerationMode.FIRST_TIME_HELD and _has_published_posts(
        memorial, author_email
    ):
        return {"status": Status.APPROVED}
    return {"status": Status.PENDING}


def _needs_a_moderator(item: Item) -> bool:
    return item.status == Status.PENDING or (item.is_published and item.moderated_at is None)


def _words(item: Item) -> tuple[str, str]:
    return item.author_name, item.message if isinstance(item, Tribute) else item.body


def _find_resent(item: Item, submission_keys: Iterable[str]) -> Posted | None:
    """The row an earlier send of these same words created under one of `submission_keys`.

    A key with different words is not a resend: it is an old page (the browser's back button)
    used to write something new, which must be kept as a new item.
    """
    keys = {tokens.idempotency_key(key): key for key in submission_keys}
    for existing in type(item).objects.filter(idempotency_key__in=keys):
        if _words(existing) == _words(item):
            key = keys[existing.idempotency_key]
            return Posted(existing, tokens.edit_token(key), created=False, submission_key=key)
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
    hold_reasons: Sequence[str] = (),
    visitor_key: str = "",
) -> Posted:
    """Save a new item once, whatever the number of times its form was sent.

    `earlier_keys` are the keys this browser posted under lately: the same words sent again
    from a re-loaded form (which carries a new key) find the item they already created. Then,
    and only then, the same words from this visitor raise RepeatPost, and `hold_reasons` (from
    the spam checks) keep a visitor's item waiting for a moderator whatever the moderation mode.
    """
    if not tokens.is_submission_key(submission_key):
        # A form without a valid key (an old page, a hand-made post) still must not lose words.
        submission_key = tokens.new_submission_key()
    earlier = [key for key in earlier_keys if tokens.is_submission_key(key)]
    resent = _find_resent(item, [submission_key, *earlier])
    if resent:
        return resent
    if visitor_key and spam.is_repeat_post(
        visitor_key=visitor_key, memorial_id=memorial.pk, text=_words(item)[1]
    ):
        raise RepeatPost
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
    item.full_clean(exclude=["idempotency_key", "edit_token_hash"])
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Two copies of the same form arrived together and the other one won.
        resent = _find_resent(item, [submission_key])
        if resent is None:
            raise
        return resent
    if _needs_a_moderator(item):
        schedule_moderation_notice(memorial)
    if item.author_email:
        transaction.on_commit(partial(emails.send_private_link, item, token), robust=True)
    return Posted(item, token, created=True, submission_key=submission_key)


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
    hold_reasons: Sequence[str] = (),
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
        hold_reasons=hold_reasons,
        visitor_key=visitor_key,
    )
    if not posted.created and photo is not None and photo.pk != posted.item.photo_id:
        # A resent form brought its photo again: the first send already kept one. Its files go
        # after commit with the row (see the Photo signals in models.py).
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
    hold_reasons: Sequence[str] = (),
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
        hold_reasons=hold_reasons,
        visitor_key=visitor_key,
    )


def find_by_token(items: QuerySet, token: str) -> Item | None:
    """The tribute or comment among `items` whose private link carries `token`, or None."""
    if not token or len(token) > 100:
        return None
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
    item.full_clean(exclude=["idempotency_key", "edit_token_hash"])
    item.save(update_fields=fields)
    if _needs_a_moderator(item):
        schedule_moderation_notice(memorial)
    return True


@transaction.atomic
def delete_item(item: Item) -> None:
    """Remove the author's words (and photo) for good.

    The row is deleted, not blanked: nothing of the text is left to leak. Comments others wrote
    under a deleted tribute go with it, since they answer words that no longer exist. The audit
    trail keeps who decided what and when, without the text.
    """
    # A tribute's photo and its files follow it (see the Photo signals in models.py).
    item.delete()


def _record(item: Item, decision: str, *, by, reason: str = "") -> None:
    ModerationDecision.objects.create(
        memorial=item.memorial,
        tribute=item if isinstance(item, Tribute) else None,
        comment=item if isinstance(item, Comment) else None,
        item_label=f"{item._meta.verbose_name.capitalize()} {item.pk}",
        decision=decision,
        reason=reason,
        decided_by=by,
    )


def _lock(item: Item) -> None:
    """Lock the item's row and read its current status, so that two moderators deciding at
    the same moment are applied one after the other (and an author is told only once)."""
    item.status = (
        type(item).objects.select_for_update().values_list("status", flat=True).get(pk=item.pk)
    )


@transaction.atomic
def approve(item: Item, *, by) -> None:
    """Publish the item (or mark a published one as read); tell an author who asked."""
    _lock(item)
    was_published = item.is_published
    item.approve(by=by)
    _record(item, Decision.APPROVED, by=by)
    if not was_published and item.notify_on_publish and item.author_email:
        transaction.on_commit(partial(emails.send_published, item), robust=True)


@transaction.atomic
def reject(item: Item, *, by, reason: str) -> None:
    """Hide the item for good unless restored. Nobody is ever told about a rejection."""
    if reason not in RejectionReason.values:
        raise ValueError(f"Unknown rejection reason {reason!r}")
    _lock(item)
    item.reject(by=by, reason=reason)
    _record(item, Decision.REJECTED, by=by, reason=reason)


@transaction.atomic
def mark_spam(item: Item, *, by) -> None:
    _lock(item)
    item.mark_spam(by=by)
    _record(item, Decision.SPAM, by=by, reason=RejectionReason.SPAM)


@transaction.atomic
def restore(item: Item, *, by) -> None:
    """Put a rejected or spam item back in the queue, to be decided again."""
    _lock(item)
    item.restore(by=by)
    _record(item, Decision.RESTORED, by=by)


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


@dataclass(frozen=True)
class Waiting:
    pending: int
    unreviewed: int

    @property
    def total(self) -> int:
        return self.pending + self.unreviewed


def waiting_for_moderation(memorial: Memorial) -> Waiting:
    """How many items wait for approval, and how many went up at once and wait to be read."""
    unreviewed = Q(status=Status.APPROVED, moderated_at__isnull=True)
    counts = [
        model.objects.for_memorial(memorial).aggregate(
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            unreviewed=Count("pk", filter=unreviewed),
        )
        for model in (Tribute, Comment)
    ]
    return Waiting(
        pending=sum(c["pending"] for c in counts), unreviewed=sum(c["unreviewed"] for c in counts)
    )


def moderator_emails(memorial: Memorial) -> list[str]:
    """Who is told that something waits: the family when it moderates, else the site's moderators."""
    if memorial.family_moderates:
        users = memorial.owners.filter(is_active=True)
    else:
        users = get_user_model().objects.filter(
            is_active=True, is_staff=True, groups__name=MODERATORS_GROUP
        )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def schedule_moderation_notice(memorial: Memorial) -> None:
    """Queue the "something is waiting" email unless one is already queued.

    The first notice after a quiet spell goes at once; the next no sooner than NOTICE_INTERVAL
    after the last one. Run inside the posting transaction: the memorial's notice row is locked,
    so two posts at the same moment queue one task between them.
    """
    now = timezone.now()
    ModerationNotice.objects.get_or_create(memorial=memorial)
    notice = ModerationNotice.objects.select_for_update().get(memorial=memorial)
    if notice.scheduled_for is not None and notice.scheduled_for > now - NOTICE_LOST_AFTER:
        return
    run_at = now
    if notice.last_sent_at is not None:
        run_at = max(now, notice.last_sent_at + NOTICE_INTERVAL)
    notice.scheduled_for = run_at
    notice.save(update_fields=["scheduled_for"])
    notify_moderators.using(run_after=run_at).enqueue(memorial.pk)


@task()
def notify_moderators(memorial_id: int) -> int:
    """Tell whoever moderates the memorial how many items wait. Returns the emails sent."""
    with transaction.atomic():
        notice = (
            ModerationNotice.objects.select_for_update()
            .select_related("memorial")
            .filter(memorial_id=memorial_id)
            .first()
        )
        if notice is None:
            return 0
        now = timezone.now()
        if notice.last_sent_at is not None and now < notice.last_sent_at + NOTICE_INTERVAL:
            # Only reachable if a lost notice was replaced: never send two within the interval.
            notice.scheduled_for = notice.last_sent_at + NOTICE_INTERVAL
            notice.save(update_fields=["scheduled_for"])
            notify_moderators.using(run_after=notice.scheduled_for).enqueue(memorial_id)
            return 0
        notice.scheduled_for = None
        memorial = notice.memorial
        waiting = waiting_for_moderation(memorial)
        recipients = moderator_emails(memorial)
        if waiting.total and recipients:
            notice.last_sent_at = now
            transaction.on_commit(
                partial(emails.send_moderation_notice, memorial, waiting, recipients), robust=True
            )
        notice.save(update_fields=["scheduled_for", "last_sent_at"])
        return len(recipients) if waiting.total else 0


def refresh_family_moderator_access(users) -> None:
    """Give staff access (the Family moderators group) to owners of family-moderated memorials.

    Takes it back from the given users who no longer own any such memorial, keeping staff status
    for anyone who has it for another reason (superusers, other groups, own permissions).
    """
    group = Group.objects.get(name=FAMILY_MODERATORS_GROUP)
    needing = set(Memorial.objects.filter(family_moderates=True).values_list("owners", flat=True))
    for user in users:
        if user.pk in needing:
            user.groups.add(group)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        elif user.groups.filter(pk=group.pk).exists():
            user.groups.remove(group)
            keeps_staff = (
                user.is_superuser or user.groups.exists() or user.user_permissions.exists()
            )
            if not keeps_staff and user.is_staff:
                user.is_staff = False
                user.save(update_fields=["is_staff"])


def family_moderators():
    """The users who have staff access as a family moderator now."""
    return get_user_model().objects.filter(groups__name=FAMILY_MODERATORS_GROUP)
