"""The models, one file per family, all importable from `tributes.models`."""

from tributes.models.candles import (
    Candle,
    CandleEvent,
    CandleEventQuerySet,
    CandleQuerySet,
    ReminderQuerySet,
    ReminderSignup,
)
from tributes.models.choices import (
    BurnTime,
    Decision,
    Emblem,
    EventState,
    ModerationMode,
    RejectionReason,
    Status,
    Visibility,
)
from tributes.models.memorials import Memorial, MemorialQuerySet, Photo, PhotoQuerySet
from tributes.models.moderation import BlockedTerm, ModerationDecision, ModerationNotice
from tributes.models.tributes import Comment, Love, Moderated, ModeratedQuerySet, Tribute

# Migrations name the validator by this path.
from tributes.zones import validate_time_zone

__all__ = [
    "BlockedTerm",
    "BurnTime",
    "Candle",
    "CandleEvent",
    "CandleEventQuerySet",
    "CandleQuerySet",
    "Comment",
    "Decision",
    "Emblem",
    "EventState",
    "Love",
    "Memorial",
    "MemorialQuerySet",
    "Moderated",
    "ModeratedQuerySet",
    "ModerationDecision",
    "ModerationMode",
    "ModerationNotice",
    "Photo",
    "PhotoQuerySet",
    "RejectionReason",
    "ReminderQuerySet",
    "ReminderSignup",
    "Status",
    "Tribute",
    "Visibility",
    "validate_time_zone",
]
