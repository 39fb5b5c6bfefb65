"""Find a memorial by name: trigram matching on public memorials only (pg_trgm, GIN index)."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity

from tributes.models import Memorial

MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20


def find_memorials(query: str, *, limit: int = MAX_RESULTS) -> list[Memorial]:
    """Public memorials whose name has a word like `query`, best match first.

    Never unlisted or private ones: the search starts from `listed()`. The `%>` operator
    (`trigram_word_similar`) is the one the GIN index on `name` answers; case and small typing
    slips do not matter ("teddy ashbey" finds "Teddy Ashby").
    """
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    return list(
        Memorial.objects.listed()
        .filter(name__trigram_word_similar=query)
        .annotate(likeness=TrigramWordSimilarity(query, "name"))
        .select_related("cover_photo")
        .order_by("-likeness", "name", "pk")[:limit]
    )
