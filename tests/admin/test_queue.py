import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory, UserFactory
from tests.support.posting import run_due_tasks
from tests.support.records import refreshed
from tributes.models import (
    Decision,
    ModerationDecision,
    ModerationMode,
    Photo,
    RejectionReason,
    Status,
    Tribute,
)
from tributes.moderation import decisions, notices
from tributes.posting import services as posting

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:tributes_moderation_queue")


def told(response) -> list[str]:
    """The messages the moderator reads at the top of the page after a decision."""
    return [str(message) for message in response.context["messages"]]


def decide(client, items, decision, **extra):
    keys = [f"{type(item).__name__.lower()}-{item.pk}" for item in items]
    return client.post(QUEUE, {"item": keys, "decision": decision, **extra}, follow=True)


@pytest.fixture
def waiting(memorial_a, memorial_b):
    """On each memorial: a pending tribute, and a pending comment on a published tribute."""
    now = timezone.now()
    items = {}
    for n, (name, memorial) in enumerate([("a", memorial_a), ("b", memorial_b)]):
        items[f"tribute_{name}"] = TributeFactory(
            memorial=memorial,
            status=Status.PENDING,
            author_name=f"Tribute writer {name.upper()}",
            message=f"Words for memorial {name.upper()}",
            created_at=now - dt.timedelta(hours=4 - n),
        )
        published = TributeFactory(memorial=memorial, author_name=f"First friend {name.upper()}")
        items[f"comment_{name}"] = CommentFactory(
            tribute=published,
            status=Status.PENDING,
            author_name=f"Comment writer {name.upper()}",
            body=f"A comment on memorial {name.upper()}",
            created_at=now - dt.timedelta(hours=2 - n),
        )
    return items


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_the_right_to_decide_is_refused(client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tribute"))
    client.force_login(viewer)
    assert client.get(QUEUE).status_code == 403
    assert "moderation queue" not in client.get(reverse("admin:index")).content.decode()


def test_the_queue_lists_tributes_and_comments_together_oldest_first(client, moderator, waiting):
    TributeFactory(status=Status.REJECTED, author_name="Rejected writer")
    TributeFactory(status=Status.APPROVED, author_name="Read writer", moderated_at=timezone.now())
    unread = TributeFactory(status=Status.APPROVED, author_name="Unread writer")
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    order = [
        "Tribute writer A",
        "Tribute writer B",
        "Comment writer A",
        "Comment writer B",
        "Unread writer",
    ]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)
    assert "Rejected writer" not in html
    assert "Read writer" not in html
    assert "Memorial Alpha" in html and "Memorial Bravo" in html
    assert "Words for memorial A" in html and "A comment on memorial B" in html
    assert "on the tribute from" in html and "First friend A" in html
    assert f'value="tribute-{unread.pk}"' in html
    assert "Already published" in html


def test_the_queue_says_why_an_item_was_held(client, moderator, memorial_a):
    TributeFactory(memorial=memorial_a, status=Status.PENDING, hold_reasons=["links"])
    relaxed = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(memorial=relaxed, status=Status.PENDING)
    strict = MemorialFactory(moderation_mode=ModerationMode.ALL_HELD)
    TributeFactory(memorial=strict, status=Status.PENDING)
    open_memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    TributeFactory(memorial=open_memorial, status=Status.APPROVED)
    restored = TributeFactory(memorial=open_memorial, status=Status.PENDING)
    decisions.mark_spam(restored, by=moderator)
    decisions.restore(restored, by=moderator)
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    why = re.findall(r'<td class="queue-why">(.*?)</td>', html)
    assert sorted(why) == sorted(
        [
            "<p>It contains two or more links.</p>",
            "<p>A first post from this writer on this memorial.</p>",
            "<p>Everything on this memorial waits for approval.</p>",
            "<p>Published at once by the memorial&#x27;s setting; not yet read.</p>",
            "<p>Put back in the queue by a moderator.</p>",
        ]
    )


