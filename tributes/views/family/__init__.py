"""The family's own pages: their memorials, the queue, co-owners, guests and candle times.

Every page here is for a signed-in owner of the memorial it names; anyone else gets a 404, as
if the memorial did not exist (tributes/access.py `get_owned_memorial`).
"""
