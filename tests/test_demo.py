import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tributes.models import Candle, CandleEvent, Comment, Memorial, Status, Tribute

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in [Memorial, Tribute, Comment, CandleEvent, Candle, get_user_model()]
    ]


def test_demo_data_loads_once_and_a_second_load_changes_nothing(client):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Tribute.objects.published().count() >= 12
    assert Tribute.objects.filter(status=Status.PENDING).exists()
    assert Comment.objects.filter(status=Status.APPROVED).exists()
    assert CandleEvent.objects.filter(is_floating=True, title="Wave of Light").exists()


def test_the_demo_moderator_can_log_in_to_admin(client):
    call_command("load_demo")
    response = client.post(
        reverse("admin:login"),
        {"username": "moderator", "password": "remember-gently", "next": reverse("admin:index")},
        follow=True,
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "moderator"
    assert "Moderation and memorials" in response.text


def test_home_and_demo_memorial_answer(client):
    call_command("load_demo")
    assert client.get(reverse("tributes:home")).status_code == 200
    assert client.get("/memorials/teddy-ashby/").status_code == 200
