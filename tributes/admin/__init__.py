"""The admin, for the site's moderators: one module per area."""

from tributes.admin import candles, memorials, moderation, remembering, sharing, tributes

__all__ = ["candles", "memorials", "moderation", "remembering", "sharing", "tributes"]
