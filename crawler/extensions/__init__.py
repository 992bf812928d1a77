"""Crawler extensions: the periodic progress line."""
