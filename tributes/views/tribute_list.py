"""The memorial page's published tributes: keyset pages, and their HTML kept in the shared cache.

A page is addressed by a cursor, `?before=<microseconds>_<id>` (the created_at and id of the
last tribute of the page before it): no COUNT and no OFFSET, so a deep page costs what the first
does. The page's rows (id, updated_at, love count) are read on every request, with the memorial
and its page version in its one query, on the memorial page's index (`with_tribute_page`); the
tributes' HTML is rendered once and kept in the shared cache, keyed by the memorial, its page
version (changed with every change that shows on the list, models.PageVersion), the cursor, the
language and a digest of the rows read. A tribute that was unpublished or deleted is therefore
never shown from a stale entry: its id is no longer read.

What differs per visitor (love sent or the Send love form, its submission key, CSRF, and the love
count) is never cached: the cached HTML holds a `<!--love:ID-->` marker per tribute, filled on
each request from tributes/_tribute_love.html. Visitors' words are escaped in the HTML, so no
marker can come from them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import JSONObject
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from tributes import shared_cache
from tributes.models import Comment, Love, Tribute
from tributes.security.visitors import VISITOR_COOKIE, visitor_key
from tributes.views.memorial_forms import (
    CSRF_MARKER,
    SUBMISSION_KEY_MARKER,
    filled_for_visitor,
    kept_blank,
)

TRIBUTES_PER_PAGE = 10
# How long a page of tributes' HTML is kept: the version changes it sooner on every edit.
KEPT_SECONDS = 10 * 60
CURSOR = re.compile(r"([0-9]{1,17})_([0-9]{1,18})")
MICROSECOND = dt.timedelta(microseconds=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Cursor:
    created_at: dt.datetime
    pk: int

    def __str__(self) -> str:
        return f"{(self.created_at - EPOCH) // MICROSECOND}_{self.pk}"


def parse_cursor(value: str) -> Cursor | None:
    """The cursor in `?before=`, or None when it is missing or not one of ours (page one)."""
    match = CURSOR.fullmatch(value or "")
    if match is None:
        return None
    try:
        created_at = EPOCH + int(match[1]) * MICROSECOND
    except OverflowError:
        return None
    return Cursor(created_at, int(match[2]))


@dataclass
class TributePage:
    rows: list[tuple[int, dt.datetime, dt.datetime, int]]  # id, created_at, updated_at, loves
    before: Cursor | None
    older: Cursor | None  # the cursor of the next (older) page, None on the last

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]


def with_tribute_page(memorials, before: Cursor | None):
    """`memorials` (a queryset), each read with the rows of its page of published tributes at
    `before`, newest first, for `tribute_page`, and its page version, in the same query
    (indexed subqueries)."""
    return memorials.with_page_version().annotate(tribute_page_rows=_page_rows(before))


# Built once per process and cursor: building it was a fifth of the page's query time. At the
# rush every visitor follows the same few cursors ("Older tributes" from the same first page,
# None for the first page itself), so a few hundred kept cover them. annotate() resolves a copy
# of the subquery, never the kept one.
@functools.lru_cache(maxsize=256)
def _page_rows(before: Cursor | None) -> ArraySubquery:
    published = Tribute.objects.filter(memorial=OuterRef("pk")).published().newest_first()
    if before is not None:
        published = published.older_than(before.created_at, before.pk)
    row = JSONObject(
        pk="pk", created_at="created_at", updated_at="updated_at", love_count="love_count"
    )
    return ArraySubquery(published.values(row=row)[: TRIBUTES_PER_PAGE + 1])


def tribute_page(memorial, before: Cursor | None) -> TributePage:
    """The page of the memorial's published tributes at `before` read with it by
    `with_tribute_page`."""
    rows = [
        (
            row["pk"],
            dt.datetime.fromisoformat(row["created_at"]),
            dt.datetime.fromisoformat(row["updated_at"]),
            row["love_count"],
        )
        for row in memorial.tribute_page_rows
    ]
    older = None
    if len(rows) > TRIBUTES_PER_PAGE:
        rows = rows[:TRIBUTES_PER_PAGE]
        older = Cursor(rows[-1][1], rows[-1][0])
    return TributePage(rows, before, older)


def cursor_at(memorial, position: int) -> Cursor | None:
    """The cursor that starts the page holding the `position`-th tribute (0 is the newest), for
    the old `?page=N` addresses and the benchmarks; None when there are not that many."""
    if position <= 0:
        return None
    row = (
        Tribute.objects.for_memorial(memorial)
        .published()
        .newest_first()
        .values_list("pk", "created_at")[position - 1 : position]
        .first()
    )
    return Cursor(row[1], row[0]) if row else None


def _render_tributes(memorial, page: TributePage, *, may_post: bool) -> str:
    tributes = {
        tribute.pk: tribute
        for tribute in Tribute.objects.published()
        .filter(pk__in=page.ids)
        .select_related("photo")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.published(), to_attr="published_comments")
        )
    }
    context = {"memorial": memorial, "may_post": may_post, "love_marker": True}
    return "".join(
        render_to_string("tributes/_tribute.html", {**context, "tribute": tributes[pk]})
        for pk in page.ids
        if pk in tributes
    )


def _cache_key(memorial, page: TributePage, *, may_post: bool) -> str:
    rows = ",".join(f"{pk}:{updated_at.timestamp()}" for pk, _, updated_at, _ in page.rows)
    digest = hashlib.blake2b(rows.encode(), digest_size=12).hexdigest()
    language = translation.get_language() or ""
    return (
        f"memorial-tributes:{memorial.pk}:{memorial.page_version}:{page.before or ''}:{language}:"
        f"{int(may_post)}:{memorial.slug}:{digest}"
    )


# The blank love form's tribute: its number shows only in "/tributes/0/love/" and
# "tribute-0-author", which no slug can hold (a slug has no "/" and no quote).
_LOVE_BLANK_PK = 0


def _love_html(memorial, pk: int, *, loved: bool, love_count: int, before: str) -> str:
    """A tribute's love form (or "You sent your love") and count, from a blank rendered once per
    process for each memorial, language, page, state and count: rendering it ten times a page
    cost more than the rest of the tributes. CSRF and the submission key are left as markers."""

    def render() -> str:
        return render_to_string(
            "tributes/_tribute_love.html",
            {
                "memorial": memorial,
                "tribute": {"pk": _LOVE_BLANK_PK, "loved": loved, "love_count": love_count},
                # Sending love twice with this form (a double click) is one love.
                "love_key": SUBMISSION_KEY_MARKER,
                "before": before,
                "csrf_token": CSRF_MARKER,
            },
        )

    key = ("love", translation.get_language(), memorial.slug, before, loved, love_count)
    blank = kept_blank(key, render)
    return blank.replace(f"/tributes/{_LOVE_BLANK_PK}/love/", f"/tributes/{pk}/love/", 1).replace(
        f'"tribute-{_LOVE_BLANK_PK}-author"', f'"tribute-{pk}-author"', 1
    )


def kept_tributes_html(memorial, page: TributePage, *, may_post: bool) -> str:
    """The HTML of the page's tributes with a `<!--love:ID-->` marker each, shared through the
    cache under the memorial's page version (read with it by `with_tribute_page`)."""
    if not page.rows:
        return ""
    return shared_cache.cached(
        _cache_key(memorial, page, may_post=may_post),
        KEPT_SECONDS,
        lambda: _render_tributes(memorial, page, may_post=may_post),
    )


