"""Deciding: the controller of one system and everything it decides with (pure Python)."""
