"""/healthz: can the site serve, store and send? For monitors and for the people on call.

Anyone gets one word, "ok" (200) or "unavailable" (503), and nothing about the machinery behind
it. Signed-in staff get the details as JSON: each check, how long it took, and how many tasks are
waiting and for how long (a worker that has stopped shows here first).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

CACHE_PROBE_KEY = "healthz:probe"


@dataclass
class Check:
    ok: bool
    milliseconds: float
    detail: dict = field(default_factory=dict)


def _timed(probe) -> Check:
    started = time.perf_counter()
    try:
        detail = probe() or {}
        ok = detail.pop("ok", True)
    # A health check reports every failure rather than raising it: that is its whole purpose.
    except Exception as error:
        ok, detail = False, {"error": type(error).__name__}
    return Check(
        ok=ok, milliseconds=round((time.perf_counter() - started) * 1000, 1), detail=detail
    )


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache() -> dict:
    stamp = str(time.time_ns())
    cache.set(CACHE_PROBE_KEY, stamp, timeout=30)
    return {"ok": cache.get(CACHE_PROBE_KEY) == stamp}


def _task_queue() -> dict:
    """Tasks ready to run and how long the oldest has waited (hidden query on the task table)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    due = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = ready.aggregate(oldest=Min(due))["oldest"]
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "ok": waited <= settings.HEALTH_MAX_TASK_WAIT_SECONDS,
        "waiting": ready.count(),
        "oldest_waited_seconds": round(max(waited, 0.0), 1),
    }


def _is_staff(request: HttpRequest) -> bool:
    # Reading the user needs the session table: with the database down, nobody is staff.
    try:
        return bool(request.user.is_active and request.user.is_staff)
    except DatabaseError:
        return False


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    checks["tasks"] = _timed(_task_queue) if checks["database"].ok else Check(False, 0.0)
    healthy = all(check.ok for check in checks.values())
    status = 200 if healthy else 503
    if _is_staff(request):
        body = {"status": "ok" if healthy else "unavailable"}
        body["checks"] = {name: asdict(check) for name, check in checks.items()}
        return JsonResponse(body, status=status)
    return HttpResponse(
        "ok\n" if healthy else "unavailable\n", status=status, content_type="text/plain"
    )
