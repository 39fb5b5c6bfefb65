"""Moderation: screening posts, decisions and their audit, the to-read queue, notices, family access."""
