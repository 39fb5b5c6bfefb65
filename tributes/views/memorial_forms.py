"""The memorial page's two forms (a tribute, a candle): rendered once, filled in per visitor.

Rendering them through crispy took about 40% of a warm memorial page. An unbound form's HTML is
the same for every visitor but for its hidden values: the CSRF token, the submission key
(security/tokens.py) and, on the tribute form, the signed time it was opened
(moderation/screening.py). So each form is rendered once per process, language and version of
the memorial (its `updated_at`: a family that changes the moderation rule changes the words
under the form), with markers in those values, and each request puts its own values in.

The markers are plain words in attribute values, and the form HTML holds no visitors' words
(the forms are unbound), so nothing but our own markers can be replaced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from tributes.candles.forms import MemorialCandleForm
from tributes.moderation.screening import form_started_token
from tributes.posting.forms import TributeForm
from tributes.security import tokens
from tributes.security.kept_text import STARTED_FIELD

CSRF_MARKER = "memorial-form-marker-csrf"
SUBMISSION_KEY_MARKER = "memorial-form-marker-submission-key"
STARTED_MARKER = "memorial-form-marker-started"
# Blank forms kept per process: the two forms of each memorial and language recently shown,
# and their love forms (one for each love count seen).
FORMS_KEPT = 2048

_blank_forms: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def kept_blank(key: tuple, render: Callable[[], str]) -> str:
    """The HTML kept at `key` in this process, or `render()` kept there (the oldest dropped)."""
    with _lock:
        html = _blank_forms.get(key)
        if html is not None:
            _blank_forms.move_to_end(key)
            return html
    html = render()
    with _lock:
        _blank_forms[key] = html
        while len(_blank_forms) > FORMS_KEPT:
            _blank_forms.popitem(last=False)
    return html


def _csrf_token(request) -> str:
    # One masked token for every form of the page (as {% csrf_token %} gives in one render):
    # masking a new one for each of its dozen forms cost a dozen random strings.
    if not hasattr(request, "_memorial_forms_csrf_token"):
        request._memorial_forms_csrf_token = get_token(request)
    return request._memorial_forms_csrf_token


def filled_for_visitor(request, html: str) -> SafeString:
    """A kept blank form with this request's CSRF token, a new submission key and signed time."""
    html = html.replace(CSRF_MARKER, _csrf_token(request))
    html = html.replace(SUBMISSION_KEY_MARKER, tokens.new_submission_key())
    # Only the tribute form has one; a new signed time for each page shown.
    if STARTED_MARKER in html:
        html = html.replace(STARTED_MARKER, form_started_token())
    return mark_safe(html)  # noqa: S308 (our templates, an unbound form: no visitor's words)


def crispy_html(key: tuple, form, *, blank: bool) -> SafeString:
    """`{{ form|crispy }}`: kept in this process at `key` (with the language) when `blank`, an
    unbound form whose only hidden value per visitor is its submission key (SUBMISSION_KEY_MARKER
    as its initial value), then filled for the visitor by `filled_for_visitor`."""
    if not blank:
        return as_crispy_form(form)
    return kept_blank(
        ("crispy", translation.get_language(), *key), lambda: str(as_crispy_form(form))
    )


def _blank_form(template: str, memorial, make_form: Callable[[], object]) -> str:
    key = (template, translation.get_language(), memorial.pk, memorial.updated_at)
    return kept_blank(
        key,
        lambda: render_to_string(
            template, {"memorial": memorial, "form": make_form(), "csrf_token": CSRF_MARKER}
        ),
    )


def tribute_form_html(request, memorial) -> SafeString:
    """The tribute form (tributes/_tribute_form.html) with this visitor's hidden values."""
    html = _blank_form(
        "tributes/_tribute_form.html",
        memorial,
        lambda: TributeForm(
            initial={"submission_key": SUBMISSION_KEY_MARKER, STARTED_FIELD: STARTED_MARKER}
        ),
    )
    return filled_for_visitor(request, html)


def candle_form_html(request, memorial) -> SafeString:
    """The memorial's candle form (tributes/_memorial_candle_form.html) with this visitor's
    hidden values."""
    html = _blank_form(
        "tributes/_memorial_candle_form.html",
        memorial,
        lambda: MemorialCandleForm(initial={"submission_key": SUBMISSION_KEY_MARKER}),
    )
    return filled_for_visitor(request, html)
