"""The fixed lists of the domain: visibility, moderation modes, statuses, emblems, burn times."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can find it")
    UNLISTED = "unlisted", _("Unlisted: only people with the link")
    PRIVATE = "private", _("Private: only the family")


class ModerationMode(models.TextChoices):
    ALL_HELD = "all_held", _("Every tribute and comment waits for approval")
    FIRST_TIME_HELD = "first_time_held", _("Only first-time writers wait for approval")
    OPEN = "open", _("Published at once, moderated afterwards")
    FAMILY_ONLY = "family_only", _("Only the family may post")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class RejectionReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or hurtful")
    SPAM = "spam", _("Spam or advertising")
    COPYRIGHT = "copyright", _("Copyright (for example song lyrics)")
    OFF_TOPIC = "off_topic", _("Not about this person")
    OTHER = "other", _("Other")


class Emblem(models.TextChoices):
    NONE = "", _("No emblem")
    CANDLE = "candle", _("Candle")
    ANGEL_WINGS = "angel_wings", _("Angel wings")
    YELLOW_ROSE = "yellow_rose", _("Yellow rose")
    HEART = "heart", _("Heart")
    RIBBON = "ribbon", _("Ribbon")
    STAR = "star", _("Star")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Marked as spam")
    RESTORED = "restored", _("Put back in the queue")


class EventState(models.TextChoices):
    BEFORE = "before", _("Not started yet")
    LIVE = "live", _("Candles are being lit now")
    ENDED = "ended", _("Ended")


class BurnTime(models.TextChoices):
    """How long a candle lit on a memorial page burns."""

    HOUR = "hour", _("An hour")
    DAY = "day", _("A day")
    WEEK = "week", _("A week")
    YEAR = "year", _("A year")
    ALWAYS = "always", _("Always")

    def burns_until(self, lit_at: dt.datetime) -> dt.datetime | None:
        lengths = {
            "hour": dt.timedelta(hours=1),
            "day": dt.timedelta(days=1),
            "week": dt.timedelta(weeks=1),
            "year": dt.timedelta(days=365),
        }
        return lit_at + lengths[self.value] if self.value in lengths else None
