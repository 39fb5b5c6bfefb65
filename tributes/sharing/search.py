"""Find a memorial by name: PostgreSQL full-text search on public memorials only (GIN index).

Full-text search rather than trigrams because it needs no extension: the embedded PostgreSQL
ships none, and a hosted one may not let us add one. The "simple" configuration lowercases
words without stemming them (names are not English words), and every word typed matches as a
prefix, so "ted ash" finds "Teddy Ashby".
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import QuerySet

from tributes.models import Memorial

MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20
MAX_WORDS = 8
# The same expression as the index `memorial_name_search` (tributes/models/memorials.py): the
# planner uses the index only for an identical one.
NAME_VECTOR = SearchVector("name", config="simple")


def name_query(query: str) -> SearchQuery | None:
    """Every word of `query` as a prefix, all required; None when there is no word in it.

    Only letters and digits reach the raw query, so nothing typed can be a tsquery operator.
    """
    words = re.findall(r"\w+", query.casefold())[:MAX_WORDS]
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )


def memorials_named(query: str) -> QuerySet[Memorial]:
    """Public memorials whose name has every word of `query` (as a prefix), best match first.

    Never unlisted or private ones: the search starts from `listed()`.
    """
    search = name_query(query)
    if search is None:
        return Memorial.objects.none()
    return (
        Memorial.objects.listed()
        .annotate(name_vector=NAME_VECTOR)
        .filter(name_vector=search)
        .annotate(rank=SearchRank(NAME_VECTOR, search))
        .order_by("-rank", "name", "pk")
    )


def find_memorials(query: str, *, limit: int = MAX_RESULTS) -> list[Memorial]:
    """The first `limit` memorials named like `query` (at most 100 characters of it), each with
    its cover photo (the result cards show it)."""
    return list(memorials_named(query[:MAX_QUERY_LENGTH]).select_related("cover_photo")[:limit])
