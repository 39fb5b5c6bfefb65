"""Spam tools: honeypot, signed form timestamp, reasons to hold, repeated posts."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tributes.models import BlockedTerm
from tributes.moderation.screening import (
    HONEYPOT_FIELD,
    STARTED_FIELD,
    is_repeat_post,
    reasons_to_hold,
)

WORDS = {"author_name": "Aunt May", "message": "We miss you every single day."}
START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def opened_form(client):
    """The form as a visitor's browser would send it back: fields from the rendered page."""
    page = client.get("/test-form/").text
    started = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', page).group(1)
    return {HONEYPOT_FIELD: "", STARTED_FIELD: started}


pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.posting_urls")]


def test_a_person_who_takes_their_time_is_not_held(client, clock):
    form = opened_form(client)
    clock.shift(dt.timedelta(minutes=4))
    response = client.post("/test-form/", {**WORDS, **form})
    assert response.text == "held: "


def test_the_honeypot_is_rendered_but_hidden_from_people(client):
    page = client.get("/test-form/").text
    [box] = re.findall(rf'<input [^>]*name="{HONEYPOT_FIELD}"[^>]*>', page)
    assert 'class="hp-field ' in box
    # Never filled in by the browser's autofill, never reached with the Tab key: a person
    # cannot fill it in by accident and be refused.
    assert 'autocomplete="off"' in box
    assert 'tabindex="-1"' in box
    [label] = re.findall(rf'for="id_{HONEYPOT_FIELD}"[^>]*>(.*?)</label>', page, re.DOTALL)
    assert label.strip() == "Leave this box empty"


def test_a_filled_honeypot_is_refused_with_the_words_kept(client, clock):
    form = opened_form(client)
    clock.shift(dt.timedelta(minutes=4))
    response = client.post("/test-form/", {**WORDS, **form, HONEYPOT_FIELD: "http://spam.example"})
    page = response.text
    assert "We could not send this" in page
    assert "We miss you every single day." in page


def test_a_replayed_old_form_without_the_honeypot_counts_as_filled(client, clock):
    form = opened_form(client)
    del form[HONEYPOT_FIELD]
    clock.shift(dt.timedelta(minutes=4))
    assert "We could not send this" in client.post("/test-form/", {**WORDS, **form}).text


def test_a_forged_timestamp_is_refused_and_the_page_offers_a_fresh_one(client, clock):
    response = client.post(
        "/test-form/", {**WORDS, HONEYPOT_FIELD: "", STARTED_FIELD: "1700000000"}
    )
    page = response.text
    assert "This page was open for a long time" in page
    fresh = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', page).group(1)
    assert fresh != "1700000000"
    clock.shift(dt.timedelta(minutes=1))
    again = client.post("/test-form/", {**WORDS, HONEYPOT_FIELD: "", STARTED_FIELD: fresh})
    assert again.text == "held: "


def test_a_form_sent_within_seconds_is_held_not_refused(client, clock):
    form = opened_form(client)
    clock.shift(dt.timedelta(seconds=1))
    assert client.post("/test-form/", {**WORDS, **form}).text == "held: sent_quickly"


def test_a_form_sent_days_after_it_was_opened_is_held(client, clock):
    form = opened_form(client)
    clock.shift(dt.timedelta(days=3))
    assert client.post("/test-form/", {**WORDS, **form}).text == "held: form_old"


def test_two_links_hold_a_message_but_one_does_not():
    one = "Her fundraising page is at https://example.org/for-teddy"
    two = "Visit www.cheap-pills.example and best-deals.com/buy now"
    assert reasons_to_hold(one) == []
    assert reasons_to_hold(two) == ["links"]


def test_blocked_words_hold_a_message_whatever_their_case():
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="  Casino  ")
    assert reasons_to_hold("Try our CASINO tonight") == ["blocked_word"]
    assert reasons_to_hold("Ｃａｓｉｎｏ bonus") == ["blocked_word"]
    # Whole words only: a word containing it is not blocked.
    assert reasons_to_hold("We met at the casinos of Monte Carlo, years ago") == []


def test_blocked_phrases_match_across_extra_spaces():
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="you deserved it")
    assert reasons_to_hold("I think   you\ndeserved it") == ["blocked_word"]


