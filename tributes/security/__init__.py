"""Security: rate limits, client addresses, visitor keys, kept text, tokens, the security log, checks, middleware."""
