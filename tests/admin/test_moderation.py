import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import CommentFactory, TributeFactory, UserFactory
from tests.support.records import refreshed
from tributes.models import Decision, ModerationDecision, RejectionReason, Status
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db

TRIBUTES = reverse("admin:tributes_tribute_changelist")
COMMENTS = reverse("admin:tributes_comment_changelist")


def tribute_change(tribute) -> str:
    return reverse("admin:tributes_tribute_change", args=[tribute.pk])


def run_action(client, url, action, items, **extra):
    data = {"action": action, "_selected_action": [item.pk for item in items], "index": 0}
    data.update(extra)
    return client.post(url, data, follow=True)


def test_the_queue_lists_what_waits_oldest_first(client, moderator):
    now = timezone.now()
    TributeFactory(status=Status.PENDING, author_name="Newer", created_at=now)
    TributeFactory(
        status=Status.PENDING, author_name="Older", created_at=now - dt.timedelta(days=1)
    )
    TributeFactory(status=Status.REJECTED, author_name="Rejected one")
    reviewed = TributeFactory(status=Status.PENDING, author_name="Already read")
    decisions.approve(reviewed, by=moderator)
    client.force_login(moderator)
    page = client.get(TRIBUTES).text
    assert page.index("Older") < page.index("Newer")
    assert "Rejected one" not in page
    assert "Already read" not in page
    assert "Rejected one" in client.get(TRIBUTES + "?queue=rejected").text
    assert "Already read" in client.get(TRIBUTES + "?queue=all").text


def test_the_queue_shows_memorial_author_and_words_escaped(client, moderator):
    TributeFactory(
        status=Status.PENDING, author_name="Sam", message="<b>not bold</b> words to read"
    )
    client.force_login(moderator)
    page = client.get(TRIBUTES).text
    assert "&lt;b&gt;not bold&lt;/b&gt; words to read" in page
    assert "<b>not bold</b>" not in page


def test_bulk_approve_publishes_and_stamps_each_item(client, moderator):
    tributes = TributeFactory.create_batch(3, status=Status.PENDING)
    client.force_login(moderator)
    response = run_action(client, TRIBUTES, "approve_selected", tributes)
    assert "Approved 3." in response.text
    for tribute in refreshed(*tributes):
        assert tribute.status == Status.APPROVED
        assert tribute.moderated_by == moderator
        assert tribute.moderated_at is not None
    assert ModerationDecision.objects.filter(decision=Decision.APPROVED).count() == 3


def test_bulk_reject_records_the_chosen_reason(client, moderator):
    tributes = TributeFactory.create_batch(2, status=Status.PENDING)
    client.force_login(moderator)
    run_action(client, TRIBUTES, "reject_selected", tributes, reason=RejectionReason.COPYRIGHT)
    for tribute in refreshed(*tributes):
        assert tribute.status == Status.REJECTED
        assert tribute.rejection_reason == RejectionReason.COPYRIGHT
    assert set(ModerationDecision.objects.values_list("reason", flat=True)) == {"copyright"}


def test_reject_without_a_reason_changes_nothing_and_says_why(client, moderator):
    tribute = TributeFactory(status=Status.PENDING)
    client.force_login(moderator)
    response = run_action(client, TRIBUTES, "reject_selected", [tribute])
    assert "Please choose a reason to reject." in response.text
    assert refreshed(tribute)[0].status == Status.PENDING


def test_spam_and_restore_work_on_comments_too(client, moderator):
    comment = CommentFactory(status=Status.PENDING)
    client.force_login(moderator)
    run_action(client, COMMENTS, "mark_selected_as_spam", [comment])
    assert refreshed(comment)[0].status == Status.SPAM
    # Restoring is done from the spam list, where the item is shown.
    run_action(client, COMMENTS + "?queue=spam", "restore_selected", [comment])
    assert refreshed(comment)[0].status == Status.PENDING
    assert comment.decisions.count() == 2


def test_restore_leaves_published_items_alone(client, moderator):
    tribute = TributeFactory(status=Status.APPROVED)
    client.force_login(moderator)
    run_action(client, TRIBUTES + "?queue=all", "restore_selected", [tribute])
    assert refreshed(tribute)[0].status == Status.APPROVED


def test_one_item_can_be_decided_from_its_page(client, moderator):
    tribute = TributeFactory(status=Status.PENDING, message="One to approve")
    client.force_login(moderator)
    page = client.get(tribute_change(tribute)).text
    assert "One to approve" in page
    assert "Approve and publish" in page
    response = client.post(tribute_change(tribute), {"_decision": "approve"})
    assert response.status_code == 302
    assert refreshed(tribute)[0].status == Status.APPROVED
    assert "Approved" in client.get(tribute_change(tribute)).text  # the audit trail inline


