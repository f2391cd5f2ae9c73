"""Offers: the nightly learning agent and learned product matching."""
