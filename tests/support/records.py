"""Small helpers about database rows that several test files use."""


def refreshed(*items):
    """Reload each item from the database (one query each) and return them all."""
    for item in items:
        item.refresh_from_db()
    return items
