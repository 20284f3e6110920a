"""Booking: the runtime ledger, what it is fed and what the sensors read from it (pure Python)."""
