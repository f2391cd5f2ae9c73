"""Retail copilot: natural-language questions become guarded SQL over the retail lake."""
