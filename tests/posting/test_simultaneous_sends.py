"""Two copies of one form arriving at the same moment (a double click, a flaky connection).

Each copy looks for an earlier send of its key and finds none; the first to save wins, and the
other must give its visitor the same tribute and private link instead of an error. The other
copy's save is made to land in between, the moment after this one has looked, by letting it in
from Django's database hook on this one's key lookup: the posting code itself runs unchanged.
"""

from contextlib import contextmanager

import pytest
from django.db import connection

from tributes.models import Status, Tribute
from tributes.posting import services as posting
from tributes.security import tokens

pytestmark = pytest.mark.django_db

WORDS = {"author_name": "Sam", "message": "Sent twice by a double click"}


@contextmanager
def other_copy_saved_after_the_key_lookup(memorial, key: str):
    """Save the other copy right after this request checked whether its key was taken."""
    saved = []

    def hook(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not saved and '"idempotency_key" = %s' in sql and "LIMIT 1" in sql:
            saved.append(
                Tribute.objects.create(
                    memorial=memorial,
                    status=Status.PENDING,
                    idempotency_key=tokens.idempotency_key(key),
                    edit_token_hash=tokens.hash_token(tokens.edit_token(key)),
                    **WORDS,
                )
            )
        return result

    with connection.execute_wrapper(hook):
        yield saved


def test_the_copy_that_loses_the_race_gets_the_same_tribute_and_private_link(memorial):
    key = tokens.new_submission_key()
    with other_copy_saved_after_the_key_lookup(memorial, key) as saved:
        posted = posting.post_tribute(memorial=memorial, submission_key=key, **WORDS)
    [other] = saved
    assert list(Tribute.objects.all()) == [other]
    assert posted.item == other
    assert posted.token == tokens.edit_token(key)
    assert posting.find_by_token(Tribute.objects.all(), posted.token) == other
