"""A task for tests of the worker itself: it does nothing but answer with its label."""

from django.tasks import task


@task
def answer(label: str) -> str:
    return label
