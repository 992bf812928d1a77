"""Listings: what a source lists, parsed (RSS/Atom/RDF feeds, sitemaps, news sitemaps).

A broken listing is read again leniently (`salvage.py`); homepages are read by their spider.
"""
