"""What families do themselves: their accounts, their memorials, co-owners and guests, their
queue, remembering days, and what they do with a memorial as a whole (download, erase)."""
