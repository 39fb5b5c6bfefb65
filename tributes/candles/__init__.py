"""Candles: lighting them, an event's live status, the Wave of Light, reminders, calendar files, forms."""
