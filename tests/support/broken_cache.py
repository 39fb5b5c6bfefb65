"""A cache backend whose server is down: every call raises, as Django's Redis backend does when
Redis refuses the connection."""

from django.core.cache.backends.base import BaseCache


class CacheServerDown(ConnectionError):
    pass


class UnreachableCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise CacheServerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = has_key = incr = clear = _down
    get_many = set_many = delete_many = _down


BROKEN_CACHES = {"default": {"BACKEND": "tests.support.broken_cache.UnreachableCache"}}
