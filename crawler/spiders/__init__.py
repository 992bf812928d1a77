"""Spiders: feed, sitemap and homepage entry points, one shared way to handle articles."""