def test_an_edited_published_tribute_returns_to_the_queue_saying_so(client, moderator, memorial):
    tribute = TributeFactory(memorial=memorial, status=Status.APPROVED)
    decisions.approve(tribute, by=moderator)
    posting.edit_item(tribute, message="Changed words after approval")
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert "Changed words after approval" in html
    assert "Its author changed the words after it was published." in html


def test_words_changed_while_waiting_are_not_called_an_edit_after_publication(
    client, moderator, memorial
):
    tribute = TributeFactory(memorial=memorial, status=Status.PENDING)
    posting.edit_item(tribute, message="Changed before anyone read it")
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert "Changed before anyone read it" in html
    assert "after it was published" not in html


def test_posting_keeps_the_reasons_a_message_was_held(memorial):
    posted = posting.post_tribute(
        memorial=memorial,
        author_name="Sam",
        message="See example.com and example.org",
        submission_key="",
        form_hold_reasons=["sent_quickly"],
    )
    posted.item.refresh_from_db()

    # The form's own reason first, then what the posting service's screening found.
    assert posted.item.status == Status.PENDING
    assert posted.item.hold_reasons == ["sent_quickly", "links"]


def test_the_words_are_shown_as_text_never_as_html(client, moderator, memorial):
    TributeFactory(
        memorial=memorial,
        status=Status.PENDING,
        author_name="<b>bold</b>",
        message="<script>alert(1)</script>\nSecond line " + "x" * 300,
    )
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line " + "x" * 300 in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_scoped_staff_member_sees_only_their_own_memorials_items(client, scoped_staff, waiting):
    html = client.get(QUEUE).content.decode()

    assert "Tribute writer A" in html and "Comment writer A" in html
    assert "Tribute writer B" not in html and "Comment writer B" not in html
    assert "Memorial Bravo" not in html


def test_a_forged_post_for_another_memorial_changes_nothing(client, scoped_staff, waiting):
    others = [waiting["tribute_b"], waiting["comment_b"]]

    for decision, extra in [("approve", {}), ("reject", {"reason": "abusive"}), ("spam", {})]:
        response = decide(client, others, decision, **extra)
        assert response.status_code == 200
        assert told(response) == [
            "2 selected items were no longer waiting (someone else may have decided them) and "
            "were left as they are."
        ]

    assert [item.status for item in refreshed(*others)] == [Status.PENDING, Status.PENDING]
    assert not ModerationDecision.objects.exists()


def test_a_forged_post_mixing_own_and_other_items_changes_only_the_own(
    client, scoped_staff, waiting
):
    mine, theirs = waiting["tribute_a"], waiting["tribute_b"]

    response = decide(client, [mine, theirs], "approve")

    assert told(response) == [
        "Approved 1 tribute. They are published on their memorial pages.",
        "1 selected item was no longer waiting (someone else may have decided it) and was left "
        "as it is.",
    ]
    assert refreshed(mine, theirs)[0].status == Status.APPROVED
    assert theirs.status == Status.PENDING
    assert list(ModerationDecision.objects.values_list("tribute", flat=True)) == [mine.pk]


def test_someone_who_may_decide_on_tributes_only_never_reaches_comments(
    client, waiting, memorial_a
):
    tributes_only = UserFactory(username="tributes-only", is_staff=True)
    memorial_a.owners.add(tributes_only)
    tributes_only.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_tribute", "change_tribute"])
    )
    client.force_login(tributes_only)

    html = client.get(QUEUE).content.decode()
    decide(client, [waiting["comment_a"], waiting["tribute_a"]], "approve")

    assert "Tribute writer A" in html and "Comment writer A" not in html
    comment, tribute = refreshed(waiting["comment_a"], waiting["tribute_a"])
    assert (comment.status, tribute.status) == (Status.PENDING, Status.APPROVED)


