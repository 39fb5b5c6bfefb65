"""What families do themselves: their accounts, their memorials, co-owners, guests, their queue."""
