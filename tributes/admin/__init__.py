"""The admin, for the site's moderators (and families who moderate): one module per area."""

from tributes.admin import candles, memorials, moderation, tributes

__all__ = ["candles", "memorials", "moderation", "tributes"]