def test_approving_a_tribute_and_a_comment_together_publishes_both(client, moderator, waiting):
    tribute, comment = waiting["tribute_a"], waiting["comment_b"]
    client.force_login(moderator)

    response = decide(client, [tribute, comment], "approve")

    assert told(response) == [
        "Approved 1 tribute and 1 comment. They are published on their memorial pages."
    ]
    for item in refreshed(tribute, comment):
        assert item.status == Status.APPROVED
        assert item.moderated_by == moderator
        assert item.moderated_at is not None
    decisions = ModerationDecision.objects.order_by("pk")
    assert [(d.tribute_id, d.comment_id, d.decision, d.decided_by_id) for d in decisions] == [
        (tribute.pk, None, Decision.APPROVED, moderator.pk),
        (None, comment.pk, Decision.APPROVED, moderator.pk),
    ]
    assert waiting["tribute_b"].status == Status.PENDING


def test_rejecting_in_bulk_keeps_the_items_with_their_reason(client, moderator, waiting):
    items = [waiting["tribute_a"], waiting["comment_a"], waiting["comment_b"]]
    client.force_login(moderator)

    response = decide(client, items, "reject", reason=RejectionReason.COPYRIGHT)

    assert told(response) == [
        f"Rejected 1 tribute and 2 comments ({RejectionReason.COPYRIGHT.label}). They are kept, "
        "hidden, and can be restored; nobody is told."
    ]
    for item in refreshed(*items):
        assert item.status == Status.REJECTED
        assert item.rejection_reason == RejectionReason.COPYRIGHT
        assert item.moderated_by == moderator
    assert set(ModerationDecision.objects.values_list("decision", "reason")) == {
        (Decision.REJECTED, RejectionReason.COPYRIGHT)
    }
    assert ModerationDecision.objects.count() == 3


def test_marking_as_spam_in_bulk(client, moderator, waiting):
    items = [waiting["tribute_b"], waiting["comment_a"]]
    client.force_login(moderator)

    response = decide(client, items, "spam")

    assert told(response) == [
        "Marked 1 tribute and 1 comment as spam. They are kept, hidden, and can be restored."
    ]
    assert [item.status for item in refreshed(*items)] == [Status.SPAM, Status.SPAM]
    assert [item.moderated_by for item in items] == [moderator, moderator]
    audit = ModerationDecision.objects.filter(decision=Decision.SPAM)
    assert [d.decided_by for d in audit] == [moderator, moderator]


def test_rejecting_without_a_reason_is_refused_gently_keeping_the_selection(
    client, moderator, waiting
):
    items = [waiting["tribute_a"], waiting["comment_a"]]
    client.force_login(moderator)

    response = decide(client, items, "reject")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'id="queue-reason-error">Please choose a reason to reject. Nothing was changed; your '
        "selection is kept.</p>" in html
    )
    assert (
        f'value="tribute-{items[0].pk}" id="pick-tribute-{items[0].pk}" class="queue-item" checked'
        in html
    )
    assert [item.status for item in refreshed(*items)] == [Status.PENDING, Status.PENDING]
    assert not ModerationDecision.objects.exists()


def test_a_decision_without_any_selected_item_changes_nothing(client, moderator, waiting):
    client.force_login(moderator)

    response = client.post(QUEUE, {"decision": "approve"})

    assert (
        'id="queue-item-error">Please select at least one item. Nothing was changed.</p>'
        in response.content.decode()
    )
    assert not ModerationDecision.objects.exists()


def test_a_selection_without_a_decision_changes_nothing(client, moderator, waiting):
    client.force_login(moderator)

    response = decide(client, [waiting["tribute_a"]], "")

    assert (
        '<p class="errornote">Please choose what to do with the selected items.</p>'
        in response.content.decode()
    )
    assert refreshed(waiting["tribute_a"])[0].status == Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_decisions_need_the_csrf_token(moderator, waiting):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    key = f"tribute-{waiting['tribute_a'].pk}"

    response = browser.post(QUEUE, {"item": [key], "decision": "approve"})

    assert response.status_code == 403
    assert refreshed(waiting["tribute_a"])[0].status == Status.PENDING


def test_the_queue_refuses_other_methods(client, moderator):
    client.force_login(moderator)
    assert client.put(QUEUE).status_code == 405


