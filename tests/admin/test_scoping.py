import pytest
from django.urls import reverse

from tests.support.factories import MemorialFactory, TributeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_moderator(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="family", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_tribute", "change_tribute"])
    )
    return user


def test_a_family_sees_only_tributes_of_memorials_they_moderate(client, family_moderator):
    theirs = MemorialFactory(owners=[family_moderator], family_moderates=True)
    other = MemorialFactory(family_moderates=True)
    TributeFactory(memorial=theirs, author_name="Written for their child")
    TributeFactory(memorial=other, author_name="Written for another child")
    client.force_login(family_moderator)
    page = client.get(reverse("admin:tributes_tribute_changelist")).text
    assert "Written for their child" in page
    assert "Written for another child" not in page


def test_a_family_that_does_not_moderate_sees_no_tributes(client, family_moderator):
    theirs = MemorialFactory(owners=[family_moderator], family_moderates=False)
    TributeFactory(memorial=theirs, author_name="Screened by the site")
    client.force_login(family_moderator)
    page = client.get(reverse("admin:tributes_tribute_changelist")).text
    assert "Screened by the site" not in page


def test_a_family_cannot_open_another_memorials_tribute(client, family_moderator):
    other = TributeFactory(memorial=MemorialFactory(family_moderates=True))
    client.force_login(family_moderator)
    response = client.get(reverse("admin:tributes_tribute_change", args=[other.pk]))
    # The admin redirects to its index with a "does not exist" message for objects out of scope.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_site_moderators_see_every_memorial(client, moderator):
    TributeFactory(author_name="Anywhere at all")
    client.force_login(moderator)
    assert "Anywhere at all" in client.get(reverse("admin:tributes_tribute_changelist")).text


def _view_on_site(obj) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_view_on_site_does_not_send_a_staff_user_to_a_private_memorial_out_of_scope(
    client, private_memorial
):
    client.force_login(UserFactory(username="helper", is_staff=True))
    response = client.get(_view_on_site(private_memorial))
    assert response.status_code == 404
    assert private_memorial.slug not in response.text
    assert "Location" not in response.headers


def test_view_on_site_does_not_send_a_family_to_another_familys_tribute(
    client, family_moderator, private_memorial
):
    tribute = TributeFactory(memorial=private_memorial)
    client.force_login(family_moderator)
    assert client.get(_view_on_site(tribute)).status_code == 404


def test_view_on_site_sends_a_moderator_to_the_memorial_they_look_after(
    client, moderator, private_memorial
):
    client.force_login(moderator)
    response = client.get(_view_on_site(private_memorial))
    assert response.status_code == 302
    assert response.url.endswith(private_memorial.get_absolute_url())