def visitors_love(request, memorial, page: TributePage) -> dict[str, str]:
    """This visitor's love forms (or "You sent your love") with the page's love counts, as read
    now, by the name of the marker each fills in kept_tributes_html (for `filled_in`)."""
    loved = set()
    if page.rows and VISITOR_COOKIE in request.COOKIES:
        loved = set(
            Love.objects.filter(tribute__in=page.ids, visitor_key=visitor_key(request)).values_list(
                "tribute_id", flat=True
            )
        )
    before_text = str(page.before) if page.before else ""
    return {
        f"love:{pk}": filled_for_visitor(
            request,
            _love_html(memorial, pk, loved=pk in loved, love_count=love_count, before=before_text),
        )
        for pk, _, _, love_count in page.rows
    }


# Our own comments in our templates' HTML: visitors' words are escaped, so none can hold one.
_MARKER = re.compile(r"<!--((?:love|memorial):[a-z0-9-]+)-->")


def filled_in(html: str, parts: dict[str, str]) -> SafeString:
    """`html` with each `<!--NAME-->` marker replaced by `parts[NAME]` (or nothing), in one pass:
    a replace for each of the page's two dozen markers copied the whole page each time."""
    filled = _MARKER.sub(lambda marker: parts.get(marker.group(1), ""), html)
    return mark_safe(filled)  # noqa: S308 (rendered from our templates, visitors' words escaped)