def test_the_queue_pages_fifty_at_a_time(client, moderator, memorial):
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(60):
        TributeFactory(
            memorial=memorial,
            status=Status.PENDING,
            author_name=f"Writer {n:02d}",
            created_at=start + dt.timedelta(minutes=n),
        )
    client.force_login(moderator)

    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"page": 2}).content.decode()

    assert "Writer 00" in first and "Writer 49" in first and "Writer 50" not in first
    assert "Writer 50" in second and "Writer 59" in second and "Writer 49" not in second
    assert "60 tributes and comments to read" in first
    one_memorial = client.get(QUEUE, {"memorial": memorial.pk}).content.decode()
    assert f'href="?memorial={memorial.pk}&amp;page=2" rel="next"' in one_memorial


def _fill(memorial, count: int) -> None:
    """`count` items to read: every other one a comment, the tributes each with a photo."""
    published = TributeFactory(memorial=memorial, moderated_at=timezone.now())
    for n in range(count):
        if n % 2:
            CommentFactory(tribute=published, status=Status.PENDING)
        else:
            photo = Photo.objects.create(
                memorial=memorial,
                width=800,
                height=600,
                alt_text=f"Photo {n}",
                renditions=[{"width": 400, "height": 300, "name": f"photos/p{n}-400.webp"}],
            )
            TributeFactory(memorial=memorial, status=Status.PENDING, photo=photo)


@pytest.mark.parametrize("count", [3, 60])
def test_the_queue_makes_the_same_queries_whatever_its_length(
    client, moderator, memorial, count, django_assert_num_queries
):
    _fill(memorial, count)
    client.force_login(moderator)

    with django_assert_num_queries(9):
        response = client.get(QUEUE)

    assert response.status_code == 200
    assert response.content.decode().count('class="photo-thumbnail"') == (min(count, 50) + 1) // 2


@pytest.mark.parametrize("count", [3, 60])
def test_a_scoped_staff_members_queue_makes_the_same_queries_whatever_its_length(
    client, scoped_staff, memorial_a, count, django_assert_num_queries
):
    _fill(memorial_a, count)

    with django_assert_num_queries(9):
        response = client.get(QUEUE)

    assert response.status_code == 200


def test_the_admin_index_and_both_lists_link_to_the_queue(client, moderator, waiting):
    client.force_login(moderator)

    for page in [
        reverse("admin:index"),
        reverse("admin:tributes_tribute_changelist"),
        reverse("admin:tributes_comment_changelist"),
    ]:
        html = client.get(page).content.decode()
        assert f'href="{QUEUE}"' in html, page


def test_the_queue_can_show_one_memorial_only(client, moderator, waiting, memorial_b):
    client.force_login(moderator)

    html = client.get(QUEUE, {"memorial": memorial_b.pk}).content.decode()

    assert "Tribute writer B" in html and "Comment writer B" in html
    assert "Tribute writer A" not in html and "Comment writer A" not in html
    assert "Show every memorial" in html


def test_a_scoped_staff_member_cannot_reach_another_memorial_through_the_filter(
    client, scoped_staff, waiting, memorial_b
):
    html = client.get(QUEUE, {"memorial": memorial_b.pk}).content.decode()

    assert "Tribute writer B" not in html and "Memorial Bravo" not in html
    assert "Nothing is waiting to be read." in html


def test_the_waiting_notice_links_to_the_queue_of_its_memorial(memorial, settings, moderator):
    from django.core import mail

    from tributes import emails

    settings.SITE_URL = "https://memorial.example"
    emails.send_moderation_notice(
        memorial, notices.Waiting(pending=1, unreviewed=0), ["moderators@example.org"]
    )

    run_due_tasks()  # the worker sends what the request queued
    [notice] = mail.outbox
    link = f"https://memorial.example{QUEUE}?memorial={memorial.pk}"
    assert link in notice.body
    assert f'href="{link}"' in notice.alternatives[0].content


