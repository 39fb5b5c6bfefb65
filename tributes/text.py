"""Text as the screening and the blocked terms compare it."""

from __future__ import annotations

import unicodedata


def normalise_text(text: str) -> str:
    """Case-folded, compatibility-normalised text with single spaces (fullwidth letters match)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
