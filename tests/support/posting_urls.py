"""A stand-in posting view for testing the rate-limit and spam tools through real requests.

It is shaped like the posting views of tributes, comments and candles: a thin view behind
`rate_limited`, a form with `SpamCheckedFormMixin`, one visitor per cookie.
"""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from tributes.moderation.screening import SpamCheckedFormMixin
from tributes.security.ratelimits import rate_limited
from tributes.security.visitors import remember_visitor, visitor_key


class WordsForm(SpamCheckedFormMixin, forms.Form):
    author_name = forms.CharField(label="Your name", max_length=120)
    message = forms.CharField(label="Your tribute", widget=forms.Textarea)


@rate_limited("tribute", memorial_kwarg="slug", form=WordsForm)
def post_words(request, slug):
    visitor_key(request)
    return remember_visitor(request, HttpResponse("Thank you.", content_type="text/plain"))


@rate_limited("reminder", email_field="email")
def sign_up(request):
    return HttpResponse("We will remind you.", content_type="text/plain")


FORM_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% load crispy_forms_tags %}{% block content %}<h1>Write a tribute</h1>'
    '<form method="post" action="{{ action }}">{% csrf_token %}{{ form|crispy }}'
    '<button type="submit" class="btn btn-primary">Send</button></form>{% endblock content %}'
)


def show_form(request):
    form = WordsForm(request.POST or None)
    if form.is_valid():
        return HttpResponse("held: " + ",".join(form.hold_reasons), content_type="text/plain")
    return HttpResponse(FORM_PAGE.render({"form": form, "action": ""}, request))


def show_posting_form(request):
    context = {"form": WordsForm(), "action": "/test-post/teddy/"}
    return HttpResponse(FORM_PAGE.render(context, request))


urlpatterns = [
    path("test-post/<slug:slug>/", post_words, name="test_post"),
    path("test-sign-up/", sign_up, name="test_sign_up"),
    path("test-form/", show_form, name="test_form"),
    path("test-posting-form/", show_posting_form, name="test_posting_form"),
    path("", include("memorial.urls")),
]