def test_a_decision_sent_twice_is_recorded_once(client, moderator, waiting):
    client.force_login(moderator)
    items = [waiting["tribute_a"], waiting["comment_a"]]

    decide(client, items, "approve")
    again = decide(client, items, "reject", reason=RejectionReason.OTHER)

    assert "2 selected items were no longer waiting" in again.content.decode()
    assert [item.status for item in refreshed(*items)] == [Status.APPROVED, Status.APPROVED]
    assert ModerationDecision.objects.count() == 2


def test_the_change_page_of_a_held_item_says_why_it_was_held(client, moderator, memorial):
    comment = CommentFactory(
        tribute=TributeFactory(memorial=memorial), status=Status.PENDING, hold_reasons=["links"]
    )
    client.force_login(moderator)

    html = client.get(reverse("admin:tributes_comment_change", args=[comment.pk])).content
    assert "Why it was held" in html.decode()
    assert "It contains two or more links." in html.decode()


def test_a_decision_on_one_kind_alone_reaches_all_of_it(client, moderator, waiting):
    client.force_login(moderator)

    tributes = decide(client, [waiting["tribute_a"], waiting["tribute_b"]], "approve")
    comments = decide(client, [waiting["comment_a"], waiting["comment_b"]], "approve")

    assert told(tributes) == ["Approved 2 tributes. They are published on their memorial pages."]
    assert told(comments) == ["Approved 2 comments. They are published on their memorial pages."]
    assert {item.status for item in refreshed(*waiting.values())} == {Status.APPROVED}


def test_an_item_its_author_deletes_while_the_moderator_decides_is_skipped_not_the_rest(
    client, moderator, memorial
):
    now = timezone.now()
    # Decided newest first (the tributes' own ordering): the middle one goes in between.
    newest, deleted, oldest = [
        TributeFactory(
            memorial=memorial, status=Status.PENDING, created_at=now - dt.timedelta(minutes=n)
        )
        for n in (1, 2, 3)
    ]

    def the_author_deletes_it_meanwhile(sender, instance, **kwargs):
        if instance.pk == newest.pk and Tribute.objects.filter(pk=deleted.pk).exists():
            posting.delete_item(Tribute.objects.get(pk=deleted.pk))

    post_save.connect(the_author_deletes_it_meanwhile, sender=Tribute)
    try:
        client.force_login(moderator)
        response = decide(client, [newest, deleted, oldest], "approve")
    finally:
        post_save.disconnect(the_author_deletes_it_meanwhile, sender=Tribute)

    assert told(response) == [
        "Approved 2 tributes. They are published on their memorial pages.",
        "1 selected item was no longer waiting (someone else may have decided it) and was left "
        "as it is.",
    ]
    assert [item.status for item in refreshed(newest, oldest)] == [Status.APPROVED] * 2
    assert not Tribute.objects.filter(pk=deleted.pk).exists()


def test_every_hold_reason_is_told_to_the_moderator_in_words(client, moderator, memorial):
    codes = ["links", "blocked_word", "blocked_email", "sent_quickly", "form_old", "edited"]
    TributeFactory(memorial=memorial, status=Status.PENDING, hold_reasons=codes)
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    [why] = re.findall(r'<td class="queue-why">(.*?)</td>', html)
    assert re.findall(r"<p>(.*?)</p>", why) == [
        "It contains two or more links.",
        "It contains a word or phrase on the blocked list.",
        "The email address is at a blocked domain.",
        "It was sent within seconds of opening the form.",
        "The form was opened a long time before it was sent.",
        "Its author changed the words after it was published.",
    ]


def test_a_hold_reason_the_site_no_longer_describes_is_shown_as_it_was_stored(
    client, moderator, memorial
):
    TributeFactory(memorial=memorial, status=Status.PENDING, hold_reasons=["retired_check"])
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    assert re.findall(r'<td class="queue-why">(.*?)</td>', html) == ["<p>retired_check</p>"]


# What deciding one more item costs: lock its row, a savepoint around it, update it, change its
# memorial's page version, write its audit row. Its memorial (a comment's is two relations
# away) comes with it from the queue.
QUERIES_PER_DECIDED_ITEM = 6


