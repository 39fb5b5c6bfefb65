"""What sharing and keepsakes cost: drawing a share card, the PDF memory book, the name search.

Run: TESTING=1 .venv/bin/python bench/sharing.py [memorials] [tributes]
Creates a throw-away test database with `memorials` public memorials (default 20,000) and one
memorial with `tributes` published tributes (default 200; one in ten has a photo, each tribute
two comments), then prints the best and median of five runs of each.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-sharing-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.support.photos import make_photo  # noqa: E402
from tributes.models import Comment, Memorial, Status, Tribute, Visibility  # noqa: E402
from tributes.sharing import cards  # noqa: E402
from tributes.sharing.book import make_memory_book, memory_book  # noqa: E402
from tributes.sharing.search import find_memorials  # noqa: E402

FIRST = ["Teddy", "Rose", "Amara", "Oliver", "Niamh", "Kofi", "Isla", "Mateo", "Aiko", "Sam"]
LAST = ["Ashby", "Okafor", "Nguyen", "Kowalski", "Murphy", "Haddad", "Silva", "Brown", "Ito"]


def fill(memorials: int, tributes: int) -> Memorial:
    Memorial.objects.bulk_create(
        Memorial(
            name=f"{FIRST[n % 10]} {LAST[(n // 10) % 9]} {n}",
            slug=f"bench-{n}",
            visibility=[Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE][n % 3],
        )
        for n in range(memorials)
    )
    book = Memorial.objects.create(name="Theodore Ashby", slug="bench-book", story="Loved. " * 200)
    book.cover_photo = make_photo(book, size=(2400, 1800))
    book.save()
    made = Tribute.objects.bulk_create(
        Tribute(
            memorial=book,
            author_name=f"Visitor {n}",
            relationship="friend",
            message="We think of you every day and light a candle on Sundays. " * 6,
            status=Status.APPROVED,
            photo=make_photo(book, size=(2400, 1800)) if n % 10 == 0 else None,
        )
        for n in range(tributes)
    )
    Comment.objects.bulk_create(
        Comment(tribute=t, author_name="Friend", body="Sending love.", status=Status.APPROVED)
        for t in made
        for _ in range(2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tributes_memorial")
    return book


def timed(label: str, action, runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    print(
        f"{label:<48} best {min(times) * 1000:8.1f} ms  median {statistics.median(times) * 1000:8.1f} ms"
    )
    return result


def main() -> None:
    memorials = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    tributes = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "bench_sharing"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        book = fill(memorials, tributes)
        print(
            f"{memorials} memorials (a third public), a book of {tributes} tributes, load {os.getloadavg()[0]:.1f}"
        )
        timed(
            "share card, drawn (memorial with cover photo)",
            lambda: cards.render(cards.memorial_card(book)),
        )
        pdf = timed(
            f"memory book made ({tributes} tributes)", lambda: make_memory_book(book), runs=3
        )
        print(f"{'':<48} {len(pdf) / 1e6:.1f} MB")
        memory_book(book)
        timed("memory book already kept (fingerprint only)", lambda: memory_book(book))
        for query in ("teddy ashby", "okafr", "zzqx"):
            found = timed(f"find {query!r}", lambda query=query: find_memorials(query))
            print(f"{'':<48} {len(found)} found")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
