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
from tributes.models.families import (
    FamilySettings,
    Guest,
    Invitation,
    Notify,
    RememberingDay,
    Service,
    ShareLink,
)
from tributes.models.memorials import (
    Memorial,
    MemorialQuerySet,
    PageVersion,
    Photo,
    PhotoQuerySet,
)
from tributes.models.moderation import BlockedTerm, ModerationDecision, ModerationNotice
from tributes.models.outbox import OutgoingEmail
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
    "FamilySettings",
    "Guest",
    "Invitation",
    "Love",
    "Memorial",
    "MemorialQuerySet",
    "Moderated",
    "OutgoingEmail",
    "ModeratedQuerySet",
    "ModerationDecision",
    "ModerationMode",
    "ModerationNotice",
    "Notify",
    "PageVersion",
    "Photo",
    "PhotoQuerySet",
    "RejectionReason",
    "RememberingDay",
    "ReminderQuerySet",
    "ReminderSignup",
    "Service",
    "ShareLink",
    "Status",
    "Tribute",
    "Visibility",
    "validate_time_zone",
]
