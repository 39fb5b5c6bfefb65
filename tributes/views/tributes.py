"""Writing on a memorial: tributes, comments, sending love, and the author's private pages."""

from __future__ import annotations

from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tributes.access import get_visible_memorial, may_post
from tributes.emails import private_link_path
from tributes.models import Comment, Status, Tribute
from tributes.posting import services as posting
from tributes.posting.forms import CommentEditForm, CommentForm, TributeEditForm, TributeForm
from tributes.security import tokens
from tributes.security.ratelimits import rate_limited
from tributes.security.visitors import remember_visitor, visitor_key
from tributes.views.tribute_list import parse_cursor


def private_page(view):
    """For pages reached by an author's private link: never cached, never sent on as a referrer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = "no-store, private"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


# The submission keys this browser posted under in the last hour, in a signed cookie only it
# holds: the same words sent again from a form the browser re-loaded (with a new key) are then
# recognised as a resend. The server keeps nothing.
RECENT_POSTS_COOKIE = "recent_posts"
RECENT_POSTS_SALT = "tributes.recent_posts"
RECENT_POSTS_MAX_AGE = 60 * 60
RECENT_POSTS_KEPT = 5


def recent_submission_keys(request) -> list[str]:
    value = request.get_signed_cookie(
        RECENT_POSTS_COOKIE, default="", salt=RECENT_POSTS_SALT, max_age=RECENT_POSTS_MAX_AGE
    )
    return [key for key in value.split(",") if tokens.is_submission_key(key)]


def _remember_recent_post(request, response, submission_key: str):
    keys = [submission_key, *recent_submission_keys(request)]
    kept = list(dict.fromkeys(keys))[:RECENT_POSTS_KEPT]
    response.set_signed_cookie(
        RECENT_POSTS_COOKIE,
        ",".join(kept),
        salt=RECENT_POSTS_SALT,
        max_age=RECENT_POSTS_MAX_AGE,
        path=reverse("tributes:home") + "memorials/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _posting_closed(request, memorial):
    return render(request, "tributes/posting_closed.html", {"memorial": memorial}, status=403)


def _after_posting(request, posted: posting.Posted):
    response = redirect(private_link_path(posted.item, posted.token) + "?posted=1")
    return _remember_recent_post(request, response, posted.submission_key)


REPEAT_POST = _(
    "You sent these same words here a moment ago, and they are kept. If you meant to send them "
    "again, please change a word or two."
)


def _write(request, memorial, form, *, post, text_field: str, template: str, context):
    """Save a valid tribute or comment form (the service screens it), or show it again with
    what was typed."""
    if form.is_valid():
        try:
            posted = post(
                user=request.user,
                earlier_keys=recent_submission_keys(request),
                form_hold_reasons=form.hold_reasons,
                visitor_key=visitor_key(request),
                **form.cleaned_data,
            )
        except posting.PostingClosed:
            # The family closed the page to visitors while this form was being written.
            return _posting_closed(request, memorial)
        except posting.RepeatPost:
            form.add_error(text_field, REPEAT_POST)
        else:
            return remember_visitor(request, _after_posting(request, posted))
    return render(request, template, {**context, "memorial": memorial, "form": form})


@rate_limited("tribute", memorial_kwarg="slug", form=TributeForm)
@require_http_methods(["GET", "POST"])
def write_tribute(request, slug):
    memorial = get_visible_memorial(request, slug)
    if not may_post(memorial, request.user):
        return _posting_closed(request, memorial)
    return _write(
        request,
        memorial,
        TributeForm(request.POST or None, request.FILES or None),
        post=partial(posting.post_tribute, memorial=memorial),
        text_field="message",
        template="tributes/write_tribute.html",
        context={},
    )


@rate_limited("comment", memorial_kwarg="slug", form=CommentForm)
@require_http_methods(["GET", "POST"])
def write_comment(request, slug, pk):
    memorial = get_visible_memorial(request, slug)
    tribute = get_object_or_404(Tribute.objects.for_memorial(memorial).published(), pk=pk)
    if not may_post(memorial, request.user):
        return _posting_closed(request, memorial)
    return _write(
        request,
        memorial,
        CommentForm(request.POST or None),
        post=partial(posting.post_comment, tribute=tribute),
        text_field="body",
        template="tributes/write_comment.html",
        context={"tribute": tribute},
    )


@rate_limited("love", memorial_kwarg="slug")
@require_POST
def send_love(request, slug, pk):
    memorial = get_visible_memorial(request, slug)
    tribute = get_object_or_404(Tribute.objects.for_memorial(memorial).published(), pk=pk)
    if posting.send_love(tribute, visitor_key=visitor_key(request)):
        messages.success(request, _("Thank you. Your love has been sent to the family."))
    else:
        messages.info(request, _("You have already sent your love for this tribute. Thank you."))
    # Back to the page of tributes the love was sent from (a cursor of ours, or the first page).
    before = parse_cursor(request.POST.get("before", ""))
    query = f"?before={before}" if before else ""
    response = HttpResponseRedirect(f"{memorial.get_absolute_url()}{query}#tribute-{tribute.pk}")
    return remember_visitor(request, response)


def _link_not_found(request):
    return render(request, "tributes/private_link_not_found.html", status=404)


def _your_item(request, item, edit_form_class, template):
    initial = {name: getattr(item, name) for name in edit_form_class._meta.fields}
    # Bound without the instance, so that the item keeps its saved words until edit_item runs.
    form = edit_form_class(request.POST or None, initial=initial)
    if form.is_valid():
        if posting.edit_item(item, **form.cleaned_data):
            if item.is_published:
                messages.success(request, _("Your changes are saved and published."))
            elif item.status == Status.PENDING:
                messages.success(
                    request,
                    _(
                        "Your changes are saved. A moderator will read them before they appear, "
                        "usually within a day."
                    ),
                )
            else:
                messages.success(request, _("Your changes are saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(request.path)
    context = {
        "item": item,
        "memorial": item.memorial,
        "form": form,
        "private_url": request.build_absolute_uri(request.path),
        "just_posted": request.method == "GET" and "posted" in request.GET,
    }
    return render(request, template, context)


@private_page
@rate_limited("tribute", form=TributeEditForm)
@require_http_methods(["GET", "POST"])
def your_tribute(request, token):
    tribute = posting.find_by_token(Tribute.objects.select_related("memorial"), token)
    if tribute is None:
        return _link_not_found(request)
    return _your_item(request, tribute, TributeEditForm, "tributes/your_tribute.html")


@private_page
@rate_limited("comment", form=CommentEditForm)
@require_http_methods(["GET", "POST"])
def your_comment(request, token):
    comment = posting.find_by_token(Comment.objects.select_related("tribute__memorial"), token)
    if comment is None:
        return _link_not_found(request)
    return _your_item(request, comment, CommentEditForm, "tributes/your_comment.html")


def _delete_your_item(request, item, template):
    if request.method == "POST":
        posting.delete_item(item)
        return redirect("tributes:removed")
    return render(request, template, {"item": item, "memorial": item.memorial})


@private_page
@rate_limited("tribute")
@require_http_methods(["GET", "POST"])
def delete_your_tribute(request, token):
    tribute = posting.find_by_token(Tribute.objects.select_related("memorial"), token)
    if tribute is None:
        return _link_not_found(request)
    return _delete_your_item(request, tribute, "tributes/delete_tribute.html")


@private_page
@rate_limited("comment")
@require_http_methods(["GET", "POST"])
def delete_your_comment(request, token):
    comment = posting.find_by_token(Comment.objects.select_related("tribute__memorial"), token)
    if comment is None:
        return _link_not_found(request)
    return _delete_your_item(request, comment, "tributes/delete_comment.html")


@require_safe
def removed(request):
    return render(request, "tributes/removed.html")