def test_blocked_email_domains_and_their_subdomains_hold_a_message():
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.EMAIL_DOMAIN, value="@Spam.Example")
    assert reasons_to_hold("Thinking of you", "bot@spam.example") == ["blocked_email"]
    assert reasons_to_hold("Thinking of you", "bot@mail.SPAM.example") == ["blocked_email"]
    assert reasons_to_hold("Thinking of you", "aunt@notspam.example") == []
    assert reasons_to_hold("Thinking of you", "") == []


def test_a_domain_written_at_the_end_of_a_sentence_still_blocks_it():
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.EMAIL_DOMAIN, value="spam.example.")
    assert reasons_to_hold("Thinking of you", "bot@spam.example") == ["blocked_email"]


def test_the_same_words_twice_from_one_visitor_on_one_memorial_are_refused(clock):
    first = is_repeat_post(visitor_key="v1", memorial_id=1, text="Sending so much love")
    again = is_repeat_post(visitor_key="v1", memorial_id=1, text="  sending so much LOVE ")
    assert (first, again) == (False, True)


def test_two_mourners_may_write_the_same_words():
    assert not is_repeat_post(visitor_key="v1", memorial_id=1, text="Sending so much love")
    assert not is_repeat_post(visitor_key="v2", memorial_id=1, text="Sending so much love")
    assert not is_repeat_post(visitor_key="v1", memorial_id=2, text="Sending so much love")


def test_the_same_words_may_be_sent_again_after_half_an_hour(clock):
    assert not is_repeat_post(visitor_key="v1", memorial_id=1, text="Happy birthday, Teddy")
    clock.shift(dt.timedelta(minutes=29, seconds=59))
    assert is_repeat_post(visitor_key="v1", memorial_id=1, text="Happy birthday, Teddy")
    clock.shift(dt.timedelta(seconds=2))
    assert not is_repeat_post(visitor_key="v1", memorial_id=1, text="Happy birthday, Teddy")


def test_a_blocked_term_already_listed_in_another_case_is_refused_gently(client, moderator):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    client.force_login(moderator)
    response = client.post(
        reverse("admin:tributes_blockedterm_add"), {"kind": "word", "value": " CASINO "}
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert BlockedTerm.objects.count() == 1


def test_a_blocked_domain_already_listed_with_an_at_sign_is_refused_gently(client, moderator):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.EMAIL_DOMAIN, value="spam.example")
    client.force_login(moderator)
    response = client.post(
        reverse("admin:tributes_blockedterm_add"),
        {"kind": "email_domain", "value": "@Spam.Example"},
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert BlockedTerm.objects.count() == 1


def test_moderators_manage_the_blocked_list_in_the_admin(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("admin:tributes_blockedterm_add"),
        {"kind": "email_domain", "value": "@Spam.Example", "note": "Sent 40 adverts"},
    )
    assert response.status_code == 302
    term = BlockedTerm.objects.get()
    assert (term.value, term.created_by) == ("spam.example", moderator)


def test_the_mixin_works_on_a_model_form(clock):
    from django import forms

    from tributes.models import Tribute
    from tributes.moderation.screening import SpamCheckedFormMixin

    class TributeForm(SpamCheckedFormMixin, forms.ModelForm):
        class Meta:
            model = Tribute
            fields = ["author_name", "message"]

    started = TributeForm()[STARTED_FIELD].value()
    started = started() if callable(started) else started
    clock.shift(dt.timedelta(minutes=2))
    form = TributeForm({**WORDS, HONEYPOT_FIELD: "", STARTED_FIELD: started})
    assert form.is_valid(), form.errors
    assert form.hold_reasons == []
    assert set(form.cleaned_data) >= {"author_name", "message"}
    bot = TributeForm({**WORDS, STARTED_FIELD: started})
    assert not bot.is_valid()
    assert bot["message"].value() == WORDS["message"]


def test_screening_combines_the_forms_reasons_with_the_texts_and_logs_only_codes(clock, caplog):
    import logging

    from tributes.moderation.screening import screen_message

    caplog.set_level(logging.INFO, logger="tributes.security")
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")

    reasons = screen_message(
        kind="tribute",
        text="Casino at www.a.example and b.example.com",
        form_reasons=["sent_quickly"],
    )
    assert reasons == ["sent_quickly", "links", "blocked_word"]
    lines = [r.getMessage() for r in caplog.records if r.name == "tributes.security"]
    assert lines == ["held for moderation kind=tribute reasons=sent_quickly,links,blocked_word"]
    assert screen_message(kind="tribute", text="Sending so much love") == []
