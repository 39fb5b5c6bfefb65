"""How the moderation queue in the admin copes with thousands of waiting items.

Run: TESTING=1 .venv/bin/python bench/moderation_queue.py [rows]
Creates a throw-away test database, fills it with `rows` pending tributes and as many pending
comments over 50 memorials, and prints the queries and time of each queue page.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
os.environ.setdefault("TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402

from tributes.models import Comment, Memorial, Status, Tribute  # noqa: E402


def fill(rows: int) -> None:
    memorials = Memorial.objects.bulk_create(
        Memorial(name=f"Bench memorial {n}", slug=f"bench-{n}") for n in range(50)
    )
    tributes = Tribute.objects.bulk_create(
        Tribute(
            memorial=memorials[n % 50],
            author_name=f"Visitor {n}",
            message="Thinking of you all. " * 10,
            status=Status.PENDING if n % 2 else Status.APPROVED,
        )
        for n in range(rows)
    )
    published = [t for t in tributes if t.status == Status.APPROVED]
    Comment.objects.bulk_create(
        Comment(
            tribute=published[n % len(published)],
            author_name=f"Commenter {n}",
            body="Sending love.",
            status=Status.PENDING,
        )
        for n in range(rows)
    )


def measure(client: Client, url: str) -> tuple[int, float]:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200
    return len(queries), elapsed


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    setup_test_environment()
    # A database of its own: never the one the test suite reuses.
    connection.settings_dict["TEST"]["NAME"] = "bench_moderation_queue"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        fill(rows)
        moderator = get_user_model().objects.create_user("bench", is_staff=True)
        moderator.groups.add(Group.objects.get(name="Moderators"))
        client = Client()
        client.force_login(moderator)
        print(f"{rows} tributes (half pending) and {rows} pending comments over 50 memorials")
        for name in ["tributes:tribute", "tributes:comment"]:
            url = reverse(f"admin:{name.replace(':', '_')}_changelist")
            for query in ["", "?queue=all", "?queue=pending&q=Visitor"]:
                count, seconds = measure(client, url + query)
                print(f"  {url + query:<48} {count:>3} queries  {seconds * 1000:7.1f} ms")
        # The one queue of tributes and comments together (tributes/admin/queue.py).
        queue = reverse("admin:tributes_moderation_queue")
        for query in ["", "?page=2", "?page=last"]:
            count, seconds = measure(client, queue + query)
            print(f"  {queue + query:<48} {count:>3} queries  {seconds * 1000:7.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