def test_one_item_can_be_rejected_from_its_page_with_a_reason(client, moderator):
    comment = CommentFactory(status=Status.PENDING)
    client.force_login(moderator)
    url = reverse("admin:tributes_comment_change", args=[comment.pk])
    client.post(url, {"_decision": "reject", "reason": RejectionReason.OFF_TOPIC})
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Status.REJECTED, "off_topic")


def test_moderators_cannot_change_an_authors_words_or_delete_anything(client, moderator):
    tribute = TributeFactory(status=Status.PENDING, message="The author's own words")
    client.force_login(moderator)
    client.post(tribute_change(tribute), {"message": "Rewritten", "_save": "Save"})
    assert refreshed(tribute)[0].message == "The author's own words"
    assert "delete_selected" not in client.get(TRIBUTES).text
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert "delete_selected" not in client.get(TRIBUTES).text
    delete_url = reverse("admin:tributes_tribute_delete", args=[tribute.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403


def test_the_admin_index_shows_what_waits(client, moderator):
    TributeFactory.create_batch(2, status=Status.PENDING)
    read_already = TributeFactory(moderated_at=timezone.now())
    CommentFactory(tribute=read_already, status=Status.PENDING)
    client.force_login(moderator)
    page = client.get(reverse("admin:index")).text
    assert "To read" in page
    assert "2 to read" in page
    assert "1 to read" in page


def test_the_queue_does_not_grow_queries_with_rows(client, moderator, django_assert_num_queries):
    TributeFactory.create_batch(2, status=Status.PENDING)
    client.force_login(moderator)
    client.get(TRIBUTES)
    with CaptureQueriesContext(connection) as few:
        client.get(TRIBUTES)
    TributeFactory.create_batch(30, status=Status.PENDING)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(TRIBUTES)
    CommentFactory.create_batch(2, status=Status.PENDING)
    with CaptureQueriesContext(connection) as few_comments:
        client.get(COMMENTS)
    CommentFactory.create_batch(30, status=Status.PENDING)
    with django_assert_num_queries(len(few_comments.captured_queries)):
        client.get(COMMENTS)


# A staff account outside the Moderators group works only on what it owns (A), never on another
# memorial (B). Families themselves are never staff: they moderate from their own queue.


def test_a_scoped_staff_member_sees_only_its_own_memorials_in_the_queue(
    client, scoped_staff, memorial_a, memorial_b
):
    TributeFactory(memorial=memorial_a, status=Status.PENDING, author_name="For Alpha")
    TributeFactory(memorial=memorial_b, status=Status.PENDING, author_name="For Bravo")
    page = client.get(TRIBUTES + "?queue=all").text
    assert "For Alpha" in page
    assert "For Bravo" not in page
    assert "Memorial Bravo" not in page  # not even in the memorial filter's choices


def test_a_scoped_staff_member_sees_only_its_own_comments(
    client, scoped_staff, memorial_a, memorial_b
):
    CommentFactory(tribute=TributeFactory(memorial=memorial_a), body="Comment for Alpha")
    CommentFactory(tribute=TributeFactory(memorial=memorial_b), body="Comment for Bravo")
    page = client.get(COMMENTS + "?queue=all").text
    assert "Comment for Alpha" in page
    assert "Comment for Bravo" not in page
    assert "Memorial Bravo" not in page


def test_a_scoped_staff_member_cannot_open_or_decide_another_memorials_tribute(
    client, scoped_staff, memorial_b
):
    other = TributeFactory(memorial=memorial_b, status=Status.PENDING)
    response = client.get(tribute_change(other))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    client.post(tribute_change(other), {"_decision": "approve"})
    assert refreshed(other)[0].status == Status.PENDING


def test_a_scoped_staff_member_cannot_open_or_decide_another_memorials_comment(
    client, scoped_staff, memorial_b
):
    other = CommentFactory(tribute=TributeFactory(memorial=memorial_b), status=Status.PENDING)
    url = reverse("admin:tributes_comment_change", args=[other.pk])
    assert client.get(url).url == reverse("admin:index")
    client.post(url, {"_decision": "spam"})
    assert refreshed(other)[0].status == Status.PENDING


def test_a_scoped_staff_members_bulk_action_never_reaches_another_memorial(
    client, scoped_staff, memorial_a, memorial_b
):
    theirs = TributeFactory(memorial=memorial_a, status=Status.PENDING)
    other = TributeFactory(memorial=memorial_b, status=Status.PENDING)
    run_action(client, TRIBUTES, "approve_selected", [theirs, other])
    assert refreshed(theirs)[0].status == Status.APPROVED
    assert refreshed(other)[0].status == Status.PENDING
    other_comment = CommentFactory(tribute=TributeFactory(memorial=memorial_b))
    run_action(client, COMMENTS, "reject_selected", [other_comment], reason="abusive")
    assert refreshed(other_comment)[0].status == Status.APPROVED


def test_a_scoped_staff_member_can_approve_on_its_own_memorial(client, scoped_staff, memorial_a):
    tribute = TributeFactory(memorial=memorial_a, status=Status.PENDING)
    client.post(tribute_change(tribute), {"_decision": "approve"})
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_by == scoped_staff


def test_a_scoped_staff_members_raw_id_lookups_and_audit_trail_stay_on_its_memorials(
    client, scoped_staff, memorial_a, memorial_b
):
    memorials_popup = reverse("admin:tributes_memorial_changelist") + "?_popup=1&_to_field=id"
    page = client.get(memorials_popup).text
    assert "Memorial Alpha" in page
    assert "Memorial Bravo" not in page
    moderator = UserFactory(is_staff=True, is_superuser=True)
    decisions.approve(TributeFactory(memorial=memorial_b, status=Status.PENDING), by=moderator)
    decisions.approve(TributeFactory(memorial=memorial_a, status=Status.PENDING), by=moderator)
    audit = client.get(reverse("admin:tributes_moderationdecision_changelist")).text
    assert "Memorial Alpha" in audit
    assert "Memorial Bravo" not in audit


def test_a_scoped_staff_member_never_sees_visitors_email_addresses(
    client, scoped_staff, memorial_a
):
    tribute = TributeFactory(
        memorial=memorial_a, status=Status.PENDING, author_email="private@example.org"
    )
    assert "private@example.org" not in client.get(tribute_change(tribute)).text
    found = client.get(TRIBUTES + "?q=private@example.org").text
    assert tribute.author_name not in found


def test_a_scoped_staff_member_that_stops_moderating_loses_its_queue(
    client, scoped_staff, memorial_a
):
    TributeFactory(memorial=memorial_a, status=Status.PENDING, author_name="Now screened")
    memorial_a.family_moderates = False
    memorial_a.save()
    assert "Now screened" not in client.get(TRIBUTES).text


def test_a_scoped_staff_members_index_counts_only_their_memorials(
    client, scoped_staff, memorial_a, memorial_b
):
    TributeFactory(memorial=memorial_a, status=Status.PENDING)
    TributeFactory.create_batch(3, memorial=memorial_b, status=Status.PENDING)
    page = client.get(reverse("admin:index")).text
    assert "1 to read" in page
    assert "3 to read" not in page


def test_the_migration_takes_back_staff_status_given_only_for_family_moderation():
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("tributes.migrations.0015_family_owners_are_not_staff")
    family_group = Group.objects.create(name="Family moderators")
    only_family = UserFactory(username="only-family", is_staff=True)
    site_moderator = UserFactory(username="also-moderator", is_staff=True)
    site_moderator.groups.add(Group.objects.get(name="Moderators"))
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    own_rights = UserFactory(username="own-rights", is_staff=True)
    own_rights.user_permissions.add(Permission.objects.get(codename="add_candleevent"))
    for user in (only_family, site_moderator, root, own_rights):
        user.groups.add(family_group)
    untouched = UserFactory(username="other-staff", is_staff=True)

    migration.take_back_family_staff_access(apps, None)

    staff = {u.username: u.is_staff for u in type(root).objects.all()}
    assert staff == {
        "only-family": False,
        "also-moderator": True,
        "root": True,
        "own-rights": True,
        "other-staff": True,
    }
    assert not Group.objects.filter(name="Family moderators").exists()
    assert list(site_moderator.groups.values_list("name", flat=True)) == ["Moderators"]
    assert untouched.groups.count() == 0


def test_there_is_no_family_moderators_group_after_migrating():
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(name="Family moderators").exists()


def test_published_without_review_lists_only_what_visitors_already_see_unread(client, moderator):
    TributeFactory(status=Status.APPROVED, author_name="Went up unread")
    TributeFactory(status=Status.PENDING, author_name="Still waiting")
    read = TributeFactory(status=Status.PENDING, author_name="Read and approved")
    decisions.approve(read, by=moderator)
    client.force_login(moderator)
    page = client.get(TRIBUTES + "?queue=unreviewed").text
    assert "Went up unread" in page
    assert "Still waiting" not in page
    assert "Read and approved" not in page
