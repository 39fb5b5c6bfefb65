"""The benchmarks' urlconf: the whole site plus the bare floor views, selected with ROOT_URLCONF.

The floors are what the site's own pages are compared with, measured in the same run by the
same gunicorn, with the same middleware, settings, database and CSRF check:
- `ok`: an "ok" answer and nothing else (what middleware and gunicorn cost);
- `twenty_rows`: the 20 newest published tributes of the big memorial read in one query and
  rendered through a small template (what a page of rows costs at the least);
- `insert_one_row`: one ORM INSERT (the memorial it belongs to is looked up once per process).
They are never routes of the production site: memorial/urls.py does not include this module.
"""

import functools

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_POST, require_safe

from tributes.demo import DEMO_MEMORIAL_SLUG
from tributes.models import Candle, Memorial, Tribute

BENCH_MEMORIAL_SLUG = "bench-floor"
FLOOR_ROWS = 20


@functools.cache
def _memorial_id(slug: str) -> int:
    return Memorial.objects.get(slug=slug).pk


@require_safe
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def twenty_rows(request):
    rows = Tribute.objects.filter(memorial_id=_memorial_id(DEMO_MEMORIAL_SLUG)).published()[
        :FLOOR_ROWS
    ]
    return render(request, "bench/twenty_rows.html", {"rows": rows})


@require_POST
def insert_one_row(request):
    Candle.objects.create(
        memorial_id=_memorial_id(BENCH_MEMORIAL_SLUG), name="Floor", visitor_key="floor"
    )
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/twenty-rows/", twenty_rows),
    path("bench/insert-one-row/", insert_one_row),
    path("", include("memorial.urls")),
]

handler404 = "tributes.views.errors.page_not_found"
handler500 = "tributes.views.errors.server_error"
