"""Posting what visitors write: tributes, comments and love; the forms, editing and deleting."""
