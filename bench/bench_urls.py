"""The benchmark's urlconf: the whole site plus one bare view, selected with ROOT_URLCONF.

The bare view is the floor the candle view is compared with: the same middleware, settings,
database and CSRF check, and one ORM INSERT (the memorial it belongs to is looked up once per
process). It is never a route of the production site.
"""

import functools

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from tributes.models import Candle, Memorial

BENCH_MEMORIAL_SLUG = "bench-floor"


@functools.cache
def _floor_memorial_id() -> int:
    return Memorial.objects.get(slug=BENCH_MEMORIAL_SLUG).pk


@require_POST
def insert_one_row(request):
    Candle.objects.create(memorial_id=_floor_memorial_id(), name="Floor", visitor_key="floor")
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/insert-one-row/", insert_one_row),
    path("", include("memorial.urls")),
]

handler404 = "tributes.views.errors.page_not_found"
handler500 = "tributes.views.errors.server_error"
