"""Scrapy extensions: the periodic progress line and the seen-URL state the crawl shares."""