@pytest.mark.parametrize("kind", ["tribute", "comment"])
def test_a_bulk_decision_asks_the_database_the_same_for_each_item(
    client, moderator, memorial, kind
):
    published = TributeFactory(memorial=memorial, moderated_at=timezone.now())
    make = {
        "tribute": lambda: TributeFactory(memorial=memorial, status=Status.PENDING),
        "comment": lambda: CommentFactory(tribute=published, status=Status.PENDING),
    }[kind]
    client.force_login(moderator)

    counts = []
    for count in (1, 4):
        items = [make() for _ in range(count)]
        keys = [f"{kind}-{item.pk}" for item in items]
        with CaptureQueriesContext(connection) as captured:
            client.post(QUEUE, {"item": keys, "decision": "approve"})
        counts.append(len(captured.captured_queries))

    assert counts[1] - counts[0] == 3 * QUERIES_PER_DECIDED_ITEM


def test_a_scoped_staff_member_never_reads_a_memorial_of_theirs_the_site_moderates(
    client, scoped_staff, waiting, owner
):
    theirs_for_the_site = MemorialFactory(name="Memorial Charlie", owners=[owner])
    kept_back = TributeFactory(
        memorial=theirs_for_the_site, status=Status.PENDING, author_name="For the moderators"
    )

    html = client.get(QUEUE).content.decode()
    response = decide(client, [kept_back], "approve")

    assert "Tribute writer A" in html and "For the moderators" not in html
    assert "1 selected item was no longer waiting" in told(response)[0]
    assert refreshed(kept_back)[0].status == Status.PENDING


def test_items_posted_at_the_same_instant_keep_one_order_whatever_order_they_were_stored_in(
    client, moderator, memorial
):
    instant = timezone.now() - dt.timedelta(hours=1)
    published = TributeFactory(memorial=memorial, moderated_at=timezone.now())
    # Stored out of order: the second tribute has the lower number.
    TributeFactory(pk=10**9 + 2, memorial=memorial, status=Status.PENDING, created_at=instant)
    TributeFactory(pk=10**9 + 1, memorial=memorial, status=Status.PENDING, created_at=instant)
    CommentFactory(pk=10**9 + 3, tribute=published, status=Status.PENDING, created_at=instant)
    client.force_login(moderator)

    html = client.get(QUEUE).content.decode()

    listed = re.findall(r'value="((?:tribute|comment)-\d+)"', html)
    # One order at an instant (by kind, then number), so that pages never repeat or skip one.
    assert listed == [f"comment-{10**9 + 3}", f"tribute-{10**9 + 1}", f"tribute-{10**9 + 2}"]


def test_garbled_item_keys_are_ignored_as_if_nothing_was_selected(client, moderator, waiting):
    client.force_login(moderator)
    garbled = ["tribute-12a", "nonsense", "photo-3", "tribute-", f"tribute-{'9' * 30}"]

    response = client.post(QUEUE, {"item": garbled, "decision": "approve"})

    assert response.status_code == 200
    assert "Please select at least one item. Nothing was changed." in response.text
    assert not ModerationDecision.objects.exists()


def test_the_queue_page_reads_only_the_items_it_shows(client, moderator, memorial):
    published = TributeFactory(memorial=memorial, moderated_at=timezone.now())
    for _ in range(20):
        TributeFactory(memorial=memorial, moderated_at=timezone.now())
        CommentFactory(tribute=published, moderated_at=timezone.now())
    TributeFactory(memorial=memorial, status=Status.PENDING)
    CommentFactory(tribute=published, status=Status.PENDING)
    client.force_login(moderator)
    rows_read = []

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT") and (
            'FROM "tributes_tribute"' in sql or 'FROM "tributes_comment"' in sql
        ):
            rows_read.append(context["cursor"].rowcount)
        return result

    with connection.execute_wrapper(count_rows):
        assert client.get(QUEUE).status_code == 200

    # The one tribute and one comment waiting, never the 41 read ones beside them.
    assert rows_read and max(rows_read) <= 2
