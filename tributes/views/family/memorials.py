"""The family's memorials: the dashboard, making a memorial, changing it, its preview."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tributes.access import get_owned_memorial
from tributes.families import data
from tributes.families import memorials as family_memorials
from tributes.families.dashboard import dashboard_cards
from tributes.families.forms import MemorialForm
from tributes.moderation.notices import waiting_for_moderation
from tributes.views.family.common import family_page


@family_page
def dashboard(request):
    """Each memorial the person owns, with what waits, the newest tributes and candles."""
    cards = dashboard_cards(request.user, now=timezone.now())
    return render(request, "tributes/family/dashboard.html", {"cards": cards})


def _save(request, form, *, memorial=None):
    data = form.cleaned_data
    if memorial is None:
        return family_memorials.create_memorial(
            form.instance,
            by=request.user,
            first_reader_choice=data["first_reader"],
            cover=data.get("cover_upload"),
            cover_description=data.get("cover_description", ""),
        )
    return family_memorials.update_memorial(
        form.instance,
        first_reader_choice=data["first_reader"],
        cover=data.get("cover_upload"),
        cover_description=data.get("cover_description", ""),
    )


@family_page
def create_memorial(request):
    form = MemorialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        memorial = _save(request, form)
        messages.success(
            request,
            _("The page is made. Here is how it looks; you can change anything at any time."),
        )
        return redirect("family:memorial", slug=memorial.slug)
    return render(request, "tributes/family/memorial_form.html", {"form": form})


@family_page
def edit_memorial(request, slug):
    memorial = get_owned_memorial(request, slug)
    form = MemorialForm(request.POST or None, request.FILES or None, instance=memorial)
    if request.method == "POST" and form.is_valid():
        _save(request, form, memorial=memorial)
        messages.success(request, _("Your changes are saved."))
        return redirect("family:memorial", slug=memorial.slug)
    return render(
        request, "tributes/family/memorial_form.html", {"form": form, "memorial": memorial}
    )


@family_page
def memorial_home(request, slug):
    """One memorial's page for its family: everything they can do with it, in one place."""
    memorial = get_owned_memorial(request, slug)
    now = timezone.now()
    context = {
        "memorial": memorial,
        "waiting": waiting_for_moderation(memorial) if memorial.family_moderates else None,
        "first_reader": family_memorials.FirstReader(family_memorials.first_reader(memorial)),
        "owners": memorial.owners.order_by("email"),
        "events": memorial.candle_events.upcoming(now=now),
    }
    return render(request, "tributes/family/memorial.html", context)


@family_page
@require_POST
def publish(request, slug):
    """The preview becomes the page: visitors can open it (as its privacy allows)."""
    memorial = get_owned_memorial(request, slug)
    family_memorials.publish(memorial)
    messages.success(request, _("The page is open to visitors now. Thank you for making it."))
    return redirect("family:memorial", slug=memorial.slug)


@family_page
@require_POST
def download(request, slug):
    memorial = get_owned_memorial(request, slug)
    archive = data.export_memorial(memorial, by=request.user)
    return FileResponse(
        archive, as_attachment=True, filename=f"{memorial.slug}.zip", content_type="application/zip"
    )


@family_page
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, slug):
    memorial = get_owned_memorial(request, slug)
    if request.method == "POST" and request.POST.get("name", "").strip() == memorial.name.strip():
        data.erase_memorials([memorial], by=request.user)
        messages.success(request, _("The memorial and everything on it are deleted."))
        return redirect("family:dashboard")
    context = {
        "memorial": memorial,
        "summary": data.erasure_summary([memorial])[0],
        "mismatch": request.method == "POST",
    }
    return render(request, "tributes/family/delete.html", context)
