from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from tributes.models import CandleEvent


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(
        CandleEvent.objects.visible_to(request.user).select_related("memorial"), slug=slug
    )
    return render(request, "tributes/event_detail.html", {"event": event})
