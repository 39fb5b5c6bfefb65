"""Django's Redis cache, keeping one Redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every command, and each one fills its
table of about 170 reply parsers: a third of a millisecond a command, the larger part of what a
cache read cost a page. A Redis client is safe to share between threads (each command takes a
connection from the pool), so one is kept per pool and reused.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
