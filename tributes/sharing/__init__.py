"""Sharing and keepsakes: link previews, share cards, QR codes, the memory book and search.

Who may share what is decided in `rules.py`: only a public memorial (and an event that is site-wide
or belongs to one) has a preview image and social meta; private memorials never leave the family.
"""
